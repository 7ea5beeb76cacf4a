import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { Collection, Request } from '../../../src/domain/model'
import { listCollections, listQuarantine, listRequestsIn } from '../../../src/db/queries'
import { observe } from '../../../src/db/live'
import { freshDb } from './support'

function requestRow(id: string, extra: Record<string, unknown> = {}) {
  return { ...Request.parse({ id, parentId: 'c1', collectionId: 'c1', name: id }), workspaceId: 'ws', ...extra }
}

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 200 && !(await check()); attempt++)
    await new Promise(resolve => setTimeout(resolve, 10))
}

describe('reading the tables', () => {
  it('skips a malformed row, sets it aside and says why', async () => {
    const db = freshDb()
    await db.requests.bulkPut([requestRow('good'), requestRow('broken', { method: 7 }) as never])
    expect((await listRequestsIn(db, 'ws', 'c1')).map(row => row.id)).toEqual(['good'])

    let records = await listQuarantine(db)
    for (let attempt = 0; attempt < 200 && !records.length; attempt++) {
      await new Promise(resolve => setTimeout(resolve, 10))
      records = await listQuarantine(db)
    }
    const [record] = records
    await until(async () => (await db.requests.count()) === 1)
    expect(record).toMatchObject({ kind: 'requests', recordId: 'broken', source: 'table' })
    expect(record.sentence).toMatch(/^A request \(id broken\) in this device's storage does not match Pigeon's format \(method: .+\), so it was set aside/)
    expect(await db.requests.count()).toBe(1)
    db.close()
  })

  it('follows changes through a live read', async () => {
    const db = freshDb()
    const seen: string[][] = []
    const subscription = observe(() => listCollections(db, 'ws')).subscribe(collections => seen.push(collections.map(c => c.name)))
    await until(() => seen.length > 0)
    await db.collections.put({ ...Collection.parse({ id: 'c1', name: 'Pets' }), workspaceId: 'ws' })
    await until(() => seen.length > 1)
    subscription.unsubscribe()
    expect(seen[0]).toEqual([])
    expect(seen.at(-1)).toEqual(['Pets'])
    db.close()
  })
})
