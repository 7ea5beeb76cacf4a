/**
 * Everything a signed-in person syncs for one workspace, connected together:
 * the workspace doc and their own history doc (the runs doc joins once the
 * data layer has one), with one combined status — the worst state and the
 * total of unacked changes.
 */
import type { Awareness } from 'y-protocols/awareness'
import type { PigeonDb } from '../../db/schema'
import type { DocHandle } from '../persistedDoc'
import { openHistoryDoc } from '../historyDocs'
import { openWorkspaceDoc } from '../workspaceDocs'
import { watchConflicts } from '../conflicts/watch'
import { type ConnectOptions, type RemoteDocument, connectDocument } from './connectDocument'
import { type SyncStatus, combineStatuses } from './status'

/** Longest wait of the history doc for the workspace doc to settle before it connects anyway. */
const HISTORY_WAIT_MS = 5_000

export interface WorkspaceSync {
  readonly workspaceId: string
  /** The workspace doc's handle, for mutations. */
  readonly workspace: DocHandle
  /** The person's history doc's handle. */
  readonly history: DocHandle
  readonly documents: readonly RemoteDocument[]
  /** Presence in the workspace (the workspace doc's awareness); null when this tab has no connection of its own. */
  readonly awareness: Awareness | null
  /** The combined status now. */
  readonly status: SyncStatus
  onStatus: (listener: (status: SyncStatus) => void) => () => void
  /** Resolves once every document is In sync. */
  whenInSync: (timeoutMs?: number) => Promise<void>
  connect: () => void
  disconnect: () => void
  setBrowserOnline: (online: boolean) => void
  /** Disconnects, then closes the documents it opened (storing what is queued). */
  close: () => Promise<void>
}

/** Opens and connects the workspace doc and `userId`'s history doc of `workspaceId`. */
export async function syncWorkspace(db: PigeonDb, workspaceId: string, userId: string, options: ConnectOptions): Promise<WorkspaceSync> {
  const workspace = openWorkspaceDoc(db, workspaceId, { userId })
  const history = openHistoryDoc(db, workspaceId, userId)
  let documents: RemoteDocument[]
  try {
    // The history doc connects once the workspace doc has what the server holds (below).
    documents = await Promise.all([connectDocument(workspace, options), connectDocument(history, { ...options, connect: false })])
  }
  catch (error) {
    await Promise.allSettled([workspace.close(), history.close()])
    throw error
  }
  // Conflicts: found in what the server sends to this connection, stored for every tab (conflicts/watch.ts).
  const conflicts = watchConflicts(workspace, documents[0])
  const [workspaceRemote, historyRemote] = documents
  const listeners = new Set<(status: SyncStatus) => void>()
  // On a first sign-in both documents are large, and projecting them at once
  // made the workspace the person waits for share IndexedDB with history
  // (bench/restore). So history connects once the workspace doc settles
  // (In sync, offline or refused), or at once when it holds changes of this
  // device, or after HISTORY_WAIT_MS. Until then it counts in the combined
  // status only once it holds such a change.
  let wanted = options.connect ?? true
  let historyStarted = false
  const counted = (): boolean => historyStarted || historyRemote.status.unacked > 0
  const combined = (): SyncStatus => combineStatuses(counted() ? documents.map(each => each.status) : [workspaceRemote.status])
  let status = combined()
  const announce = (): void => {
    status = combined()
    for (const listener of listeners)
      listener(status)
  }
  const startHistory = (): void => {
    if (historyStarted || !wanted)
      return
    historyStarted = true
    clearTimeout(historyTimer)
    historyRemote.connect()
    announce()
  }
  const settled = (state: SyncStatus['state']): boolean => state === 'inSync' || state === 'offline' || state === 'error'
  let historyTimer = setTimeout(startHistory, HISTORY_WAIT_MS)
  const unsubscribe = [
    workspaceRemote.onStatus((next) => {
      if (settled(next.state))
        startHistory()
      announce()
    }),
    historyRemote.onStatus((next) => {
      if (next.unacked > 0)
        startHistory()
      announce()
    }),
  ]
  if (historyRemote.status.unacked > 0 || settled(workspaceRemote.status.state))
    startHistory()

  return {
    workspaceId,
    workspace,
    history,
    documents,
    // Read each time: a tab that becomes the leader later gets its awareness then.
    get awareness() {
      return documents[0].awareness
    },
    get status() {
      return status
    },
    onStatus: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    whenInSync: async (timeoutMs) => {
      await Promise.all(documents.map(document => document.whenInSync(timeoutMs)))
    },
    connect: () => {
      wanted = true
      workspaceRemote.connect()
      if (historyStarted)
        historyRemote.connect()
      else {
        clearTimeout(historyTimer)
        historyTimer = setTimeout(startHistory, HISTORY_WAIT_MS)
      }
    },
    disconnect: () => {
      wanted = false
      clearTimeout(historyTimer)
      documents.forEach(document => document.disconnect())
    },
    setBrowserOnline: online => documents.forEach(document => document.setBrowserOnline(online)),
    close: async () => {
      clearTimeout(historyTimer)
      conflicts.stop()
      unsubscribe.forEach(stop => stop())
      listeners.clear()
      documents.forEach(document => document.destroy())
      await Promise.all([workspace.close(), history.close()])
    },
  }
}
