/**
 * The document actor's order, watched through a store whose loads and
 * commits wait for the test to let them through: nothing is broadcast or
 * acked before it is committed, and nothing runs before the document is
 * loaded. Real sockets (an in-process ws server), real providers.
 */
import type { AddressInfo } from 'node:net'
import type { DocumentStore } from '../../../server/src/storage/documents.js'
import type { SyncClient } from '../../support/syncClient.js'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { SyncConnection } from '../../../server/src/sync/connection.js'
import { DocumentActor } from '../../../server/src/sync/documentActor.js'
import { loadSyncConfig } from '../../../server/src/sync/syncConfig.js'
import { loadConfig } from '../../../server/src/config.js'
import { createMemoryDocumentStore } from '../../../server/src/storage/documents.js'
import { connectSyncClient, waitUntil } from '../../support/syncClient.js'

const silent = { info: () => {}, warn: () => {}, error: () => {} }
const pause = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

interface Gate {
  promise: Promise<void>
  resolve: () => void
}

function newGate(): Gate {
  let resolve = (): void => {}
  const promise = new Promise<void>((r) => { resolve = r })
  return { promise, resolve }
}

/** A memory store whose `load` and `append` wait at a gate the test opens. */
function gatedStore() {
  const inner = createMemoryDocumentStore()
  let gate = newGate()
  let waiting = 0
  const store: DocumentStore = {
    ...inner,
    load: async (name) => {
      waiting++
      await gate.promise
      waiting--
      return inner.load(name)
    },
    append: async (name, updates) => {
      waiting++
      await gate.promise
      waiting--
      return inner.append(name, updates)
    },
  }
  return {
    store,
    inner,
    waiting: () => waiting,
    open: () => gate.resolve(),
    close: () => { gate = newGate() },
  }
}

let cleanup: Array<() => void> = []
afterEach(() => {
  cleanup.forEach(fn => fn())
  cleanup = []
})

/** One document actor behind a real WebSocket server on a free port. */
async function serveOneDocument(store: DocumentStore): Promise<string> {
  const config = loadSyncConfig(loadConfig({}), {})
  const actor = new DocumentActor('ws/test', { store, config, log: silent, onGone: () => {} })
  void actor.load()
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  wss.on('connection', (ws) => {
    const connection = new SyncConnection(String(Math.random()), ws, config)
    connection.caller = { userId: 'u', sessionId: 's', deviceId: 'd' }
    connection.documentName = 'ws/test'
    ws.on('message', (data, isBinary) => connection.receive(data as Buffer, isBinary))
    ws.on('close', () => {
      connection.closed = true
      actor.detach(connection)
    })
    actor.attach(connection)
  })
  await new Promise(resolve => wss.once('listening', resolve))
  cleanup.push(() => wss.close())
  return `http://127.0.0.1:${(wss.address() as AddressInfo).port}`
}

function client(url: string): SyncClient {
  const c = connectSyncClient(url, 'ws/test')
  cleanup.push(() => c.destroy())
  return c
}

describe('a document actor', () => {
  it('holds every message until the document is loaded', async () => {
    const gate = gatedStore()
    const url = await serveOneDocument(gate.store)
    const a = client(url)
    let synced = false
    void a.synced().then(() => { synced = true })
    await pause(150)
    expect(synced).toBe(false)
    gate.open()
    await a.synced()
  })

  it('commits an update before anyone else sees it and before it is acked', async () => {
    const gate = gatedStore()
    gate.open()
    const url = await serveOneDocument(gate.store)
    const writer = client(url)
    const reader = client(url)
    await Promise.all([writer.synced(), reader.synced()])

    gate.close()
    writer.doc.getMap('entries').set('k', 'v')
    let acked = false
    const ack = writer.ack().then(() => { acked = true })
    await waitUntil(() => gate.waiting() === 1, 'the commit is waiting at the gate')
    await pause(100)
    expect(acked).toBe(false)
    expect(reader.doc.getMap('entries').has('k')).toBe(false)
    expect((await gate.inner.load('ws/test'))!.updates).toHaveLength(0)

    gate.open()
    await ack
    expect((await gate.inner.load('ws/test'))!.updates).toHaveLength(1)
    await waitUntil(() => reader.doc.getMap('entries').get('k') === 'v', 'the reader gets the committed update')
  })
})
