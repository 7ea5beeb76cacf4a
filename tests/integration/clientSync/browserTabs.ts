/**
 * Tabs of one browser on one account, for Node tests against the real
 * server: the browser is one fake IndexedDB and one Web Locks stand-in; each
 * tab has its own Dexie connection, workspace doc (own clientID) and sync
 * connection, and the tabs talk over Node's BroadcastChannel.
 */
import { IDBFactory } from 'fake-indexeddb'
import type { TestAccount } from '../sync/accounts.js'
import type { Closable } from '../../support/hooks'
import { InProcessLocks } from '../../support/tabLocks'
import { type PigeonDb, accountDbName } from '../../../src/db/schema'
import { readWorkspace } from '../../../src/db/registry'
import { createWorkspace, openWorkspaceDoc, type WorkspaceHandle } from '../../../src/sync/workspaceDocs'
import { type RemoteDocument, connectWorkspace } from '../../../src/sync/remote/connectDocument'
import { nodeWebSocket, openDbIn } from './devices'

/** One browser: one IndexedDB and one lock manager shared by its tabs. */
export interface Browser {
  indexedDB: IDBFactory
  locks: InProcessLocks
  account: TestAccount
}

/** One tab: its own database connection, doc and sync connection. */
export interface Tab {
  db: PigeonDb
  handle: WorkspaceHandle
  remote: RemoteDocument
  closed: boolean
}

export function browserOf(account: TestAccount): Browser {
  return { indexedDB: new IDBFactory(), locks: new InProcessLocks(), account }
}

/**
 * Opens a tab of `browser` on the account's personal workspace, connected to
 * the server at `serverUrl`; its closing is added to `opened`, so the test can
 * close whatever tabs are still open after it.
 */
export async function openTab(serverUrl: string, browser: Browser, opened: Closable[]): Promise<Tab> {
  const { account } = browser
  const db = openDbIn(browser.indexedDB, accountDbName(account.userId))
  if (!(await readWorkspace(db, account.personalWorkspaceId)))
    await createWorkspace(db, 'Personal', 'personal', account.personalWorkspaceId)
  const handle = openWorkspaceDoc(db, account.personalWorkspaceId, { userId: account.userId })
  await handle.whenLoaded
  const remote = await connectWorkspace(handle, {
    serverUrl,
    WebSocketPolyfill: nodeWebSocket({ cookie: account.cookie, origin: serverUrl }),
    maxBackoffTime: 300,
    locks: browser.locks,
  })
  const tab: Tab = { db, handle, remote, closed: false }
  opened.push({ close: () => closeTab(tab) })
  return tab
}

/** Closes a tab like the browser does when it is closed: connection, doc (stored first), database. */
export async function closeTab(tab: Tab): Promise<void> {
  if (tab.closed)
    return
  tab.closed = true
  tab.remote.destroy()
  await tab.handle.close()
  tab.db.close()
}
