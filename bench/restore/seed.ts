/**
 * Fills an account's personal workspace on the server through the real sync
 * protocol: the app's own data layer (src/sync, on fake-indexeddb, as one
 * more device) imports the requests and environments and records the
 * history, then connects both documents and waits until the server has
 * durably acked everything.
 */
import 'fake-indexeddb/auto'
import type { TestAccount } from '../../tests/integration/sync/accounts'
import { accountDbName, openPigeonDb } from '../../src/db/schema'
import { RequestSnapshot, ResponseSummary } from '../../src/domain/model'
import { keysBetween } from '../../src/domain/tree'
import { addHistoryEntry, openHistoryDoc } from '../../src/sync/historyDocs'
import { importEntities } from '../../src/sync/mutations'
import { connectDocument } from '../../src/sync/remote/connectDocument'
import { createWorkspace, openWorkspaceDoc } from '../../src/sync/workspaceDocs'
import { nodeWebSocket } from '../../tests/integration/clientSync/devices'
import { generateWorkspace } from '../core/workspace'

export interface RestoreSize {
  collections: number
  folders: number
  requests: number
  environments: number
  history: number
}

/** Issue 5's size: 5,000 requests (in 10 collections of 25 folders), 50 environments, 2,000 history entries. */
export const ISSUE_RESTORE_SIZE: RestoreSize = { collections: 10, folders: 250, requests: 5000, environments: 50, history: 2000 }

function environments(count: number) {
  return keysBetween(null, null, count).map((sortKey, e) => ({
    id: `e${e}`,
    sortKey,
    name: `Stage ${e + 1}`,
    variables: Array.from({ length: 10 }, (_, v) => ({ id: `v${v}`, key: `var${v}`, value: `https://stage-${e}.example.com/${v}` })),
  }))
}

/** Seeds `account`'s personal workspace on `serverUrl`; resolves once the server acked it all. */
export async function seedPersonalWorkspace(serverUrl: string, account: TestAccount, size: RestoreSize): Promise<void> {
  const db = openPigeonDb(accountDbName(account.userId))
  const workspaceId = account.personalWorkspaceId
  await createWorkspace(db, 'Personal', 'personal', workspaceId)
  const workspace = openWorkspaceDoc(db, workspaceId, { userId: account.userId })
  const history = openHistoryDoc(db, workspaceId, account.userId)
  await Promise.all([workspace.whenLoaded, history.whenLoaded])

  importEntities(workspace, { ...generateWorkspace(size), environments: environments(size.environments) })
  const started = Date.now() - size.history * 1000
  for (let h = 0; h < size.history; h++) {
    const r = h % size.requests
    addHistoryEntry(history, {
      requestId: `r${r}`,
      request: RequestSnapshot.parse({ name: `Request ${r}`, method: 'GET', url: `https://api.example.com/items/${r}` }),
      response: ResponseSummary.parse({ status: 200, statusText: 'OK', body: `{"id":${r}}` }),
      sentAt: started + h * 1000,
    }, size.history) // The app keeps HISTORY_LIMIT per person and workspace; the benchmark asks for more.
  }

  const options = { serverUrl, WebSocketPolyfill: nodeWebSocket({ cookie: account.cookie, origin: serverUrl }) }
  const remotes = await Promise.all([connectDocument(workspace, options), connectDocument(history, options)])
  await Promise.all(remotes.map(remote => remote.whenInSync(60_000)))
  remotes.forEach(remote => remote.destroy())
  await Promise.all([workspace.close(), history.close()])
  db.close()
}
