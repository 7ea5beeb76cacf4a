/**
 * The sync store against the real server: signing in opens the account's
 * own database and personal workspace and syncs it; a second device (the
 * sync layer on its own IndexedDB) sees what this app does; the status says
 * where things stand in words; signing out goes back to the Scratch Pad.
 */
import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { listCollections } from '../../../src/db/queries'
import { accountDbName, LOCAL_DB_NAME } from '../../../src/db/schema'
import { serverForAppTests, signUpInApp as signUp } from './appOnDevice'
import { eventually } from '../clientSync/devices'
import { revokeSession, signInOnAnotherDevice } from '../sync/accounts'

const { server, openApp, anotherDevice } = serverForAppTests()

describe('sync store', () => {
  it('says the Scratch Pad is not synced while signed out', async () => {
    const app = openApp()
    await app.workspaces.ready
    await app.sync.settled()
    await eventually(() => app.sync.status.label, label => label === 'Scratch Pad — not synced', 'the signed-out label shows')
    expect(app.sync.status).toMatchObject({ state: 'offline', syncs: false })
    expect(app.sync.status.sentence).toMatch(/Sign in to sync/)
  })

  it('signs up, opens the personal workspace in the account\'s own database, and syncs a new collection to another device', async () => {
    const app = openApp()
    await app.workspaces.ready
    const account = await signUp(app)
    expect(app.workspaces.databaseName).toBe(accountDbName(account.userId))
    expect(app.workspaces.activeWorkspaceId).toBe(account.personalWorkspaceId)
    await app.sync.whenInSync()
    expect(app.sync.status).toMatchObject({ state: 'inSync', label: 'In sync', unacked: 0 })

    const phone = await anotherDevice(account)
    const id = await app.collections.createCollection('Payments API')
    await eventually(() => listCollections(phone.db, account.personalWorkspaceId), rows => rows.some(row => row.id === id && row.name === 'Payments API'), 'the collection reaches the phone')
    await eventually(() => app.sync.status.state, state => state === 'inSync', 'the app is back in sync')
  }, 30_000)

  it('creates a workspace on the server too while signed in, and switching to it reconnects', async () => {
    const app = openApp()
    await app.workspaces.ready
    const account = await signUp(app)
    const teamId = await app.workspaces.create('Team API')

    const listed = await app.jar(`${server.url}/api/workspaces`, { headers: { accept: 'application/json' } })
    const body = await listed.json() as { workspaces: Array<{ id: string, name: string, kind: string }> }
    expect(body.workspaces).toContainEqual(expect.objectContaining({ id: teamId, name: 'Team API', kind: 'team' }))

    await app.workspaces.switchTo(teamId)
    await app.sync.settled()
    expect(app.sync.connection?.workspaceId).toBe(teamId)
    await app.sync.whenInSync()

    const phone = await anotherDevice(account, teamId)
    await app.collections.createCollection('Shared stuff')
    await eventually(() => listCollections(phone.db, teamId), rows => rows.some(row => row.name === 'Shared stuff'), 'the team workspace\'s collection reaches the phone')
  }, 30_000)

  it('creates a workspace while the server is down, and makes it on the server once it is back', async () => {
    const app = openApp()
    await app.workspaces.ready
    await signUp(app)
    await app.sync.whenInSync()

    await server.stop()
    const teamId = await app.workspaces.create('Made on a plane')
    await server.restart()
    await app.sync.refreshWorkspaces()
    expect(app.sync.serverWorkspaces.map(w => w.id)).toContain(teamId)

    await app.workspaces.switchTo(teamId)
    await app.sync.whenInSync(15_000)
    expect(app.sync.status.label).toBe('In sync')
  }, 40_000)

  it('is told when another device signs it out, and goes back to the Scratch Pad keeping the account\'s data', async () => {
    const app = openApp()
    await app.workspaces.ready
    const account = await signUp(app)
    await app.sync.whenInSync()
    const thisSession = app.session.session!.sessionId
    const phone = await signInOnAnotherDevice(server.url, { ...account, sessionId: '', cookie: '' })

    await revokeSession(server.url, phone, { ...account, sessionId: thisSession, cookie: '' })
    await eventually(() => app.session.endedMessage, message => message !== null, 'the app is told its session ended')
    expect(app.session.user).toBeNull()
    await eventually(() => app.workspaces.databaseName, name => name === LOCAL_DB_NAME, 'the app is back on the Scratch Pad')
  }, 30_000)

  it('shows Offline with the count of kept changes while the browser is offline, then syncs them', async () => {
    const app = openApp()
    await app.workspaces.ready
    const account = await signUp(app)
    await app.sync.whenInSync()
    const phone = await anotherDevice(account)

    app.sync.setBrowserOnline(false)
    app.sync.connection!.disconnect()
    await app.collections.createCollection('Written on the train')
    await eventually(() => app.sync.status, status => status.state === 'offline' && status.unacked > 0, 'the offline change is counted')
    expect(app.sync.status.label).toBe('Offline')
    expect(app.sync.status.sentence).toMatch(/kept on this device/)

    app.sync.setBrowserOnline(true)
    app.sync.connection!.connect()
    await app.sync.whenInSync()
    expect(app.sync.status.unacked).toBe(0)
    await eventually(() => listCollections(phone.db, account.personalWorkspaceId), rows => rows.some(row => row.name === 'Written on the train'), 'the offline change reaches the phone')
  }, 30_000)

  it('signs out back to the Scratch Pad, which kept its own collections', async () => {
    const app = openApp()
    await app.workspaces.ready
    await app.collections.createCollection('Local notes')
    await signUp(app)
    await app.sync.whenInSync()
    await eventually(() => app.collections.loaded && app.collections.collections.length === 0, ok => ok, 'the personal workspace starts empty')

    await app.session.signOut()
    await app.sync.settled()
    expect(app.workspaces.databaseName).toBe(LOCAL_DB_NAME)
    expect(app.workspaces.activeWorkspaceId).toBe('scratch-pad')
    expect(app.sync.connection).toBeNull()
    await eventually(() => app.sync.status.label, label => label === 'Scratch Pad — not synced', 'the signed-out label shows again')
    await eventually(() => app.collections.collections.map(c => c.name), names => names.includes('Local notes'), 'the Scratch Pad\'s collection shows')
  }, 30_000)
})
