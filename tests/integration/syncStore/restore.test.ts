/**
 * First sign-in on a device against the real server: every workspace of the
 * account comes down, the active one first, with progress in documents and
 * items that reaches the server's totals; restored workspaces are not
 * restored again; a restore cut off by the server going away carries on when
 * it is back.
 */
import 'fake-indexeddb/auto'
import type { RestoreProgress } from '../../../src/stores/restore'
import { describe, expect, it } from 'vitest'
import { watch } from 'vue'
import { listCollections } from '../../../src/db/queries'
import { listRestoredWorkspaceIds } from '../../../src/db/restore'
import { useRestoreStore } from '../../../src/stores/restore'
import { serverForAppTests, signUpInApp } from './appOnDevice'
import { eventually } from '../clientSync/devices'
import { signInOnAnotherDevice, signUp as signUpElsewhere } from '../sync/accounts'

const { server, openApp: openAppWithoutRestore } = serverForAppTests()

/** The app with its restore store too, which these tests watch. */
function openApp() {
  return { ...openAppWithoutRestore(), restore: useRestoreStore() }
}

/**
 * Someone signs up on another browser, fills their personal workspace and a
 * team workspace, and signs out there (which deletes that browser's copy, so
 * the next sign-in in this process starts from an empty device).
 */
async function accountWithTwoWorkspaces(requestsEach: number) {
  const app = openAppWithoutRestore()
  await app.workspaces.ready
  const account = await signUpInApp(app)
  const fill = async (collectionName: string) => {
    const collectionId = await app.collections.createCollection(collectionName)
    for (let i = 0; i < requestsEach; i++)
      await app.collections.createRequest(collectionId, { name: `${collectionName} request ${i}`, url: `https://api.example.com/${i}` })
  }
  await fill('Personal API')
  await app.sync.whenInSync()
  const teamId = await app.workspaces.create('Team API')
  await app.workspaces.switchTo(teamId)
  await app.sync.settled()
  await fill('Shared API')
  await app.sync.whenInSync()
  expect(await app.sync.signOut()).toBe('signed-out')
  return { ...account, personalId: account.personalWorkspaceId, teamId }
}

/** Every progress the bar would show, in order. */
function recordProgress(restore: ReturnType<typeof useRestoreStore>): RestoreProgress[] {
  const seen: RestoreProgress[] = []
  watch(() => restore.progress, progress => progress.documentsTotal > 0 && seen.push(progress), { flush: 'sync' })
  return seen
}

describe('restore on first sign-in', () => {
  it('restores both workspaces onto a fresh device, the personal one first, with progress reaching the totals', async () => {
    const account = await accountWithTwoWorkspaces(5)

    const device = openApp()
    await device.workspaces.ready
    const seen = recordProgress(device.restore)
    expect(await device.session.signIn(account.username, account.password)).toBe('signed-in')
    await device.sync.settled()
    expect(device.workspaces.activeWorkspaceId).toBe(account.personalId)
    await eventually(() => device.restore.restoredIds, ids => ids.length === 2, 'both workspaces are restored', 20_000)
    await device.restore.finished()

    expect(device.restore.restoring).toBe(false)
    const last = seen.at(-1)!
    // 2 workspaces × (workspace document + history document); items: per workspace a collection, 5 requests, and nothing else.
    expect(last).toEqual({ documentsDone: 6, documentsTotal: 6, itemsLoaded: 12, itemsTotal: 12 })
    expect(seen.some(progress => progress.documentsDone < 4)).toBe(true)
    expect(device.restore.restoredIds).toEqual([account.personalId, account.teamId])
    expect((await listRestoredWorkspaceIds(device.workspaces.db)).sort()).toEqual([account.personalId, account.teamId].sort())
    // The team workspace is on the device without ever having been opened.
    expect((await listCollections(device.workspaces.db, account.teamId)).map(row => row.name)).toEqual(['Shared API'])
    expect(device.workspaces.activeWorkspaceId).toBe(account.personalId)

    // Reloaded (another app on the same browser profile): nothing is restored again.
    const reloaded = openApp()
    await reloaded.workspaces.ready
    expect(await reloaded.session.signIn(account.username, account.password)).toBe('signed-in')
    await reloaded.sync.settled()
    await reloaded.restore.finished()
    expect(reloaded.restore.planned).toEqual([])
    expect(reloaded.restore.restoring).toBe(false)
  }, 60_000)

  it('tells members how much the server holds of a workspace, and nobody else', async () => {
    const account = await accountWithTwoWorkspaces(2)
    const member = await signInOnAnotherDevice(server.url, { ...account, userId: '', sessionId: '', cookie: '', personalWorkspaceId: account.personalId })
    const stranger = await signUpElsewhere(server.url, 'stranger')
    const summary = (cookie?: string) => fetch(`${server.url}/api/workspaces/${account.teamId}/summary`, { headers: cookie ? { cookie } : {} })

    const answer = await summary(member.cookie)
    expect(answer.status).toBe(200)
    expect(await answer.json()).toEqual({ entities: 3, history: 0, runs: 0 })
    const refused = await summary(stranger.cookie)
    expect(refused.status).toBe(404)
    expect(await refused.json()).toMatchObject({ error: 'no_such_workspace', message: expect.stringMatching(/not a member/) })
    expect((await summary()).status).toBe(401)
  }, 60_000)

  it('pauses with a sentence when the server goes away mid-restore, and carries on once it is back', async () => {
    const account = await accountWithTwoWorkspaces(3)

    const device = openApp()
    await device.workspaces.ready
    // The server dies the moment the personal workspace is restored, before the team one starts.
    const stopKilling = watch(() => device.restore.restoredIds.length, (count) => {
      if (count === 1)
        server.process.kill('SIGKILL')
    }, { flush: 'sync' })
    expect(await device.session.signIn(account.username, account.password)).toBe('signed-in')
    await eventually(() => device.restore.problem, problem => problem !== null, 'the restore says the server is unreachable', 20_000)
    stopKilling()
    expect(device.restore.problem).toMatch(/server cannot be reached.*continues by itself/)
    expect(device.restore.restoring).toBe(true)
    expect(await listRestoredWorkspaceIds(device.workspaces.db)).toEqual([account.personalId])
    expect(await listCollections(device.workspaces.db, account.teamId)).toEqual([])

    await server.restart()
    await eventually(() => device.restore.restoring, restoring => !restoring, 'the restore finishes once the server is back', 30_000)
    expect(device.restore.problem).toBeNull()
    expect((await listRestoredWorkspaceIds(device.workspaces.db)).sort()).toEqual([account.personalId, account.teamId].sort())
    expect((await listCollections(device.workspaces.db, account.teamId)).map(row => row.name)).toEqual(['Shared API'])
  }, 90_000)
})
