/**
 * The client's sync layer against the real server: two devices of one
 * account, each with its own IndexedDB, edit one workspace through the data
 * layer's mutations and see each other's changes in their Dexie tables; the
 * status says Syncing until the durable ack covers every local change.
 */
import type { PigeonServer } from '../../support/pigeonServer.js'
import type { TestAccount } from '../sync/accounts.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeAfterEach } from '../../support/hooks'
import { startPigeonServer } from '../../support/pigeonServer.js'
import { revokeSession, signInOnAnotherDevice, signUp } from '../sync/accounts.js'
import { CLOSE_REASONS } from '../../../src/domain/syncProtocol'
import { createEntity, updateEntity } from '../../../src/sync/mutations'
import { Device, eventually } from './devices'

let server: PigeonServer
const devices: Device[] = []

async function deviceOf(account: TestAccount, name: string, connect = true): Promise<Device> {
  const device = new Device(name, { serverUrl: server.url, userId: account.userId, cookie: account.cookie, workspaceId: account.personalWorkspaceId })
  devices.push(device)
  return device.open(connect)
}

/** A laptop and a phone signed in to one new account, both in sync. */
async function laptopAndPhone(): Promise<{ account: TestAccount, phoneAccount: TestAccount, laptop: Device, phone: Device }> {
  const account = await signUp(server.url, 'ada')
  const phoneAccount = await signInOnAnotherDevice(server.url, account)
  const laptop = await deviceOf(account, 'laptop')
  const phone = await deviceOf(phoneAccount, 'phone')
  await Promise.all([laptop.remote.whenInSync(), phone.remote.whenInSync()])
  return { account, phoneAccount, laptop, phone }
}

async function collectionNames(device: Device): Promise<string[]> {
  const rows = await device.db.collections.where('workspaceId').equals(device.workspaceId).toArray()
  return rows.map(row => row.name).sort()
}

beforeAll(async () => {
  server = await startPigeonServer()
})
closeAfterEach(devices)
afterAll(async () => {
  await server.stop()
})

describe('two devices of one account', () => {
  it('creates a collection and a request on the laptop and finds them in the phone\'s tables', async () => {
    const { laptop, phone } = await laptopAndPhone()
    const collection = createEntity(laptop.handle, 'collections', { name: 'Billing API' })
    const request = createEntity(laptop.handle, 'requests', { parentId: collection.id, name: 'List invoices', method: 'GET', url: 'https://api.example.com/invoices' })

    const seen = await eventually(
      () => phone.db.requests.get([phone.workspaceId, request.id]),
      row => row !== undefined,
      'the request reaches the phone',
    )
    expect(seen).toMatchObject({ name: 'List invoices', url: 'https://api.example.com/invoices', collectionId: collection.id })
    expect(await collectionNames(phone)).toContain('Billing API')

    await laptop.remote.whenInSync()
    expect(laptop.status).toMatchObject({ state: 'inSync', unacked: 0 })
    expect(await laptop.unackedInDexie()).toBe(0)
  })

  it('merges edits of different fields made on both devices', async () => {
    const { laptop, phone } = await laptopAndPhone()
    const collection = createEntity(laptop.handle, 'collections', { name: 'Shop' })
    const request = createEntity(laptop.handle, 'requests', { parentId: collection.id, name: 'Cart', url: 'https://shop.test/cart' })
    await eventually(() => phone.db.requests.get([phone.workspaceId, request.id]), row => row !== undefined, 'the request reaches the phone')

    updateEntity(laptop.handle, 'requests', request.id, { name: 'Show cart' })
    updateEntity(phone.handle, 'requests', request.id, { method: 'POST' })

    for (const device of [laptop, phone]) {
      await eventually(
        () => device.db.requests.get([device.workspaceId, request.id]),
        row => row?.name === 'Show cart' && row.method === 'POST',
        `both edits reach the ${device.name}`,
      )
    }
    await Promise.all([laptop.remote.whenInSync(), phone.remote.whenInSync()])
    expect(await laptop.tables()).toEqual(await phone.tables())
  })
})

describe('editing offline', () => {
  it('counts offline edits, and is In sync only after the ack that follows the reconnect', async () => {
    const { laptop, phone } = await laptopAndPhone()
    laptop.remote.disconnect()
    expect(laptop.status.state).toBe('offline')

    const collection = createEntity(laptop.handle, 'collections', { name: 'Written on a train' })
    createEntity(laptop.handle, 'environments', { name: 'Staging' })
    updateEntity(laptop.handle, 'collections', collection.id, { description: 'No signal here.' })
    await eventually(() => laptop.status.unacked, count => count === 3, 'three changes are counted')
    expect(laptop.status.detail).toBe('Offline. 3 changes kept on this device; they sync when you are back online.')
    expect(await laptop.unackedInDexie()).toBe(3)

    laptop.clearStates()
    laptop.remote.connect()
    await laptop.remote.whenInSync()
    // Connecting, then Syncing while the reply to the server's step 1 awaits its ack, then In sync.
    expect(laptop.states).toEqual(expect.arrayContaining(['connecting', 'syncing', 'inSync']))
    expect(laptop.states.indexOf('syncing')).toBeLessThan(laptop.states.indexOf('inSync'))
    expect(laptop.states.at(-1)).toBe('inSync')
    expect(await laptop.unackedInDexie()).toBe(0)

    await eventually(() => collectionNames(phone), names => names.includes('Written on a train'), 'the offline collection reaches the phone')
    const row = await phone.db.collections.get([phone.workspaceId, collection.id])
    expect(row?.description).toBe('No signal here.')
  })

  it('keeps the count of unacked changes when the device closes and opens its database again', async () => {
    const { laptop } = await laptopAndPhone()
    laptop.remote.disconnect()
    createEntity(laptop.handle, 'presets', { name: 'JSON API' })
    createEntity(laptop.handle, 'collections', { name: 'Later' })
    await eventually(() => laptop.status.unacked, count => count === 2, 'two changes are counted')

    await laptop.reload(false)
    expect(laptop.status).toMatchObject({ state: 'offline', unacked: 2 })

    laptop.remote.connect()
    await laptop.remote.whenInSync()
    expect(laptop.status.unacked).toBe(0)

    // And an acked state survives a reload too.
    await laptop.reload(false)
    expect(laptop.status.unacked).toBe(0)
  })
})

describe('a revoked session', () => {
  it('shows the sign-in sentence and keeps the local changes counted', async () => {
    const { account, phoneAccount, phone } = await laptopAndPhone()
    phone.remote.disconnect()
    createEntity(phone.handle, 'collections', { name: 'Not yet sent' })
    await eventually(() => phone.status.unacked, count => count === 1, 'the change is counted')

    await revokeSession(server.url, account, phoneAccount)
    phone.remote.connect()
    await expect(phone.remote.whenInSync()).rejects.toThrow(CLOSE_REASONS.signedOut)
    expect(phone.status).toMatchObject({ state: 'error', unacked: 1, error: { code: 4401, reason: CLOSE_REASONS.signedOut, action: 'signIn' } })
    expect(phone.status.detail).toBe(`${CLOSE_REASONS.signedOut} 1 change on this device is not saved on the server yet.`)
  })

  it('signs in again and the change kept on the device reaches the other device', async () => {
    const { account, phoneAccount, laptop, phone } = await laptopAndPhone()
    phone.remote.disconnect()
    const kept = createEntity(phone.handle, 'collections', { name: 'Kept through sign-out' })
    await revokeSession(server.url, account, phoneAccount)
    phone.remote.connect()
    await eventually(() => phone.status.state, state => state === 'error', 'the phone shows it is signed out')

    const again = await signInOnAnotherDevice(server.url, account)
    phone.useCookie(again.cookie)
    await phone.reload()
    await phone.remote.whenInSync()
    await eventually(() => laptop.db.collections.get([laptop.workspaceId, kept.id]), row => row !== undefined, 'the kept change reaches the laptop')
  })

  it('turns to Error at once when the session is revoked while connected', async () => {
    const { account, phoneAccount, phone } = await laptopAndPhone()
    await revokeSession(server.url, account, phoneAccount)
    await eventually(() => phone.status.state, state => state === 'error', 'the phone shows an error')
    expect(phone.status.error?.reason).toBe(CLOSE_REASONS.signedOut)
    // The provider stops: a permanent refusal is not retried.
    await new Promise(resolve => setTimeout(resolve, 500))
    expect(phone.status.state).toBe('error')
    expect(phone.remote.provider?.shouldConnect).toBe(false)
  })
})
