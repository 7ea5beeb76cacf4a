/**
 * A workspace the server no longer lists for this account, as this device
 * holds it: how many of its local changes the server never acked, and its
 * contents as an export (the same shape as the account export) so the
 * person can keep them before discarding it.
 */
import type { AccountExport } from './accountData'
import type { PigeonDb } from './schema'
import { readAccountExport } from './accountData'
import { countLocalUpdatesAfter } from './updateLog'

/** Local changes of the workspace's synced documents that the server has not durably acked. */
export async function countUnackedInWorkspace(db: PigeonDb, workspaceId: string): Promise<number> {
  const states = await db.docState.where('workspaceId').equals(workspaceId).filter(state => state.mode === 'synced').toArray()
  const counts = await Promise.all(states.map(state => countLocalUpdatesAfter(db, state.docName, state.lastAckedSeq)))
  return counts.reduce((sum, count) => sum + count, 0)
}

/** One workspace with everything projected from its documents, as a Pigeon account export. */
export async function readWorkspaceExport(db: PigeonDb, workspaceId: string, now = new Date()): Promise<AccountExport> {
  const all = await readAccountExport(db, now)
  return { ...all, workspaces: all.workspaces.filter(workspace => workspace.id === workspaceId) }
}
