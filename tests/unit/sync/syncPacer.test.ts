import { describe, expect, it } from 'vitest'
import { SyncPacer } from '../../../src/sync/remote/syncPacer'

/** A storage whose writes finish when the test says so. */
function slowStorage() {
  const writes: Array<() => void> = []
  return {
    stored: () => new Promise<void>(resolve => writes.push(resolve)),
    finishWrite: async () => {
      writes.shift()?.()
      await new Promise(resolve => setTimeout(resolve, 0))
    },
    get waiting() {
      return writes.length
    },
  }
}

describe('applying the server\'s sync messages', () => {
  it('applies small messages at once, in order', () => {
    const storage = slowStorage()
    const pacer = new SyncPacer(storage.stored, 100)
    const applied: string[] = []
    for (const name of ['a', 'b', 'c'])
      pacer.handle(10, immediate => applied.push(`${name}${immediate ? ' now' : ' later'}`))
    expect(applied).toEqual(['a now', 'b now', 'c now'])
    expect(storage.waiting).toBe(0)
  })

  it('after a large piece, waits for it to be stored before applying what came next, still in order', async () => {
    const storage = slowStorage()
    const pacer = new SyncPacer(storage.stored, 100)
    const applied: string[] = []
    pacer.handle(500, immediate => applied.push(`piece 1${immediate ? ' now' : ' later'}`))
    pacer.handle(500, immediate => applied.push(`piece 2${immediate ? ' now' : ' later'}`))
    pacer.handle(10, immediate => applied.push(`edit${immediate ? ' now' : ' later'}`))
    expect(applied).toEqual(['piece 1 now'])

    await storage.finishWrite()
    expect(applied).toEqual(['piece 1 now', 'piece 2 later'])
    await storage.finishWrite()
    expect(applied).toEqual(['piece 1 now', 'piece 2 later', 'edit later'])

    pacer.handle(10, immediate => applied.push(`next edit${immediate ? ' now' : ' later'}`))
    expect(applied.at(-1)).toBe('next edit now')
  })

  it('goes on when storing fails: the doc reports the error and retries its writes', async () => {
    const pacer = new SyncPacer(() => Promise.reject(new Error('The disk is full.')), 100)
    const applied: string[] = []
    pacer.handle(500, () => applied.push('piece 1'))
    pacer.handle(500, () => applied.push('piece 2'))
    await new Promise(resolve => setTimeout(resolve, 0))
    expect(applied).toEqual(['piece 1', 'piece 2'])
  })

  it('goes on to the next message when a waiting one cannot be read', async () => {
    const storage = slowStorage()
    const pacer = new SyncPacer(storage.stored, 100)
    const applied: string[] = []
    pacer.handle(500, () => applied.push('piece 1'))
    pacer.handle(10, () => {
      throw new Error('Unexpected end of array')
    })
    pacer.handle(10, () => applied.push('edit'))
    const quiet = console.error
    console.error = () => {}
    try {
      await storage.finishWrite()
    }
    finally {
      console.error = quiet
    }
    expect(applied).toEqual(['piece 1', 'edit'])
  })

  it('drops what waits once the document is closed: the server sends it again next time', async () => {
    const storage = slowStorage()
    const pacer = new SyncPacer(storage.stored, 100)
    const applied: string[] = []
    pacer.handle(500, () => applied.push('piece 1'))
    pacer.handle(500, () => applied.push('piece 2'))
    pacer.stop()
    await storage.finishWrite()
    pacer.handle(10, () => applied.push('edit'))
    expect(applied).toEqual(['piece 1'])
  })
})
