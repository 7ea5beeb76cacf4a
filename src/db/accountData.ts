/**
 * An account's whole local database, as sign-out sees it: how many local
 * changes the server has not acked yet (every workspace and history doc),
 * everything it holds as one exportable object, and deleting it from this
 * device.
 */
import type { Workspace } from '../domain/model'
import type { PigeonDb } from './schema'
import { PROJECTION_TABLES } from './schema'
import { countLocalUpdatesAfter } from './updateLog'

/** Local changes of every synced document in the database that the server has not durably acked. */
export async function countUnackedInDatabase(db: PigeonDb): Promise<number> {
  const synced = await db.docState.filter(state => state.mode === 'synced').toArray()
  const counts = await Promise.all(synced.map(state => countLocalUpdatesAfter(db, state.docName, state.lastAckedSeq)))
  return counts.reduce((sum, count) => sum + count, 0)
}

/** The workspaces whose documents hold unacked local changes (what must reach the server before sign-out). */
export async function workspacesWithUnacked(db: PigeonDb): Promise<string[]> {
  const synced = await db.docState.filter(state => state.mode === 'synced').toArray()
  const ids = new Set<string>()
  for (const state of synced) {
    if (await countLocalUpdatesAfter(db, state.docName, state.lastAckedSeq) > 0)
      ids.add(state.workspaceId)
  }
  return [...ids]
}

/** One workspace with every entity projected from its documents. */
export type ExportedWorkspace = Workspace & { [Kind in (typeof PROJECTION_TABLES)[number]]: unknown[] }

/** Everything an account's database holds, as one Pigeon JSON export. */
export interface AccountExport {
  format: 'pigeon-account-export'
  version: 1
  exportedAt: string
  workspaces: ExportedWorkspace[]
}

/** Reads every workspace of the database with its collections, folders, requests, examples, presets, environments, globals and history. */
export async function readAccountExport(db: PigeonDb, now = new Date()): Promise<AccountExport> {
  const workspaces = await db.workspaces.toArray()
  const exported: ExportedWorkspace[] = []
  for (const workspace of workspaces) {
    const entities: Record<string, unknown[]> = {}
    for (const kind of PROJECTION_TABLES) {
      const rows = await db.projection(kind).where('workspaceId').equals(workspace.id).toArray()
      entities[kind] = rows.map(({ workspaceId: _workspaceId, ...entity }) => entity)
    }
    exported.push({ ...workspace, ...entities } as ExportedWorkspace)
  }
  return { format: 'pigeon-account-export', version: 1, exportedAt: now.toISOString(), workspaces: exported }
}

/** Closes the database and deletes it from this device's IndexedDB. */
export async function deleteDatabase(db: PigeonDb): Promise<void> {
  await db.delete({ disableAutoOpen: true })
}
