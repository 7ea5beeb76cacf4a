/**
 * A workspace synced as a whole: its doc, the person's history doc and the
 * workspace's runs doc, with one status. Two devices of one account; history
 * sent and a collection run saved on one show up in the other's tables.
 */
import type { PigeonServer } from '../../support/pigeonServer.js'
import type { TestAccount } from '../sync/accounts.js'
import { IDBFactory } from 'fake-indexeddb'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startPigeonServer } from '../../support/pigeonServer.js'
import { signInOnAnotherDevice, signUp } from '../sync/accounts.js'
import { RequestSnapshot, ResponseSummary } from '../../../src/domain/model'
import { accountDbName } from '../../../src/db/schema'
import { listHistory, listRuns } from '../../../src/db/queries'
import { readWorkspace } from '../../../src/db/registry'
import { addHistoryEntry } from '../../../src/sync/historyDocs'
import { addRun } from '../../../src/sync/runDocs'
import { finishedRun } from '../../support/runs'
import { createEntity } from '../../../src/sync/mutations'
import { createWorkspace } from '../../../src/sync/workspaceDocs'
import { type WorkspaceSync, syncWorkspace } from '../../../src/sync/remote/workspaceSync'
import { eventually, nodeWebSocket, openDbIn } from './devices'

let server: PigeonServer
let open: WorkspaceSync[] = []

/** A browser of `account` with its personal workspace synced. */
async function browserOf(account: TestAccount, connect = true): Promise<WorkspaceSync> {
  const db = openDbIn(new IDBFactory(), accountDbName(account.userId))
  if (!(await readWorkspace(db, account.personalWorkspaceId)))
    await createWorkspace(db, 'Personal', 'personal', account.personalWorkspaceId)
  const sync = await syncWorkspace(db, account.personalWorkspaceId, account.userId, {
    serverUrl: server.url,
    WebSocketPolyfill: nodeWebSocket({ cookie: account.cookie, origin: server.url }),
    maxBackoffTime: 300,
    connect,
  })
  open.push(sync)
  return sync
}

function sent(name: string, url: string) {
  return {
    requestId: '',
    request: RequestSnapshot.parse({ name, method: 'GET', url }),
    response: ResponseSummary.parse({ status: 200, statusText: 'OK', timeMs: 42, size: 17, body: '{"ok":true}' }),
    sentAt: Date.now(),
  }
}

beforeAll(async () => {
  server = await startPigeonServer()
})
afterEach(async () => {
  for (const sync of open)
    await sync.close().catch(() => undefined)
  open = []
})
afterAll(async () => {
  await server.stop()
})

describe('syncing a whole workspace', () => {
  it('sends a request on the laptop and finds it in the phone\'s history', async () => {
    const account = await signUp(server.url, 'lin')
    const laptop = await browserOf(account)
    const phone = await browserOf(await signInOnAnotherDevice(server.url, account))
    await Promise.all([laptop.whenInSync(), phone.whenInSync()])

    const entry = addHistoryEntry(laptop.history, sent('Health', 'https://api.example.com/health'))
    const phoneDb = phone.workspace.db
    const history = await eventually(() => listHistory(phoneDb, account.personalWorkspaceId), rows => rows.some(row => row.id === entry.id), 'the history entry reaches the phone')
    expect(history.find(row => row.id === entry.id)).toMatchObject({ request: { url: 'https://api.example.com/health' }, response: { status: 200 } })
    await laptop.whenInSync()
    expect(laptop.status).toMatchObject({ state: 'inSync', unacked: 0 })
  })

  it('runs a collection on the laptop and finds the run on the phone', async () => {
    const account = await signUp(server.url, 'ida')
    const laptop = await browserOf(account)
    const phone = await browserOf(await signInOnAnotherDevice(server.url, account))
    await Promise.all([laptop.whenInSync(), phone.whenInSync()])

    const run = addRun(laptop.runs, finishedRun({ name: 'Smoke tests', iterations: 2 }))
    const runs = await eventually(() => listRuns(phone.workspace.db, account.personalWorkspaceId), rows => rows.some(row => row.id === run.id), 'the run reaches the phone')
    expect(runs.find(row => row.id === run.id)).toEqual(run)
  })

  it('counts offline changes of all three documents in one status', async () => {
    const account = await signUp(server.url, 'max')
    const laptop = await browserOf(account, false)
    expect(laptop.status.state).toBe('offline')
    createEntity(laptop.workspace, 'collections', { name: 'Offline' })
    addHistoryEntry(laptop.history, sent('Ping', 'https://api.example.com/ping'))
    addRun(laptop.runs, finishedRun({ name: 'Offline run' }))
    // The workspace doc also holds its first local update (its name), made when it was registered.
    await eventually(() => laptop.status.unacked, count => count === 4, 'four changes are counted')

    laptop.connect()
    await laptop.whenInSync()
    expect(laptop.status).toMatchObject({ state: 'inSync', unacked: 0 })
  })
})
