/**
 * The "Resolve conflicts" choices against the real server: the app (its
 * real stores on its own IndexedDB) goes offline and changes something; the
 * phone (the sync layer on another IndexedDB) deletes or moves the same
 * thing and is saved first. When the app reconnects it lists the conflict,
 * and "Keep mine" / "Keep theirs" are normal edits that reach the phone.
 */
import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { getRequest } from '../../../src/db/queries'
import { deleteEntity, moveEntity } from '../../../src/sync/mutations'
import { useConflictsStore } from '../../../src/stores/conflicts'
import { type App, serverForAppTests, signUpInApp } from './appOnDevice'
import { type Device, eventually } from '../clientSync/devices'

const { openApp, anotherDevice } = serverForAppTests()

/** The app signed up and in sync, a phone on the same account, and a collection "Shop" with folders "Admin" and "Billing" and a request "Orders" at its top, on both. */
async function appAndPhoneWithShop() {
  const app = openApp()
  await app.workspaces.ready
  const account = await signUpInApp(app)
  const workspaceId = account.personalWorkspaceId
  const phone = await anotherDevice(account)

  const shop = await app.collections.createCollection('Shop')
  const admin = await app.collections.createFolder(shop, 'Admin')
  const billing = await app.collections.createFolder(shop, 'Billing')
  const orders = await app.collections.createRequest(shop, { name: 'Orders', url: 'https://shop.test/orders' })
  await app.sync.whenInSync()
  await eventually(() => getRequest(phone.db, workspaceId, orders), request => request !== null, 'the request reaches the phone')
  return { app, phone, workspaceId, shop, admin, billing, orders }
}

function goOffline(app: App): void {
  app.sync.setBrowserOnline(false)
  app.sync.connection!.disconnect()
}

async function comeBack(app: App): Promise<void> {
  app.sync.setBrowserOnline(true)
  app.sync.connection!.connect()
  await app.sync.whenInSync()
}

/** Waits until the phone's own changes are saved on the server. */
async function phoneSaved(phone: Device): Promise<void> {
  await eventually(() => phone.unackedInDexie(), count => count === 0, 'the phone\'s change is saved on the server')
}

async function oneConflict() {
  const conflicts = useConflictsStore()
  await eventually(() => conflicts.count, count => count === 1, 'the app lists one conflict')
  return { conflicts, conflict: conflicts.conflicts[0] }
}

describe('resolving an edit that met a delete', () => {
  it('brings the request back on both devices, as edited offline, on "keep mine"', async () => {
    const { app, phone, workspaceId, orders } = await appAndPhoneWithShop()
    goOffline(app)
    await app.collections.saveRequest(orders, { url: 'https://shop.test/v2/orders', method: 'POST' })
    deleteEntity(phone.handle, 'requests', orders)
    await phoneSaved(phone)
    await comeBack(app)

    const { conflicts, conflict } = await oneConflict()
    expect(conflict).toMatchObject({ what: 'deleted', kind: 'requests', entityName: 'Orders', fieldLabel: 'Deleted on another device', inPlace: 'theirs' })
    expect(await app.collections.requestById(orders)).toBeNull()

    await conflicts.keepMine(conflict.id)
    await eventually(() => getRequest(phone.db, workspaceId, orders), request => request?.url === 'https://shop.test/v2/orders' && request.method === 'POST', 'the phone gets the request back as the app had it')
    await eventually(() => conflicts.count, count => count === 0, 'the conflict is resolved')
    expect(await app.collections.requestById(orders)).toMatchObject({ name: 'Orders', url: 'https://shop.test/v2/orders' })
  }, 30_000)

  it('keeps a deleted folder deleted on "keep theirs", and the request added to it offline goes too', async () => {
    const { app, phone, workspaceId, admin } = await appAndPhoneWithShop()
    goOffline(app)
    const roles = await app.collections.createRequest(admin, { name: 'Roles' })
    deleteEntity(phone.handle, 'folders', admin)
    await phoneSaved(phone)
    await comeBack(app)

    const { conflicts, conflict } = await oneConflict()
    expect(conflict).toMatchObject({ what: 'deleted', kind: 'folders', entityName: 'Admin', orphans: [{ id: roles, name: 'Roles' }] })
    await eventually(() => getRequest(phone.db, workspaceId, roles), request => request !== null, 'the request added offline reaches the phone, in no folder')

    await conflicts.keepTheirs(conflict.id)
    await eventually(() => getRequest(phone.db, workspaceId, roles), request => request === null, 'the request goes from the phone with its folder')
    expect(await app.collections.requestById(roles)).toBeNull()
    await eventually(() => conflicts.count, count => count === 0, 'the conflict is resolved')
  }, 30_000)
})

describe('resolving a request moved to two folders', () => {
  for (const side of ['mine', 'theirs'] as const) {
    it(`lists the two folders by name and moves the request to ${side === 'mine' ? 'this device\'s' : 'the other device\'s'} folder on "keep ${side}"`, async () => {
      const { app, phone, workspaceId, admin, billing, orders } = await appAndPhoneWithShop()
      goOffline(app)
      await app.collections.move(orders, { parentId: admin, position: 'end' })
      moveEntity(phone.handle, 'requests', orders, billing)
      await phoneSaved(phone)
      await comeBack(app)

      const { conflicts, conflict } = await oneConflict()
      expect(conflict).toMatchObject({ what: 'location', entityName: 'Orders', fieldLabel: 'Location', mineWords: 'Shop › Admin', theirsWords: 'Shop › Billing' })

      await (side === 'mine' ? conflicts.keepMine(conflict.id) : conflicts.keepTheirs(conflict.id))
      const chosen = side === 'mine' ? admin : billing
      await eventually(() => getRequest(phone.db, workspaceId, orders), request => request?.parentId === chosen, 'the phone has the request in the chosen folder')
      await app.sync.whenInSync()
      expect((await app.collections.requestById(orders))?.parentId).toBe(chosen)
      await eventually(() => conflicts.count, count => count === 0, 'the conflict is resolved')
    }, 30_000)
  }
})
