/**
 * Presence through the real server: a laptop and a phone of one account
 * have the same workspace open; each sees the other and which request it
 * has open; when one closes, the other sees it leave; and nothing about
 * presence ends up in Dexie or in the workspace document.
 */
import type { PigeonServer } from '../../support/pigeonServer.js'
import type { TestAccount } from '../sync/accounts.js'
import type { PresenceIdentity, PresencePeer, SharedPresence } from '../../../src/sync/remote/presence'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeAfterEach } from '../../support/hooks'
import * as Y from 'yjs'
import { startPigeonServer } from '../../support/pigeonServer.js'
import { signInOnAnotherDevice, signUp } from '../sync/accounts.js'
import { createEntity } from '../../../src/sync/mutations'
import { sharePresence } from '../../../src/sync/remote/presence'
import { Device, eventually } from './devices'

let server: PigeonServer
const devices: Device[] = []

/** A marker no other data contains, to look for in storage afterwards. */
const PHONE_NAME = `Phone ${Math.random().toString(36).slice(2)}`

async function deviceOf(account: TestAccount, name: string): Promise<Device> {
  const device = new Device(name, { serverUrl: server.url, userId: account.userId, cookie: account.cookie, workspaceId: account.personalWorkspaceId })
  devices.push(device)
  return device.open()
}

function identityOf(account: TestAccount, deviceName: string): PresenceIdentity {
  return { userId: account.userId, username: account.username, deviceId: `id-${deviceName}`, deviceName }
}

/** Shares `me` once the device's connection is up (the tab becomes the document's leader a moment after opening). */
async function share(device: Device, me: PresenceIdentity, openRequestId: string | null = null): Promise<SharedPresence> {
  const awareness = await eventually(() => device.remote.awareness, found => found !== null, `${device.name} has a connection of its own`)
  return sharePresence(awareness!, me, openRequestId)
}

const summary = (peers: PresencePeer[]): string[] => peers.map(peer => `${peer.user.name} on ${peer.device.name} viewing ${peer.openRequestId}`)

beforeAll(async () => {
  server = await startPigeonServer()
})
closeAfterEach(devices)
afterAll(async () => {
  await server.stop()
})

describe('presence between two devices of one account', () => {
  it('shows each device to the other with the request it has open, and removes a device at once when it closes', async () => {
    const account = await signUp(server.url, 'pia')
    const laptop = await deviceOf(account, 'laptop')
    const phone = await deviceOf(await signInOnAnotherDevice(server.url, account), 'phone')
    await Promise.all([laptop.remote.whenInSync(), phone.remote.whenInSync()])
    const collection = createEntity(laptop.handle, 'collections', { name: 'Orders' })
    const getOrder = createEntity(laptop.handle, 'requests', { parentId: collection.id, name: 'Get order', method: 'GET', url: 'https://api.example.com/orders/1' })

    const onLaptop = await share(laptop, identityOf(account, 'Laptop'))
    const onPhone = await share(phone, identityOf(account, PHONE_NAME))
    await eventually(() => summary(onLaptop.peers()), seen => seen.length === 1, 'the laptop sees the phone')
    await eventually(() => summary(onPhone.peers()), seen => seen.length === 1, 'the phone sees the laptop')
    expect(summary(onPhone.peers())).toEqual([`${account.username} on Laptop viewing null`])

    onPhone.setOpenRequest(getOrder.id)
    const seen = await eventually(() => summary(onLaptop.peers()), now => now[0]?.endsWith(getOrder.id) ?? false, 'the laptop sees the phone open Get order')
    expect(seen).toEqual([`${account.username} on ${PHONE_NAME} viewing ${getOrder.id}`])

    // Closing the phone (like closing its tab) withdraws its presence: gone without waiting for the 30 s timeout.
    const closedAt = Date.now()
    await phone.close()
    devices.splice(devices.indexOf(phone), 1)
    await eventually(() => onLaptop.peers(), now => now.length === 0, 'the phone is gone from the laptop', 2_000)
    expect(Date.now() - closedAt).toBeLessThan(2_000)
  })

  it('removes a device whose socket drops without saying goodbye, once the server notices', async () => {
    const account = await signUp(server.url, 'ray')
    const laptop = await deviceOf(account, 'laptop')
    const phone = await deviceOf(await signInOnAnotherDevice(server.url, account), 'phone')
    const onLaptop = await share(laptop, identityOf(account, 'Laptop'))
    await share(phone, identityOf(account, PHONE_NAME), 'some-request')
    await eventually(() => onLaptop.peers(), now => now.length === 1, 'the laptop sees the phone')

    // The phone stops reconnecting and its socket is cut: no awareness "null" is ever sent.
    const provider = phone.remote.provider
    if (!provider)
      throw new Error('The phone has no connection of its own.')
    const socket = provider.ws as unknown as { terminate: () => void }
    provider.shouldConnect = false
    socket.terminate()
    await eventually(() => onLaptop.peers(), now => now.length === 0, 'the server removed the phone\'s presence', 5_000)
  })

  it('keeps presence out of Dexie and out of the workspace document', async () => {
    const account = await signUp(server.url, 'sol')
    const laptop = await deviceOf(account, 'laptop')
    const phone = await deviceOf(await signInOnAnotherDevice(server.url, account), 'phone')
    const request = createEntity(laptop.handle, 'requests', { parentId: createEntity(laptop.handle, 'collections', { name: 'C' }).id, name: 'R', method: 'GET', url: 'https://example.com' })
    const onLaptop = await share(laptop, identityOf(account, 'Laptop'))
    await share(phone, identityOf(account, PHONE_NAME), request.id)
    await eventually(() => onLaptop.peers(), now => now.length === 1, 'the laptop sees the phone')
    await Promise.all([laptop.remote.whenInSync(), phone.remote.whenInSync()])

    for (const device of [laptop, phone]) {
      await device.handle.flushed()
      const everything = await Promise.all(device.db.tables.map(table => table.toArray()))
      const stored = JSON.stringify(everything, (_key, value: unknown) => value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : value)
      expect(stored).not.toContain(PHONE_NAME)
      expect(Buffer.from(Y.encodeStateAsUpdate(device.handle.doc)).toString('latin1')).not.toContain(PHONE_NAME)
      expect([...device.handle.doc.share.keys()].some(key => /presence|awareness/i.test(key))).toBe(false)
    }
  })
})
