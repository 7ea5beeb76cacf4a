/**
 * Everything a signed-in person syncs for one workspace, connected together:
 * the workspace doc, their own history doc and the workspace's runs doc,
 * with one combined status — the worst state and the total of unacked
 * changes.
 */
import type { Awareness } from 'y-protocols/awareness'
import type { PigeonDb } from '../../db/schema'
import type { DocHandle } from '../persistedDoc'
import { openHistoryDoc } from '../historyDocs'
import { openRunsDoc } from '../runDocs'
import { openWorkspaceDoc } from '../workspaceDocs'
import { watchConflicts } from '../conflicts/watch'
import { type ConnectOptions, type RemoteDocument, type SyncConnection, connectDocument } from './connectDocument'
import { type SyncStatus, combineStatuses } from './status'

/** Longest wait of the history and runs docs for the workspace doc to settle before they connect anyway. */
const FOLLOWERS_WAIT_MS = 5_000

/** A workspace's documents connected together; the status combines theirs, and In sync means every one is. */
export interface WorkspaceSync extends SyncConnection {
  readonly workspaceId: string
  /** The workspace doc's handle, for mutations. */
  readonly workspace: DocHandle
  /** The person's history doc's handle. */
  readonly history: DocHandle
  /** The workspace's runs doc's handle (collection runs, shared by its members). */
  readonly runs: DocHandle
  readonly documents: readonly RemoteDocument[]
  /** This tab's presence in the workspace, in every tab (tabPresence.ts); null once closed. */
  readonly awareness: Awareness | null
  /** Disconnects, then closes the documents it opened (storing what is queued). */
  close: () => Promise<void>
}

/** Opens and connects the workspace doc, `userId`'s history doc and the runs doc of `workspaceId`. */
export async function syncWorkspace(db: PigeonDb, workspaceId: string, userId: string, options: ConnectOptions): Promise<WorkspaceSync> {
  const workspace = openWorkspaceDoc(db, workspaceId, { userId })
  const history = openHistoryDoc(db, workspaceId, userId)
  const runs = openRunsDoc(db, workspaceId, userId)
  const handles = [workspace, history, runs]
  let documents: RemoteDocument[]
  try {
    // The history and runs docs connect once the workspace doc has what the server holds (below).
    documents = await Promise.all([
      connectDocument(workspace, options),
      connectDocument(history, { ...options, connect: false }),
      connectDocument(runs, { ...options, connect: false }),
    ])
  }
  catch (error) {
    await Promise.allSettled(handles.map(handle => handle.close()))
    throw error
  }
  // Conflicts: found in what the server sends to this connection, stored for every tab (conflicts/watch.ts).
  const conflicts = watchConflicts(workspace, documents[0])
  const [workspaceRemote, ...followers] = documents
  const listeners = new Set<(status: SyncStatus) => void>()
  // On a first sign-in the documents are large, and projecting them at once
  // made the workspace the person waits for share IndexedDB with history
  // (bench/restore). So history and runs (the followers) connect once the
  // workspace doc settles (In sync, offline or refused), or at once when one
  // of them holds changes of this device, or after FOLLOWERS_WAIT_MS. Until
  // then a follower counts in the combined status only once it holds such a
  // change.
  let wanted = options.connect ?? true
  let followersStarted = false
  const counted = (): RemoteDocument[] => [workspaceRemote, ...followers.filter(each => followersStarted || each.status.unacked > 0)]
  const combined = (): SyncStatus => combineStatuses(counted().map(each => each.status))
  let status = combined()
  const announce = (): void => {
    status = combined()
    for (const listener of listeners)
      listener(status)
  }
  const startFollowers = (): void => {
    if (followersStarted || !wanted)
      return
    followersStarted = true
    clearTimeout(followersTimer)
    followers.forEach(follower => follower.connect())
    announce()
  }
  const settled = (state: SyncStatus['state']): boolean => state === 'inSync' || state === 'offline' || state === 'error'
  let followersTimer = setTimeout(startFollowers, FOLLOWERS_WAIT_MS)
  const unsubscribe = [
    workspaceRemote.onStatus((next) => {
      if (settled(next.state))
        startFollowers()
      announce()
    }),
    ...followers.map(follower => follower.onStatus((next) => {
      if (next.unacked > 0)
        startFollowers()
      announce()
    })),
  ]
  if (followers.some(follower => follower.status.unacked > 0) || settled(workspaceRemote.status.state))
    startFollowers()

  return {
    workspaceId,
    workspace,
    history,
    runs,
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
      if (followersStarted)
        followers.forEach(follower => follower.connect())
      else {
        clearTimeout(followersTimer)
        followersTimer = setTimeout(startFollowers, FOLLOWERS_WAIT_MS)
      }
    },
    disconnect: () => {
      wanted = false
      clearTimeout(followersTimer)
      documents.forEach(document => document.disconnect())
    },
    setBrowserOnline: online => documents.forEach(document => document.setBrowserOnline(online)),
    close: async () => {
      clearTimeout(followersTimer)
      conflicts.stop()
      unsubscribe.forEach(stop => stop())
      listeners.clear()
      documents.forEach(document => document.destroy())
      await Promise.all(handles.map(handle => handle.close()))
    },
  }
}
