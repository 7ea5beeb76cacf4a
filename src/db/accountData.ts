/**
 * An account's whole local database, as sign-out sees it: how many local
 * changes the server has not acked yet (every workspace, history and runs doc),
 * everything it holds as one exportable object, and deleting it from this
 * device.
 */
import type { Workspace } from '../domain/model'
import type { PigeonDb } from './schema'
import { PROJECTION_TABLES } from './schema'
import { countLocalUpdatesAfter } from './updateLog'

/** Unacked local changes of each synced document (of one workspace, or of the whole database). */
async function unackedByDocument(db: PigeonDb, workspaceId?: string): Promise<Array<{ workspaceId: string, unacked: number }>> {
  const states = workspaceId === undefined ? db.docState.toCollection() : db.docState.where('workspaceId').equals(workspaceId)
  const synced = await states.filter(state => state.mode === 'synced').toArray()
  return Promise.all(synced.map(async state => ({ workspaceId: state.workspaceId, unacked: await countLocalUpdatesAfter(db, state.docName, state.lastAckedSeq) })))
}

const total = (rows: Array<{ unacked: number }>): number => rows.reduce((sum, row) => sum + row.unacked, 0)

/** Local changes of every synced document in the database that the server has not durably acked. */
export async function countUnackedInDatabase(db: PigeonDb): Promise<number> {
  return total(await unackedByDocument(db))
}

/** Local changes of one workspace's synced documents that the server has not durably acked. */
export async function countUnackedInWorkspace(db: PigeonDb, workspaceId: string): Promise<number> {
  return total(await unackedByDocument(db, workspaceId))
}

/** The workspaces whose documents hold unacked local changes (what must reach the server before sign-out). */
export async function workspacesWithUnacked(db: PigeonDb): Promise<string[]> {
  return [...new Set((await unackedByDocument(db)).filter(row => row.unacked > 0).map(row => row.workspaceId))]
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

/** Reads every workspace of the database (or only `workspaceId`) with its collections, folders, requests, examples, presets, environments, globals, history and collection runs. */
export async function readAccountExport(db: PigeonDb, now = new Date(), workspaceId?: string): Promise<AccountExport> {
  const workspaces = workspaceId === undefined ? await db.workspaces.toArray() : [await db.workspaces.get(workspaceId)].filter(each => each !== undefined)
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

/** One workspace as an account export (the shape sign-out exports), e.g. one the server no longer lists. */
export function readWorkspaceExport(db: PigeonDb, workspaceId: string, now = new Date()): Promise<AccountExport> {
  return readAccountExport(db, now, workspaceId)
}

/** Closes the database and deletes it from this device's IndexedDB. */
export async function deleteDatabase(db: PigeonDb): Promise<void> {
  await db.delete({ disableAutoOpen: true })
}
