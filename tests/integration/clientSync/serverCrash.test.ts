/**
 * The server dies with SIGKILL while two devices work: they keep editing
 * offline, reconnect once it is back, and converge with every edit present;
 * every edit the server had acked before it died is there for a new device.
 *
 * With SYNC_UNSAFE_ACK_BEFORE_COMMIT=1 in the environment (a server whose
 * acks do not mean durable) the second test fails: "In sync" must only ever
 * follow a durable ack.
 */
import type { PigeonServer } from '../../support/pigeonServer.js'
import type { TestAccount } from '../sync/accounts.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPigeonServer } from '../../support/pigeonServer.js'
import { signInOnAnotherDevice, signUp } from '../sync/accounts.js'
import { CLOSE_REASONS, CLOSE_SERVICE_RESTART } from '../../../src/domain/syncProtocol'
import { createEntity } from '../../../src/sync/mutations'
import { Device, eventually } from './devices'

let server: PigeonServer
let devices: Device[] = []

async function deviceOf(account: TestAccount, name: string): Promise<Device> {
  const device = new Device(name, { serverUrl: server.url, userId: account.userId, cookie: account.cookie, workspaceId: account.personalWorkspaceId })
  devices.push(device)
  return device.open()
}

async function requestIds(device: Device): Promise<string[]> {
  const rows = await device.db.requests.where('workspaceId').equals(device.workspaceId).toArray()
  return rows.map(row => row.id).sort()
}

beforeAll(async () => {
  server = await startPigeonServer()
})
afterAll(async () => {
  for (const device of devices)
    await device.close().catch(() => undefined)
  devices = []
  await server.stop()
})

describe('the server is killed and restarted', () => {
  it('keeps every acked edit, and the devices converge with their offline edits', async () => {
    const account = await signUp(server.url, 'grace')
    const laptop = await deviceOf(account, 'laptop')
    const phone = await deviceOf(await signInOnAnotherDevice(server.url, account), 'phone')
    await Promise.all([laptop.remote.whenInSync(), phone.remote.whenInSync()])

    const collection = createEntity(laptop.handle, 'collections', { name: 'Crash course' })
    const acked: string[] = []
    for (let i = 0; i < 5; i++) {
      for (const device of [laptop, phone]) {
        await eventually(() => device.db.collections.get([device.workspaceId, collection.id]), row => row !== undefined, `the collection is on the ${device.name}`)
        acked.push(createEntity(device.handle, 'requests', { parentId: collection.id, name: `${device.name} acked ${i}` }).id)
        await device.remote.whenInSync()
      }
    }

    // Edits in flight when the process dies: maybe committed, maybe not; they are still on the device.
    const inFlight = [
      createEntity(laptop.handle, 'requests', { parentId: collection.id, name: 'laptop in flight' }).id,
      createEntity(phone.handle, 'requests', { parentId: collection.id, name: 'phone in flight' }).id,
    ]
    await server.stop('SIGKILL')

    await eventually(() => laptop.status.state, state => state === 'connecting' || state === 'error', 'the laptop notices the server is gone')
    const offline = [
      createEntity(laptop.handle, 'requests', { parentId: collection.id, name: 'laptop while down' }).id,
      createEntity(phone.handle, 'requests', { parentId: collection.id, name: 'phone while down' }).id,
    ]
    await eventually(() => laptop.status.unacked, count => count >= 2, 'the laptop counts its unsynced edits')
    await eventually(() => laptop.status.state, state => state === 'error', 'the laptop says the server cannot be reached', 15_000)
    expect(laptop.status.error?.code).toBe(0)

    // First, from the server alone: a new device with an empty database gets every acked edit.
    laptop.remote.disconnect()
    phone.remote.disconnect()
    server = await startPigeonServer({ dataDir: server.dataDir, port: server.port })
    const tablet = await deviceOf(account, 'tablet')
    await tablet.remote.whenInSync(20_000)
    const onServer = await requestIds(tablet)
    expect(acked.filter(id => !onServer.includes(id))).toEqual([])

    laptop.remote.connect()
    phone.remote.connect()
    await Promise.all([laptop.remote.whenInSync(20_000), phone.remote.whenInSync(20_000)])

    const everything = [...acked, ...inFlight, ...offline].sort()
    for (const device of [laptop, phone, tablet])
      await eventually(() => requestIds(device), ids => everything.every(id => ids.includes(id)), `every edit is on the ${device.name}`)
    expect(await laptop.tables()).toEqual(await phone.tables())
    expect(await tablet.tables()).toEqual(await phone.tables())
    expect(await laptop.unackedInDexie()).toBe(0)
    expect(await phone.unackedInDexie()).toBe(0)
  })

  it('loses nothing that showed In sync, even when the server dies right after', async () => {
    const account = await signUp(server.url, 'edsger')
    const laptop = await deviceOf(account, 'laptop')
    await laptop.remote.whenInSync()
    const collection = createEntity(laptop.handle, 'collections', { name: 'Durable' })
    const acked: string[] = []
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 3; i++)
        acked.push(createEntity(laptop.handle, 'requests', { parentId: collection.id, name: `round ${round} edit ${i}` }).id)
      await laptop.remote.whenInSync()
      await server.stop('SIGKILL')
      server = await startPigeonServer({ dataDir: server.dataDir, port: server.port })
      const fresh = await deviceOf(account, `fresh device ${round}`)
      await fresh.remote.whenInSync(20_000)
      const onServer = await requestIds(fresh)
      expect(acked.filter(id => !onServer.includes(id)), `round ${round}: acked edits missing after the crash`).toEqual([])
      await fresh.close()
      devices = devices.filter(device => device !== fresh)
      await laptop.remote.whenInSync(20_000)
    }
  })

  it('says the server is restarting on a graceful stop, and syncs again after', async () => {
    const account = await signUp(server.url, 'barbara')
    const laptop = await deviceOf(account, 'laptop')
    await laptop.remote.whenInSync()
    await server.stop('SIGTERM')
    await eventually(() => laptop.status.error?.code, code => code === CLOSE_SERVICE_RESTART, 'the laptop hears the server restart')
    expect(laptop.status).toMatchObject({ state: 'error', error: { reason: CLOSE_REASONS.restarting, retrying: true } })

    const collection = createEntity(laptop.handle, 'collections', { name: 'During the restart' })
    server = await startPigeonServer({ dataDir: server.dataDir, port: server.port })
    await laptop.remote.whenInSync(20_000)
    const fresh = await deviceOf(account, 'fresh device')
    await eventually(() => fresh.db.collections.get([fresh.workspaceId, collection.id]), row => row !== undefined, 'the change is on the server')
  })
})
