/**
 * Collection runs sync like everything else: the app's runs store against the
 * real server, and another device (the sync layer on its own IndexedDB) that
 * sees what the app saved and deleted — online, and after a run saved
 * offline. Runs belong to the workspace, so a teammate sees them too.
 */
import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { finishedRun } from '../../support/runs'
import { listRuns } from '../../../src/db/queries'
import { addRun } from '../../../src/sync/runDocs'
import { useRunsStore } from '../../../src/stores/runs'
import { type App, serverForAppTests, signUpInApp } from './appOnDevice'
import { Device, eventually } from '../clientSync/devices'
import { invite, signInOnAnotherDevice, signUp as signUpElsewhere } from '../sync/accounts'

const { server, openApp, closeAfterTest } = serverForAppTests()

/** The app signed up and in sync, and its account in the shape the server helpers take, without a session: a test that needs one signs in again. */
async function signedInApp() {
  const app = openApp()
  await app.workspaces.ready
  const account = await signUpInApp(app)
  await app.sync.whenInSync()
  return { app, runs: useRunsStore(), account: { ...account, sessionId: '', cookie: '' } }
}

/**
 * The same account (or a teammate) on another device, with the workspace's
 * runs doc connected. Not `anotherDevice`: it takes a session the test made
 * (a teammate has no account in the app), and it opens the runs doc.
 */
async function deviceOf(session: { userId: string, cookie: string }, workspaceId: string, kind: 'personal' | 'team' = 'personal'): Promise<Device> {
  return closeAfterTest(await new Device('phone', { serverUrl: server.url, userId: session.userId, cookie: session.cookie, workspaceId, kind, withRuns: true }).open())
}

const runNamesOn = async (device: Device): Promise<string[]> => (await listRuns(device.db, device.workspaceId)).map(run => run.name)

function goOffline(app: App): void {
  app.sync.setBrowserOnline(false)
  app.sync.connection!.disconnect()
}

function comeBackOnline(app: App): void {
  app.sync.setBrowserOnline(true)
  app.sync.connection!.connect()
}

describe('collection runs across devices', () => {
  it('a run saved on the laptop shows on the phone with its results, and deleting it on the laptop deletes it on the phone', async () => {
    const { app, runs, account } = await signedInApp()
    const phone = await deviceOf(await signInOnAnotherDevice(server.url, account), account.personalWorkspaceId)

    const saved = await runs.saveRun(finishedRun({ name: 'Pet store, 3 iterations', iterations: 3 }))
    await eventually(() => runNamesOn(phone), names => names.includes('Pet store, 3 iterations'), 'the run reaches the phone')
    const [onPhone] = await listRuns(phone.db, account.personalWorkspaceId)
    expect(onPhone).toEqual(saved)
    expect(onPhone.results).toHaveLength(6)
    await eventually(() => app.sync.status, status => status.state === 'inSync' && status.unacked === 0, 'the laptop is in sync')

    await runs.deleteRun(saved.id)
    await eventually(() => runNamesOn(phone), names => names.length === 0, 'the deletion reaches the phone')
  }, 30_000)

  it('a run saved offline is counted as kept on this device, holds sign-out back, then syncs once back online', async () => {
    const { app, runs, account } = await signedInApp()
    const phone = await deviceOf(await signInOnAnotherDevice(server.url, account), account.personalWorkspaceId)
    // The runs doc joins the connection once the workspace doc is in sync.
    await app.sync.whenInSync()

    goOffline(app)
    await runs.saveRun(finishedRun({ name: 'Run on the train' }))
    await eventually(() => app.sync.status, status => status.state === 'offline' && status.unacked > 0, 'the offline run is counted')
    expect(app.sync.status.sentence).toMatch(/kept on this device/)
    expect(await runNamesOn(phone)).toEqual([])
    // Signing out now would lose it: the app asks first, and the export holds it.
    expect(await app.sync.signOut()).toBe('asked')
    expect(app.sync.pendingSignOut?.unacked).toBeGreaterThan(0)
    const exported = JSON.parse(await app.sync.exportAccountData()) as { workspaces: Array<{ id: string, runs: Array<{ name: string }> }> }
    expect(exported.workspaces.find(workspace => workspace.id === account.personalWorkspaceId)?.runs.map(run => run.name)).toEqual(['Run on the train'])
    app.sync.cancelSignOut()

    comeBackOnline(app)
    await app.sync.whenInSync()
    expect(app.sync.status.unacked).toBe(0)
    await eventually(() => runNamesOn(phone), names => names.includes('Run on the train'), 'the offline run reaches the phone')

    const summary = await app.jar(`${server.url}/api/workspaces/${account.personalWorkspaceId}/summary`, { headers: { accept: 'application/json' } })
    expect(await summary.json()).toMatchObject({ runs: 1 })
  }, 30_000)

  it('a teammate\'s run shows in the shared workspace, and clearing a collection\'s runs clears them for both', async () => {
    const { app, runs, account } = await signedInApp()
    const teamId = await app.workspaces.create('Team API')
    await app.workspaces.switchTo(teamId)
    await app.sync.settled()
    await app.sync.whenInSync()
    const owner = await signInOnAnotherDevice(server.url, account)
    const bob = await signUpElsewhere(server.url, 'bob')
    await invite(server.url, owner, teamId, bob, 'editor')
    const bobsLaptop = await deviceOf(bob, teamId, 'team')
    await bobsLaptop.runs!.remote.whenInSync()

    addRun(bobsLaptop.runs!.handle, finishedRun({ name: 'Bob ran pets', collectionId: 'c-pets', startedAt: 2000 }))
    await runs.saveRun(finishedRun({ name: 'Ada ran the shop', collectionId: 'c-shop', startedAt: 1000 }))
    await eventually(() => runs.runs.map(run => run.name), names => names.length === 2, 'both runs show in the app')
    expect(runs.runs.map(run => run.name)).toEqual(['Bob ran pets', 'Ada ran the shop'])
    expect(runs.runsOf('c-pets')[0].updatedBy).toBe(bob.userId)

    await runs.clearRuns('c-pets')
    await eventually(() => runNamesOn(bobsLaptop), names => names.join() === 'Ada ran the shop', 'bob sees only the shop run')
  }, 30_000)
})
