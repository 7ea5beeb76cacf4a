/**
 * Conflicts between two devices, each with its own database and workspace
 * doc, exchanging updates through a server Y.Doc the way the sync server
 * does (what a device sends is merged into the server's doc and acked; what
 * it receives is applied with the provider's origin), and acks recorded in
 * the update log as the durable-ack code records them. A field changed on both while one side's change was
 * unacked is a conflict on that side only; everything else merges quietly.
 */
import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { PigeonDb } from '../../../src/db/schema'
import { conflictId, listConflicts, saveConflicts } from '../../../src/db/conflicts'
import { getRequest } from '../../../src/db/queries'
import { recordAck, readSyncProgress } from '../../../src/db/remoteSync'
import { createEntity, deleteEntity, updateEntity } from '../../../src/sync/mutations'
import { createWorkspace, openWorkspaceDoc, type WorkspaceHandle } from '../../../src/sync/workspaceDocs'
import { type ConflictWatcher, watchConflicts } from '../../../src/sync/conflicts/watch'
import { keepValue } from '../../../src/sync/conflicts/resolve'
import { freshDb } from './support'
import { header } from './factories'
import { useConflictsStore } from '../../../src/stores/conflicts'
import { openWorkspace, until } from '../stores/support'

/** Stands for the connected WebsocketProvider: updates "from the server" are applied with it as their origin. */
interface Device { name: string, db: PigeonDb, workspaceId: string, handle: WorkspaceHandle, server: object, watcher: ConflictWatcher }
const devices: Device[] = []
/** The server's copy of the workspace. */
let serverDoc = new Y.Doc()

async function openDevice(name: string, db: PigeonDb, workspaceId: string): Promise<Device> {
  const handle = openWorkspaceDoc(db, workspaceId)
  await handle.whenLoaded
  const server = { provider: name }
  const watcher = watchConflicts(handle, { provider: server, onStatus: () => () => undefined })
  await watcher.ready
  const device = { name, db, workspaceId, handle, server, watcher }
  devices.push(device)
  return device
}

/** Two devices of one workspace, both holding a request named "Orders", everything acked. */
async function laptopAndPhone(): Promise<{ laptop: Device, phone: Device, requestId: string }> {
  const workspaceId = `ws-${Math.random().toString(36).slice(2)}`
  const made: Device[] = []
  for (const name of ['laptop', 'phone']) {
    const db = freshDb()
    await createWorkspace(db, 'Shared', 'team', workspaceId)
    made.push(await openDevice(name, db, workspaceId))
  }
  const [laptop, phone] = made
  const collection = createEntity(laptop.handle, 'collections', { name: 'Shop' })
  const request = createEntity(laptop.handle, 'requests', {
    parentId: collection.id,
    name: 'Orders',
    url: 'https://shop.test/orders',
    headers: [header('Accept', 'application/json')],
  })
  await sendToServer(laptop)
  receive(phone)
  return { laptop, phone, requestId: request.id }
}

/** The device's changes reach the server and are acked: the ack mark covers the whole log. */
async function sendToServer(device: Device): Promise<void> {
  Y.applyUpdate(serverDoc, Y.encodeStateAsUpdate(device.handle.doc, Y.encodeStateVector(serverDoc)))
  await device.handle.flushed()
  const { lastSeq } = await readSyncProgress(device.db, device.handle.docName)
  await recordAck(device.db, device.handle.docName, lastSeq)
  await device.watcher.refresh()
}

/** The server sends the device what it misses (its answer to the device's step 1, or a broadcast). */
function receive(device: Device): void {
  const update = Y.encodeStateAsUpdate(serverDoc, Y.encodeStateVector(device.handle.doc))
  Y.applyUpdate(device.handle.doc, update, device.server)
}

/**
 * A device comes back online: the server answers its step 1 with what it
 * misses, then takes the device's step 2; the device's changes are not
 * acked by then. `acked` says whether the ack arrives.
 */
async function reconnect(device: Device, acked = true): Promise<void> {
  receive(device)
  if (acked)
    await sendToServer(device)
  else
    Y.applyUpdate(serverDoc, Y.encodeStateAsUpdate(device.handle.doc, Y.encodeStateVector(serverDoc)))
}

async function conflictsOn(device: Device) {
  await device.watcher.stored()
  await device.handle.flushed()
  return (await listConflicts(device.db, device.workspaceId)).standing
}

afterEach(async () => {
  serverDoc = new Y.Doc()
  for (const device of devices.splice(0)) {
    device.watcher.stop()
    await device.handle.close()
  }
})

describe('conflicts between two devices', () => {
  it('records a URL changed on both, on the device whose change was not acked yet, with both values', async () => {
    const { laptop, phone, requestId } = await laptopAndPhone()
    updateEntity(laptop.handle, 'requests', requestId, { url: 'https://shop.test/v2/orders' })
    updateEntity(phone.handle, 'requests', requestId, { url: 'https://shop.test/orders?all=1' })

    // The laptop reaches the server first and its change is acked; then the phone comes back.
    await reconnect(laptop)
    await reconnect(phone)
    receive(laptop)

    expect(await conflictsOn(laptop)).toEqual([])
    const [conflict, ...more] = await conflictsOn(phone)
    expect(more).toEqual([])
    expect(conflict).toMatchObject({
      kind: 'requests',
      entityId: requestId,
      entityName: 'Orders',
      path: ['url'],
      fieldLabel: 'URL',
      mine: 'https://shop.test/orders?all=1',
      theirs: 'https://shop.test/v2/orders',
    })
    // Both devices hold the same merged value, and the phone says which one it is.
    const merged = phone.handle.doc.getMap('requests').get(requestId) as Y.Map<unknown>
    expect((laptop.handle.doc.getMap('requests').get(requestId) as Y.Map<unknown>).get('url')).toBe(merged.get('url'))
    expect(conflict.inPlace).toBe(merged.get('url') === conflict.mine ? 'mine' : 'theirs')
  })

  it('merges changes of different fields with no conflict', async () => {
    const { laptop, phone, requestId } = await laptopAndPhone()
    updateEntity(laptop.handle, 'requests', requestId, { name: 'List orders', method: 'POST' })
    updateEntity(phone.handle, 'requests', requestId, { url: 'https://shop.test/orders?page=2' })
    await reconnect(laptop)
    await reconnect(phone)
    receive(laptop)

    expect(await conflictsOn(laptop)).toEqual([])
    expect(await conflictsOn(phone)).toEqual([])
    await phone.handle.flushed()
    expect(await getRequest(phone.db, phone.workspaceId, requestId)).toMatchObject({ name: 'List orders', method: 'POST', url: 'https://shop.test/orders?page=2' })
  })

  it('merges a description typed on both devices by character, with no conflict', async () => {
    const { laptop, phone, requestId } = await laptopAndPhone()
    updateEntity(laptop.handle, 'requests', requestId, { description: 'Lists orders.' })
    updateEntity(phone.handle, 'requests', requestId, { description: 'Paged.' })
    await reconnect(laptop)
    await reconnect(phone)
    receive(laptop)

    expect(await conflictsOn(laptop)).toEqual([])
    expect(await conflictsOn(phone)).toEqual([])
    const description = (await getRequest(phone.db, phone.workspaceId, requestId))?.description ?? ''
    expect(description).toContain('Lists orders.')
    expect(description).toContain('Paged.')
  })

  it('is no conflict for a device whose own change was acked before the other arrived', async () => {
    const { laptop, phone, requestId } = await laptopAndPhone()
    updateEntity(phone.handle, 'requests', requestId, { url: 'https://shop.test/orders?sort=date' })
    await reconnect(phone)
    // The laptop was offline and changed the same field; its change arrives after the phone's was acked.
    updateEntity(laptop.handle, 'requests', requestId, { url: 'https://shop.test/orders?sort=total' })
    await reconnect(laptop)
    receive(phone)

    expect(await conflictsOn(phone)).toEqual([])
    expect(await conflictsOn(laptop)).toMatchObject([{ path: ['url'], mine: 'https://shop.test/orders?sort=total', theirs: 'https://shop.test/orders?sort=date' }])
  })

  it('is no conflict when the other device changed the field after seeing this device\'s change', async () => {
    const { laptop, phone, requestId } = await laptopAndPhone()
    updateEntity(laptop.handle, 'requests', requestId, { method: 'PUT' })
    // The phone got the laptop's change (its ack has not reached the laptop yet) and changed it again.
    await reconnect(laptop, false)
    receive(phone)
    updateEntity(phone.handle, 'requests', requestId, { method: 'PATCH' })
    await sendToServer(phone)
    receive(laptop)

    expect(await conflictsOn(laptop)).toEqual([])
    expect(await conflictsOn(phone)).toEqual([])
  })

  it('records a header value changed on both, named by the header', async () => {
    const { laptop, phone, requestId } = await laptopAndPhone()
    const [accept] = (await getRequest(laptop.db, laptop.workspaceId, requestId))!.headers
    updateEntity(laptop.handle, 'requests', requestId, { headers: [{ ...accept, value: 'application/xml' }] })
    updateEntity(phone.handle, 'requests', requestId, { headers: [{ ...accept, value: 'text/csv' }] })
    await reconnect(laptop)
    await reconnect(phone)
    receive(laptop)

    expect(await conflictsOn(laptop)).toEqual([])
    expect(await conflictsOn(phone)).toMatchObject([{
      path: ['headers', accept.id, 'value'],
      fieldLabel: 'Header "Accept": value',
      mine: 'text/csv',
      theirs: 'application/xml',
    }])
  })

  it('records an auth field changed on both inside the nested auth map', async () => {
    const { laptop, phone, requestId } = await laptopAndPhone()
    updateEntity(laptop.handle, 'requests', requestId, { auth: { type: 'bearer', bearer: { token: 'laptop-token' } } })
    updateEntity(phone.handle, 'requests', requestId, { auth: { type: 'bearer', bearer: { token: 'phone-token' } } })
    await reconnect(laptop)
    await reconnect(phone)
    receive(laptop)

    // Both chose bearer (same value: no conflict); the tokens differ.
    expect(await conflictsOn(phone)).toMatchObject([{
      path: ['auth', 'bearer'],
      fieldLabel: 'Bearer token',
      mine: { token: 'phone-token' },
      theirs: { token: 'laptop-token' },
    }])
  })

  it('still knows its unacked change after a reload', async () => {
    const { laptop, phone, requestId } = await laptopAndPhone()
    updateEntity(phone.handle, 'requests', requestId, { name: 'Orders (phone)' })
    await phone.handle.flushed()
    phone.watcher.stop()
    await phone.handle.close()
    devices.splice(devices.indexOf(phone), 1)
    const reopened = await openDevice('phone', phone.db, phone.workspaceId)

    updateEntity(laptop.handle, 'requests', requestId, { name: 'Orders (laptop)' })
    await reconnect(laptop)
    await reconnect(reopened)

    expect(await conflictsOn(reopened)).toMatchObject([{ path: ['name'], mine: 'Orders (phone)', theirs: 'Orders (laptop)' }])
  })

  it('keeps mine as a normal edit that reaches the other device, and keeping the value in place writes nothing', async () => {
    const { laptop, phone, requestId } = await laptopAndPhone()
    updateEntity(laptop.handle, 'requests', requestId, { method: 'DELETE' })
    updateEntity(phone.handle, 'requests', requestId, { method: 'POST' })
    await reconnect(laptop)
    await reconnect(phone)
    receive(laptop)
    const [conflict] = await conflictsOn(phone)
    const inPlace = conflict.inPlace === 'mine' ? 'mine' : 'theirs'

    const before = Y.encodeStateVector(phone.handle.doc)
    expect(keepValue(phone.handle, conflict, inPlace)).toBe('unchanged')
    expect(Y.encodeStateVector(phone.handle.doc)).toEqual(before)

    const other = inPlace === 'mine' ? 'theirs' : 'mine'
    expect(keepValue(phone.handle, conflict, other)).toBe('written')
    await sendToServer(phone)
    receive(laptop)
    await laptop.handle.flushed()
    const chosen = other === 'mine' ? 'POST' : 'DELETE'
    expect((await getRequest(laptop.db, laptop.workspaceId, requestId))?.method).toBe(chosen)
    await phone.handle.flushed()
    expect((await getRequest(phone.db, phone.workspaceId, requestId))?.method).toBe(chosen)
    expect((await conflictsOn(phone))[0].inPlace).toBe(other)
  })
})

describe('the conflicts store', () => {
  /** A conflict as the detector stores it. */
  async function stored(workspaces: Awaited<ReturnType<typeof openWorkspace>>, entityId: string, field: string, mine: unknown, theirs: unknown): Promise<void> {
    const docName = `ws/${workspaces.activeWorkspaceId}`
    await saveConflicts(workspaces.db, [{
      id: conflictId(docName, 'requests', entityId, [field]),
      workspaceId: workspaces.activeWorkspaceId!,
      docName,
      kind: 'requests',
      entityId,
      entityName: 'Orders',
      path: [field],
      fieldLabel: field,
      mine,
      theirs,
      detectedAt: Date.now(),
    }])
  }

  it('lists the workspace\'s conflicts with the value in place, and keeps all theirs as edits', async () => {
    const workspaces = await openWorkspace()
    const handle = await workspaces.whenOpen()
    const collection = createEntity(handle, 'collections', { name: 'Shop' })
    const orders = createEntity(handle, 'requests', { parentId: collection.id, name: 'Orders', url: 'https://shop.test/mine' })
    const refunds = createEntity(handle, 'requests', { parentId: collection.id, name: 'Refunds', method: 'POST' })
    await stored(workspaces, orders.id, 'url', 'https://shop.test/mine', 'https://shop.test/theirs')
    await stored(workspaces, refunds.id, 'method', 'PUT', 'POST')
    const conflicts = useConflictsStore()

    await until(() => conflicts.count === 2, 'both conflicts show')
    expect(new Map(conflicts.conflicts.map(conflict => [conflict.entityId, conflict.inPlace]))).toEqual(new Map([[orders.id, 'mine'], [refunds.id, 'theirs']]))

    await conflicts.keepAll('theirs')
    await until(() => conflicts.count === 0, 'no conflict is left')
    await handle.flushed()
    expect((await getRequest(workspaces.db, workspaces.activeWorkspaceId!, orders.id))?.url).toBe('https://shop.test/theirs')
    expect((await getRequest(workspaces.db, workspaces.activeWorkspaceId!, refunds.id))?.method).toBe('POST')
  })

  it('forgets a conflict once its request is deleted', async () => {
    const workspaces = await openWorkspace()
    const handle = await workspaces.whenOpen()
    const collection = createEntity(handle, 'collections', { name: 'Shop' })
    const orders = createEntity(handle, 'requests', { parentId: collection.id, name: 'Orders', method: 'GET' })
    await stored(workspaces, orders.id, 'method', 'GET', 'DELETE')
    const conflicts = useConflictsStore()
    await until(() => conflicts.count === 1, 'the conflict shows')

    deleteEntity(handle, 'requests', orders.id)
    await until(async () => conflicts.count === 0 && await workspaces.db.conflicts.count() === 0, 'the conflict is forgotten')
  })
})
