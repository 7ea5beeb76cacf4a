/**
 * What a device shows when its access to a shared workspace changes on the
 * server: read-only as a viewer, removed from the workspace, the workspace
 * deleted. Real server, real sockets, each device with its own IndexedDB.
 */
import type { PigeonServer } from '../../support/pigeonServer.js'
import type { TestAccount } from '../sync/accounts.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeAfterEach } from '../../support/hooks'
import { startPigeonServer } from '../../support/pigeonServer.js'
import { changeRole, createWorkspace, deleteWorkspace, invite, removeMember, signUp } from '../sync/accounts.js'
import { CLOSE_REASONS, READ_ONLY_SENTENCE } from '../../../src/domain/syncProtocol'
import { createEntity } from '../../../src/sync/mutations'
import { Device, eventually } from './devices'

let server: PigeonServer
const devices: Device[] = []

async function deviceOf(account: TestAccount, name: string, workspaceId: string): Promise<Device> {
  const device = new Device(name, { serverUrl: server.url, userId: account.userId, cookie: account.cookie, workspaceId, kind: 'team' })
  devices.push(device)
  return device.open()
}

/** Ada owns a team workspace and Bob is in it with `role`; both have it open. */
async function sharedWorkspace(role: 'editor' | 'viewer') {
  const ada = await signUp(server.url, 'ada')
  const bob = await signUp(server.url, 'bob')
  const workspaceId = await createWorkspace(server.url, ada, 'Payments')
  await invite(server.url, ada, workspaceId, bob, role)
  const adaDevice = await deviceOf(ada, 'ada', workspaceId)
  const bobDevice = await deviceOf(bob, 'bob', workspaceId)
  await Promise.all([adaDevice.remote.whenInSync(), bobDevice.remote.whenInSync()])
  return { ada, bob, workspaceId, adaDevice, bobDevice }
}

beforeAll(async () => {
  server = await startPigeonServer()
})
closeAfterEach(devices)
afterAll(async () => {
  await server.stop()
})

describe('access to a shared workspace', () => {
  it('tells a viewer that changes are not saved, and an editor again that they are', async () => {
    const { ada, bob, workspaceId, adaDevice, bobDevice } = await sharedWorkspace('viewer')
    expect(bobDevice.status.detail).toBe(`${READ_ONLY_SENTENCE} You see the latest changes.`)

    const dropped = createEntity(bobDevice.handle, 'collections', { name: 'Bob tried' })
    await bobDevice.remote.whenInSync()
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(await adaDevice.db.collections.get([workspaceId, dropped.id])).toBeUndefined()

    await changeRole(server.url, ada, workspaceId, bob, 'editor')
    await eventually(() => bobDevice.status.detail, detail => !detail.includes(READ_ONLY_SENTENCE), 'the read-only notice goes away')
    const kept = createEntity(bobDevice.handle, 'collections', { name: 'Bob may now' })
    await eventually(() => adaDevice.db.collections.get([workspaceId, kept.id]), row => row !== undefined, 'Bob\'s collection reaches Ada')
    // Yjs cannot take back what is in Bob's doc: the edit made as a viewer travels too, now that it may.
    expect(await adaDevice.db.collections.get([workspaceId, dropped.id])).toMatchObject({ name: 'Bob tried' })
    await Promise.all([adaDevice.remote.whenInSync(), bobDevice.remote.whenInSync()])
    expect(await adaDevice.tables()).toEqual(await bobDevice.tables())
  })

  it('shows "not a member" when the owner removes the person', async () => {
    const { ada, bob, workspaceId, bobDevice } = await sharedWorkspace('editor')
    await removeMember(server.url, ada, workspaceId, bob)
    await eventually(() => bobDevice.status.state, state => state === 'error', 'Bob sees an error')
    expect(bobDevice.status.error).toMatchObject({ code: 4403, reason: CLOSE_REASONS.notMember, action: 'askForAccess', retrying: false })
  })

  it('shows that the workspace is gone when the owner deletes it', async () => {
    const { ada, workspaceId, bobDevice } = await sharedWorkspace('editor')
    createEntity(bobDevice.handle, 'collections', { name: 'Lost cause' })
    await deleteWorkspace(server.url, ada, workspaceId)
    await eventually(() => bobDevice.status.state, state => state === 'error', 'Bob sees an error')
    expect(bobDevice.status.error).toMatchObject({ code: 4404, reason: CLOSE_REASONS.notFound })
    // The local copy stays on the device until the person decides (export, or remove it).
    expect(await bobDevice.db.collections.where('workspaceId').equals(workspaceId).count()).toBeGreaterThan(0)
  })
})
