/**
 * Edits that meet a delete, moves to two places, globals made on two
 * devices, rows added and removed on both: what each device ends up with,
 * and what the "Resolve conflicts" panel lists (docs/sync.md "Conflicts").
 */
import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { GLOBALS_ID } from '../../../src/domain/model'
import { getFolder, getGlobals, getRequest, listEnvironments, listFolders } from '../../../src/db/queries'
import { countUnackedLocalUpdates } from '../../../src/db/updateLog'
import { createEntity, deleteEntity, importEntities, moveEntity, updateEntity } from '../../../src/sync/mutations'
import { keepConflict } from '../../../src/sync/conflicts/resolve'
import { writeEntity } from '../../../src/sync/docSchema'
import { type Device, ServerAndDevices } from './conflictDevices'
import { header, variable } from './factories'

const world = new ServerAndDevices()
afterEach(() => world.close())

/** A laptop and a phone with a collection "Shop", a folder "Admin" holding a request "Users", and a request "Orders" at the top. */
async function shop() {
  const { laptop, phone } = await world.laptopAndPhone()
  const collection = createEntity(laptop.handle, 'collections', { name: 'Shop' })
  const admin = createEntity(laptop.handle, 'folders', { parentId: collection.id, name: 'Admin' })
  const billing = createEntity(laptop.handle, 'folders', { parentId: collection.id, name: 'Billing' })
  const users = createEntity(laptop.handle, 'requests', { parentId: admin.id, name: 'Users', url: 'https://shop.test/users' })
  const orders = createEntity(laptop.handle, 'requests', { parentId: collection.id, name: 'Orders', url: 'https://shop.test/orders', headers: [header('Accept', 'application/json')] })
  await world.syncAll()
  return { laptop, phone, collection, admin, billing, users, orders }
}

async function requestOn(device: Device, id: string) {
  await device.handle.flushed()
  return getRequest(device.db, device.workspaceId, id)
}

describe('an edit made offline meets a delete from another device', () => {
  it('lists "Deleted on another device" with this device\'s changes, and keeping mine brings the request back as it was here, on both devices', async () => {
    const { laptop, phone, orders } = await shop()
    deleteEntity(laptop.handle, 'requests', orders.id)
    updateEntity(phone.handle, 'requests', orders.id, { url: 'https://shop.test/v2/orders', method: 'POST' })
    await world.reconnect(laptop)
    await world.reconnect(phone)

    expect(await requestOn(phone, orders.id)).toBeNull()
    expect(await world.conflictsOn(laptop)).toEqual([])
    const [conflict, ...more] = await world.conflictsOn(phone)
    expect(more).toEqual([])
    expect(conflict).toMatchObject({
      what: 'deleted',
      kind: 'requests',
      entityId: orders.id,
      entityName: 'Orders',
      fieldLabel: 'Deleted on another device',
      mineWords: 'Keep it, as this device had it. Changed here: "Orders".',
      theirsWords: 'Deleted.',
      inPlace: 'theirs',
    })

    expect(keepConflict(phone.handle, conflict, 'mine')).toEqual({ outcome: 'written', note: null })
    await world.reconnect(phone)
    world.receive(laptop)
    for (const device of [phone, laptop])
      expect(await requestOn(device, orders.id)).toMatchObject({ name: 'Orders', url: 'https://shop.test/v2/orders', method: 'POST', headers: [{ key: 'Accept', value: 'application/json' }] })
    expect((await world.conflictsOn(phone))[0].inPlace).toBe('mine')
  })

  it('keeps a deleted folder deleted on "keep theirs", and a request added inside it here goes too', async () => {
    const { laptop, phone, admin, users } = await shop()
    deleteEntity(laptop.handle, 'folders', admin.id)
    const added = createEntity(phone.handle, 'requests', { parentId: admin.id, name: 'Roles' })
    await world.reconnect(laptop)
    await world.reconnect(phone)

    const [conflict] = await world.conflictsOn(phone)
    expect(conflict).toMatchObject({
      what: 'deleted',
      kind: 'folders',
      entityName: 'Admin',
      mineWords: 'Keep it, as this device had it. Added or moved here, inside it: "Roles".',
      theirsWords: 'Deleted, with 1 item inside.',
      orphans: [{ kind: 'requests', id: added.id, name: 'Roles' }],
    })
    expect(await requestOn(phone, users.id)).toBeNull()

    expect(keepConflict(phone.handle, conflict, 'theirs').outcome).toBe('written')
    await world.reconnect(phone)
    world.receive(laptop)
    expect(await requestOn(laptop, added.id)).toBeNull()
    expect(await requestOn(phone, added.id)).toBeNull()
  })

  it('restores a deleted folder with what was inside, changed here and added here, on "keep mine"', async () => {
    const { laptop, phone, admin, users } = await shop()
    deleteEntity(laptop.handle, 'folders', admin.id)
    updateEntity(phone.handle, 'requests', users.id, { url: 'https://shop.test/users?active=1' })
    const added = createEntity(phone.handle, 'requests', { parentId: admin.id, name: 'Roles' })
    await world.reconnect(laptop)
    await world.reconnect(phone)

    const [conflict, ...more] = await world.conflictsOn(phone)
    expect(more).toEqual([])
    expect(conflict).toMatchObject({ entityName: 'Admin', mineWords: 'Keep it, as this device had it. Changed here: "Users". Added or moved here, inside it: "Roles".' })
    keepConflict(phone.handle, conflict, 'mine')
    await world.reconnect(phone)
    world.receive(laptop)

    await laptop.handle.flushed()
    expect((await listFolders(laptop.db, laptop.workspaceId)).map(folder => folder.name).sort()).toEqual(['Admin', 'Billing'])
    expect(await requestOn(laptop, users.id)).toMatchObject({ parentId: admin.id, url: 'https://shop.test/users?active=1' })
    expect(await requestOn(laptop, added.id)).toMatchObject({ parentId: admin.id, name: 'Roles' })
  })

  it('restores a request at the top of its collection when its folder was deleted too, and says so', async () => {
    const { laptop, phone, admin, users, collection } = await shop()
    deleteEntity(laptop.handle, 'requests', users.id)
    updateEntity(phone.handle, 'requests', users.id, { name: 'All users' })
    await world.reconnect(laptop)
    await world.reconnect(phone)
    const [conflict] = await world.conflictsOn(phone)
    // Before the phone chooses, the folder goes as well.
    deleteEntity(laptop.handle, 'folders', admin.id)
    await world.sendToServer(laptop)
    world.receive(phone)

    expect(keepConflict(phone.handle, conflict, 'mine')).toEqual({ outcome: 'written', note: '"All users" was restored at the top of "Shop": the folder it was in was deleted too.' })
    expect(await requestOn(phone, users.id)).toMatchObject({ name: 'All users', parentId: collection.id, collectionId: collection.id })
  })

  it('lists an environment changed here and deleted elsewhere', async () => {
    const { laptop, phone } = await world.laptopAndPhone()
    const staging = createEntity(laptop.handle, 'environments', { name: 'Staging', variables: [variable('host', 'staging.test')] })
    await world.syncAll()
    deleteEntity(laptop.handle, 'environments', staging.id)
    updateEntity(phone.handle, 'environments', staging.id, { variables: [variable('host', 'staging.test'), variable('token', 'abc')] })
    await world.reconnect(laptop)
    await world.reconnect(phone)

    const [conflict] = await world.conflictsOn(phone)
    expect(conflict).toMatchObject({ kind: 'environments', entityName: 'Staging', what: 'deleted' })
    keepConflict(phone.handle, conflict, 'mine')
    await phone.handle.flushed()
    const [environment] = await listEnvironments(phone.db, phone.workspaceId)
    expect(environment.variables.map(row => row.key)).toEqual(['host', 'token'])
  })

  it('lists a field changed here when the other device deleted and then undid the delete (the item was written again whole)', async () => {
    const { laptop, phone, admin, users } = await shop()
    const folder = await getFolder(laptop.db, laptop.workspaceId, admin.id)
    const request = await requestOn(laptop, users.id)
    deleteEntity(laptop.handle, 'folders', admin.id)
    importEntities(laptop.handle, { folders: [folder!], requests: [request!] })
    updateEntity(phone.handle, 'requests', users.id, { url: 'https://shop.test/users?page=2' })
    await world.reconnect(laptop)
    await world.reconnect(phone)

    expect(await world.conflictsOn(phone)).toMatchObject([{ what: 'field', entityName: 'Users', fieldLabel: 'URL', mine: 'https://shop.test/users?page=2', theirs: 'https://shop.test/users', inPlace: 'theirs' }])
  })

  it('lets a delete made here offline win quietly over an edit made elsewhere', async () => {
    const { laptop, phone, orders } = await shop()
    updateEntity(laptop.handle, 'requests', orders.id, { url: 'https://shop.test/v3/orders' })
    deleteEntity(phone.handle, 'requests', orders.id)
    await world.reconnect(laptop)
    await world.reconnect(phone)
    world.receive(laptop)

    expect(await requestOn(laptop, orders.id)).toBeNull()
    expect(await requestOn(phone, orders.id)).toBeNull()
    expect(await world.conflictsOn(laptop)).toEqual([])
    expect(await world.conflictsOn(phone)).toEqual([])
  })

  it('is no conflict when nothing of this device\'s was in what was deleted', async () => {
    const { laptop, phone, admin, orders } = await shop()
    deleteEntity(laptop.handle, 'folders', admin.id)
    updateEntity(phone.handle, 'requests', orders.id, { name: 'All orders' })
    await world.reconnect(laptop)
    await world.reconnect(phone)
    expect(await world.conflictsOn(phone)).toEqual([])
  })
})

describe('moves on two devices', () => {
  it('lists a request moved to two different folders as a "Location" conflict in folder names, and keeping the other place moves it there', async () => {
    const { laptop, phone, admin, billing, orders } = await shop()
    moveEntity(laptop.handle, 'requests', orders.id, admin.id)
    moveEntity(phone.handle, 'requests', orders.id, billing.id)
    await world.reconnect(laptop)
    await world.reconnect(phone)

    expect(await world.conflictsOn(laptop)).toEqual([])
    const [conflict, ...more] = await world.conflictsOn(phone)
    expect(more).toEqual([])
    expect(conflict).toMatchObject({ what: 'location', entityName: 'Orders', fieldLabel: 'Location', mineWords: 'Shop › Billing', theirsWords: 'Shop › Admin' })
    expect((await requestOn(phone, orders.id))?.parentId).toBe(conflict.inPlace === 'mine' ? billing.id : admin.id)

    // Keeping the place that is not in place moves it there, on both devices.
    const other = conflict.inPlace === 'mine' ? 'theirs' : 'mine'
    expect(keepConflict(phone.handle, conflict, other).outcome).toBe('written')
    await world.reconnect(phone)
    world.receive(laptop)
    expect(await requestOn(laptop, orders.id)).toMatchObject({ parentId: other === 'mine' ? billing.id : admin.id })
  })

  it('keeps reorders inside one folder quiet', async () => {
    const { laptop, phone, collection, orders } = await shop()
    moveEntity(laptop.handle, 'requests', orders.id, collection.id, 'a0')
    moveEntity(phone.handle, 'requests', orders.id, collection.id, 'z9')
    await world.reconnect(laptop)
    await world.reconnect(phone)
    expect(await world.conflictsOn(phone)).toEqual([])
  })
})

describe('globals made on two devices offline', () => {
  it('keeps the variables of both devices, with no conflict', async () => {
    const { laptop, phone } = await world.laptopAndPhone()
    createEntity(laptop.handle, 'globals', { variables: [variable('region', 'eu')] })
    updateEntity(phone.handle, 'globals', GLOBALS_ID, { variables: [variable('token', 'secret')] })
    await world.reconnect(laptop)
    await world.reconnect(phone)
    world.receive(laptop)

    for (const device of [laptop, phone]) {
      await device.handle.flushed()
      const globals = await getGlobals(device.db, device.workspaceId)
      expect(globals.variables.map(row => row.key).sort()).toEqual(['region', 'token'])
      expect(await world.conflictsOn(device)).toEqual([])
    }
  })

  it('counts saving the first global as this device\'s own change, under the same client id', async () => {
    const { laptop } = await world.laptopAndPhone()
    const clientId = laptop.handle.doc.clientID
    createEntity(laptop.handle, 'globals', { variables: [variable('region', 'eu')] })
    await laptop.handle.flushed()
    expect(await countUnackedLocalUpdates(laptop.db, laptop.handle.docName)).toBeGreaterThan(0)
    expect(laptop.handle.doc.clientID).toBe(clientId)
  })

  it('lists the variables of a globals record made separately on each device (as an older version made it)', async () => {
    const { laptop, phone } = await world.laptopAndPhone()
    for (const [device, row] of [[laptop, variable('region', 'eu')], [phone, variable('token', 'secret')]] as const) {
      device.handle.doc.transact(() => {
        device.handle.doc.getMap('globals').set(GLOBALS_ID, writeEntity('globals', { id: GLOBALS_ID, createdAt: 1, updatedAt: 1, updatedBy: 'old', variables: [row] }))
      }, device.handle)
    }
    await world.reconnect(laptop)
    await world.reconnect(phone)

    // Whichever map Yjs kept, the phone (the second to sync) lists the field with both sets of variables.
    const [conflict] = await world.conflictsOn(phone)
    expect(conflict).toMatchObject({ kind: 'globals', path: ['variables'], mine: [{ key: 'token' }], theirs: [{ key: 'region' }] })
    keepConflict(phone.handle, conflict, 'mine')
    await phone.handle.flushed()
    expect((await getGlobals(phone.db, phone.workspaceId)).variables.map(row => row.key)).toEqual(['token'])
  })
})

describe('rows added and removed on two devices', () => {
  it('keeps a header added on each device', async () => {
    const { laptop, phone, orders } = await shop()
    const current = (await requestOn(laptop, orders.id))!.headers
    updateEntity(laptop.handle, 'requests', orders.id, { headers: [...current, header('X-Laptop', '1')] })
    updateEntity(phone.handle, 'requests', orders.id, { headers: [...current, header('X-Phone', '2')] })
    await world.reconnect(laptop)
    await world.reconnect(phone)
    world.receive(laptop)

    for (const device of [laptop, phone])
      expect((await requestOn(device, orders.id))!.headers.map(row => row.key).sort()).toEqual(['Accept', 'X-Laptop', 'X-Phone'])
    expect(await world.conflictsOn(phone)).toEqual([])
  })

  it('lists a header changed here and removed elsewhere, and keeping mine puts it back with this device\'s value', async () => {
    const { laptop, phone, orders } = await shop()
    const [accept] = (await requestOn(laptop, orders.id))!.headers
    updateEntity(laptop.handle, 'requests', orders.id, { headers: [] })
    updateEntity(phone.handle, 'requests', orders.id, { headers: [{ ...accept, value: 'text/csv' }] })
    await world.reconnect(laptop)
    await world.reconnect(phone)

    const [conflict] = await world.conflictsOn(phone)
    expect(conflict).toMatchObject({ what: 'row', inPlace: 'theirs', mine: { key: 'Accept', value: 'text/csv' }, fieldLabel: 'Header "Accept": removed on another device', path: ['headers', accept.id] })
    keepConflict(phone.handle, conflict, 'mine')
    await world.reconnect(phone)
    world.receive(laptop)
    expect((await requestOn(laptop, orders.id))!.headers).toMatchObject([{ key: 'Accept', value: 'text/csv' }])
  })

  it('lists a header value changed here while the other device moved that header', async () => {
    const { laptop, phone, orders } = await shop()
    const current = (await requestOn(laptop, orders.id))!.headers
    const [accept] = current
    const host = header('Host', 'shop.test')
    updateEntity(laptop.handle, 'requests', orders.id, { headers: [...current, host] })
    await world.syncAll()
    // The laptop moves Host to the top (a move is a removal and a copy); the phone changes its value.
    updateEntity(laptop.handle, 'requests', orders.id, { headers: [host, accept] })
    updateEntity(phone.handle, 'requests', orders.id, { headers: [accept, { ...host, value: 'shop.example' }] })
    await world.reconnect(laptop)
    await world.reconnect(phone)

    expect(await world.conflictsOn(phone)).toMatchObject([{ what: 'field', fieldLabel: 'Header "Host": value', mine: 'shop.example', theirs: 'shop.test', inPlace: 'theirs' }])
  })

  it('lists the rows of a list both devices made at once for a record stored before that list existed', async () => {
    const { laptop, phone, orders } = await shop()
    // A request stored by an older version, before path variables existed: the key is absent.
    laptop.handle.doc.transact(() => (laptop.handle.doc.getMap('requests').get(orders.id) as Y.Map<unknown>).delete('pathVariables'))
    await world.syncAll()
    updateEntity(laptop.handle, 'requests', orders.id, { pathVariables: [header('id', '1')] })
    updateEntity(phone.handle, 'requests', orders.id, { pathVariables: [header('id', '2')] })
    await world.reconnect(laptop)
    await world.reconnect(phone)

    expect(await world.conflictsOn(phone)).toMatchObject([{ what: 'field', path: ['pathVariables'], fieldLabel: 'Path variables', mine: [{ key: 'id', value: '2' }], theirs: [{ key: 'id', value: '1' }] }])
  })
})
