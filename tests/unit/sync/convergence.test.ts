import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { PigeonDb } from '../../../src/db/schema'
import { getRequest } from '../../../src/db/queries'
import { countUnackedLocalUpdates } from '../../../src/db/updateLog'
import { createEntity, deleteEntity, moveEntity, updateEntity } from '../../../src/sync/mutations'
import { createWorkspace, openWorkspaceDoc, type WorkspaceHandle } from '../../../src/sync/workspaceDocs'
import { docEntities, freshDb, projection } from './support'
import { header } from './factories'

interface Device { db: PigeonDb, handle: WorkspaceHandle }
const devices: Device[] = []

/** Two devices holding the same workspace, each with its own database. */
async function twoDevices(): Promise<[Device, Device]> {
  const id = `ws-${Math.random().toString(36).slice(2)}`
  const made: Device[] = []
  for (let index = 0; index < 2; index++) {
    const db = freshDb()
    await createWorkspace(db, 'Shared', 'team', id)
    const handle = openWorkspaceDoc(db, id)
    await handle.whenLoaded
    made.push({ db, handle })
  }
  devices.push(...made)
  return [made[0], made[1]]
}

/** What a sync round does, without a network: each side gets what it misses. */
function exchange(a: Device, b: Device): void {
  const toB = Y.encodeStateAsUpdate(a.handle.doc, Y.encodeStateVector(b.handle.doc))
  const toA = Y.encodeStateAsUpdate(b.handle.doc, Y.encodeStateVector(a.handle.doc))
  Y.applyUpdate(b.handle.doc, toB, 'remote')
  Y.applyUpdate(a.handle.doc, toA, 'remote')
}

async function expectConverged(a: Device, b: Device): Promise<void> {
  await a.handle.flushed()
  await b.handle.flushed()
  expect(docEntities(a.handle.doc)).toEqual(docEntities(b.handle.doc))
  expect(await projection(a.db, a.handle.workspaceId)).toEqual(await projection(b.db, b.handle.workspaceId))
}

afterEach(async () => {
  for (const device of devices.splice(0)) {
    await device.handle.close()
    device.db.close()
  }
})

describe('two devices exchanging updates', () => {
  it('merge concurrent edits of different fields of one request', async () => {
    const [a, b] = await twoDevices()
    const collection = createEntity(a.handle, 'collections', { name: 'Pets' })
    const request = createEntity(a.handle, 'requests', { parentId: collection.id, name: 'Get pet', url: 'https://old.test' })
    exchange(a, b)

    updateEntity(a.handle, 'requests', request.id, { name: 'Get one pet' })
    updateEntity(b.handle, 'requests', request.id, { url: 'https://new.test', auth: { type: 'bearer', bearer: { token: 't' } } })
    updateEntity(a.handle, 'requests', request.id, { settings: { timeoutMs: 5000 } })
    exchange(a, b)

    await expectConverged(a, b)
    expect(await getRequest(b.db, b.handle.workspaceId, request.id)).toMatchObject({
      name: 'Get one pet',
      url: 'https://new.test',
      auth: { type: 'bearer', bearer: { token: 't' } },
      settings: { timeoutMs: 5000, followRedirects: true },
    })
  })

  it('merge concurrent character edits of a raw body', async () => {
    const [a, b] = await twoDevices()
    const collection = createEntity(a.handle, 'collections', {})
    const request = createEntity(a.handle, 'requests', { parentId: collection.id, body: { mode: 'raw', raw: '{"name":"Rex"}' } })
    exchange(a, b)

    updateEntity(a.handle, 'requests', request.id, { body: { raw: '{"name":"Rex","age":3}' } })
    updateEntity(b.handle, 'requests', request.id, { body: { raw: '{"name":"Rexy"}' } })
    exchange(a, b)

    await expectConverged(a, b)
    expect((await getRequest(a.db, a.handle.workspaceId, request.id))?.body.raw).toBe('{"name":"Rexy","age":3}')
  })

  it('merge header rows edited, added and removed on both sides', async () => {
    const [a, b] = await twoDevices()
    const collection = createEntity(a.handle, 'collections', {})
    const accept = header('Accept', 'application/json')
    const trace = header('X-Trace', '1')
    const request = createEntity(a.handle, 'requests', { parentId: collection.id, headers: [accept, trace] })
    exchange(a, b)

    updateEntity(a.handle, 'requests', request.id, { headers: [{ ...accept, value: 'text/plain' }, trace, header('X-A', 'a')] })
    updateEntity(b.handle, 'requests', request.id, { headers: [accept, { ...trace, enabled: false }] })
    exchange(a, b)

    await expectConverged(a, b)
    const headers = (await getRequest(a.db, a.handle.workspaceId, request.id))!.headers
    expect(headers.map(row => [row.key, row.value, row.enabled])).toEqual([
      ['Accept', 'text/plain', true],
      ['X-Trace', '1', false],
      ['X-A', 'a', true],
    ])
  })

  it('converge after a move on one side and a delete on the other', async () => {
    const [a, b] = await twoDevices()
    const first = createEntity(a.handle, 'collections', {})
    const second = createEntity(a.handle, 'collections', {})
    const folder = createEntity(a.handle, 'folders', { parentId: first.id })
    const request = createEntity(a.handle, 'requests', { parentId: folder.id })
    exchange(a, b)

    moveEntity(a.handle, 'requests', request.id, second.id)
    deleteEntity(b.handle, 'folders', folder.id)
    exchange(a, b)
    await expectConverged(a, b)
  })

  it('count only local updates as not yet acked', async () => {
    const [a, b] = await twoDevices()
    createEntity(a.handle, 'collections', {})
    createEntity(a.handle, 'collections', {})
    exchange(a, b)
    await expectConverged(a, b)
    // B received A's two changes: nothing of B's own is waiting for an ack beyond its workspace record.
    const docName = `ws/${a.handle.workspaceId}`
    expect(await countUnackedLocalUpdates(a.db, docName)).toBe(3)
    expect(await countUnackedLocalUpdates(b.db, docName)).toBe(1)
  })
})
