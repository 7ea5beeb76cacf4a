/**
 * Signing out against the real server: nothing unsynced is lost. In sync,
 * sign-out deletes the account's database from the device; with changes the
 * server has not acked it asks first, and waiting, exporting or discarding
 * each end with the database gone. A session the server ends keeps it.
 */
import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { listCollections } from '../../../src/db/queries'
import { accountDbName, LOCAL_DB_NAME } from '../../../src/db/schema'
import { type App, serverForAppTests, signUpInApp } from './appOnDevice'
import { eventually } from '../clientSync/devices'
import { revokeSession, signInOnAnotherDevice } from '../sync/accounts'

const { server, openApp, anotherDevice } = serverForAppTests()

/** Signs up and also waits until in sync, so what a test leaves unsynced is only what it made itself. */
async function signUp(app: App) {
  const account = await signUpInApp(app)
  await app.sync.whenInSync()
  return account
}

/** True while this browser profile still has the account's IndexedDB database. */
async function hasDatabase(userId: string): Promise<boolean> {
  return (await indexedDB.databases()).some(database => database.name === accountDbName(userId))
}

/** Makes a change the server does not get: the socket is down, the server still answers HTTP. */
async function unsyncedCollection(app: App, name: string): Promise<void> {
  app.sync.setBrowserOnline(false)
  app.sync.connection!.disconnect()
  await app.collections.createCollection(name)
}

describe('signing out', () => {
  it('signs out after sync and deletes the account\'s database from this device', async () => {
    const app = openApp()
    await app.workspaces.ready
    const account = await signUp(app)
    await app.collections.createCollection('Synced already')
    await eventually(() => app.sync.status, status => status.state === 'inSync' && status.unacked === 0, 'the collection is in sync')
    expect(await hasDatabase(account.userId)).toBe(true)

    expect(await app.sync.signOut()).toBe('signed-out')
    expect(app.session.user).toBeNull()
    expect(app.workspaces.databaseName).toBe(LOCAL_DB_NAME)
    expect(app.workspaces.activeWorkspaceId).toBe('scratch-pad')
    expect(app.sync.connection).toBeNull()
    expect(await hasDatabase(account.userId)).toBe(false)
  }, 30_000)

  it('is asked, not signed out, with unsynced changes while the server is down', async () => {
    const app = openApp()
    await app.workspaces.ready
    const account = await signUp(app)
    await server.stop()
    try {
      await app.collections.createCollection('Written on a plane')
      expect(await app.sync.signOut()).toBe('asked')
      expect(app.sync.pendingSignOut).toMatchObject({ unacked: expect.any(Number), waiting: false, problem: null })
      expect(app.sync.pendingSignOut!.unacked).toBeGreaterThan(0)
      expect(app.session.user?.id).toBe(account.userId)
      expect(app.workspaces.databaseName).toBe(accountDbName(account.userId))
      expect(await hasDatabase(account.userId)).toBe(true)

      app.sync.cancelSignOut()
      expect(app.sync.pendingSignOut).toBeNull()
      expect(app.session.user?.id).toBe(account.userId)
    }
    finally {
      await server.restart()
    }
  }, 40_000)

  it('waits for sync while the server is down, says so, and signs out once the change reached the server', async () => {
    const app = openApp()
    await app.workspaces.ready
    const account = await signUp(app)
    await server.stop()
    let restarted = false
    try {
      await app.collections.createCollection('Saved before leaving')
      expect(await app.sync.signOut()).toBe('asked')

      const waiting = app.sync.waitThenSignOut(30_000)
      await eventually(() => app.sync.pendingSignOut?.problem ?? null, problem => problem !== null && /cannot be reached/.test(problem), 'the dialog says the server cannot be reached')
      expect(app.sync.pendingSignOut?.waiting).toBe(true)
      expect(app.session.user?.id).toBe(account.userId)

      await server.restart()
      restarted = true
      expect(await waiting).toBe('signed-out')
    }
    finally {
      if (!restarted)
        await server.restart()
    }
    expect(app.session.user).toBeNull()
    expect(app.sync.pendingSignOut).toBeNull()
    expect(await hasDatabase(account.userId)).toBe(false)

    const phone = await anotherDevice(account)
    await eventually(() => listCollections(phone.db, account.personalWorkspaceId), rows => rows.some(row => row.name === 'Saved before leaving'), 'the change reached the other device')
  }, 60_000)

  it('discards unsynced changes when asked to, and deletes the account\'s database', async () => {
    const app = openApp()
    await app.workspaces.ready
    const account = await signUp(app)
    await unsyncedCollection(app, 'Not worth keeping')
    expect(await app.sync.signOut()).toBe('asked')

    await app.sync.discardThenSignOut()
    expect(app.session.user).toBeNull()
    expect(app.workspaces.databaseName).toBe(LOCAL_DB_NAME)
    expect(await hasDatabase(account.userId)).toBe(false)
  }, 30_000)

  it('exports the unsynced collection to a file before signing out', async () => {
    const app = openApp()
    await app.workspaces.ready
    const account = await signUp(app)
    await unsyncedCollection(app, 'Keep me in a file')
    expect(await app.sync.signOut()).toBe('asked')

    const file = JSON.parse(await app.sync.exportAccountData()) as { format: string, workspaces: Array<{ id: string, collections: Array<{ name: string }> }> }
    expect(file.format).toBe('pigeon-account-export')
    const personal = file.workspaces.find(w => w.id === account.personalWorkspaceId)
    expect(personal?.collections.map(c => c.name)).toContain('Keep me in a file')

    await app.sync.discardThenSignOut()
    expect(await hasDatabase(account.userId)).toBe(false)
  }, 30_000)

  it('keeps the unsynced change when the server ends the session, and syncs it after signing in again', async () => {
    const app = openApp()
    await app.workspaces.ready
    const account = await signUp(app)
    const thisSession = app.session.session!.sessionId
    const other = await signInOnAnotherDevice(server.url, { ...account, sessionId: '', cookie: '' })
    await unsyncedCollection(app, 'Kept through a revoke')

    await revokeSession(server.url, other, { ...account, sessionId: thisSession, cookie: '' })
    app.sync.setBrowserOnline(true)
    app.sync.connection!.connect()
    await eventually(() => app.session.endedMessage, message => message !== null, 'the app is told its session ended')
    await eventually(() => app.workspaces.databaseName, name => name === LOCAL_DB_NAME, 'the app is back on the Scratch Pad')
    expect(await hasDatabase(account.userId)).toBe(true)

    expect(await app.session.signIn(account.username, account.password)).toBe('signed-in')
    await app.sync.settled()
    expect(app.workspaces.databaseName).toBe(accountDbName(account.userId))
    await app.sync.whenInSync()
    const phone = await anotherDevice(account)
    await eventually(() => listCollections(phone.db, account.personalWorkspaceId), rows => rows.some(row => row.name === 'Kept through a revoke'), 'the kept change reached the other device')
  }, 30_000)
})
