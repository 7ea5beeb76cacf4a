/**
 * The local registry of workspaces, and the writes that create or remove a
 * workspace with everything stored for it.
 */
import type { Workspace } from '../domain/model'
import type { DocMode, PigeonDb } from './schema'
import { PROJECTION_TABLES } from './schema'
import { guardWrite } from './quota'
import { newDocState } from './updateLog'

/** One workspace of the registry, or null. */
export async function readWorkspace(db: PigeonDb, workspaceId: string): Promise<Workspace | null> {
  return (await db.workspaces.get(workspaceId)) ?? null
}

/**
 * Registers a workspace and stores its first document update (its `meta`),
 * in one transaction. Does nothing when the workspace is already registered,
 * so two tabs starting at once end with one workspace.
 */
/**
 * Registers a workspace with the first update of its doc. `madeHere` false:
 * the workspace came from the server's list, so that update only repeats
 * what the server has and is not a change of this device's (not counted as
 * unacked).
 */
export async function registerWorkspace(db: PigeonDb, workspace: Workspace, docName: string, mode: DocMode, firstUpdate: Uint8Array, madeHere = true): Promise<Workspace> {
  return guardWrite('the new workspace', () => db.transaction('rw', [db.workspaces, db.updates, db.docState], async () => {
    const existing = await db.workspaces.get(workspace.id)
    if (existing)
      return existing
    await db.workspaces.put(workspace)
    await db.updates.add({ docName, update: firstUpdate, local: madeHere, at: Date.now() })
    if (!(await db.docState.get(docName)))
      await db.docState.put(newDocState(docName, workspace.id, mode))
    return workspace
  }))
}

/** Appends one update to a closed document's log and updates its registry row, in one transaction. */
export async function appendToClosedDoc(db: PigeonDb, docName: string, update: Uint8Array, workspace: Workspace): Promise<void> {
  await guardWrite('the workspace change', () => db.transaction('rw', [db.workspaces, db.updates], async () => {
    await db.updates.add({ docName, update, local: true, at: Date.now() })
    await db.workspaces.put(workspace)
  }))
}

/**
 * Removes a workspace from this device in one transaction: its registry row,
 * the update logs and states of all its documents (`docNames` plus any doc
 * whose name starts with one of `docPrefixes`), its projection rows, and its
 * local-only tabs, drafts, responses, current values and quarantine.
 */
export async function deleteWorkspaceData(db: PigeonDb, workspaceId: string, docNames: string[], docPrefixes: string[]): Promise<void> {
  const tables = [
    db.workspaces, db.updates, db.docState, db.tabs, db.drafts, db.responses, db.currentValues, db.quarantine,
    ...PROJECTION_TABLES.map(kind => db.projection(kind)),
    db.requestTree,
  ]
  await guardWrite('the workspace removal', () => db.transaction('rw', tables, async () => {
    await db.workspaces.delete(workspaceId)
    await db.updates.where('docName').anyOf(docNames).delete()
    for (const prefix of docPrefixes)
      await db.updates.where('docName').startsWith(prefix).delete()
    await db.docState.where('workspaceId').equals(workspaceId).delete()
    for (const table of [db.tabs, db.drafts, db.responses, db.currentValues, db.quarantine])
      await table.where('workspaceId').equals(workspaceId).delete()
    for (const kind of PROJECTION_TABLES)
      await db.projection(kind).where('workspaceId').equals(workspaceId).delete()
    await db.requestTree.where('workspaceId').equals(workspaceId).delete()
  }))
}

/** A registry row with what this device still owes the server about it. */
export type RegistryRow = Workspace & {
  /** Renamed here while the server could not be told; cleared once the server has the name. */
  renamePending?: boolean
}

/** Every registry row as stored, with its `renamePending` mark. */
export async function listRegistryRows(db: PigeonDb): Promise<RegistryRow[]> {
  return db.workspaces.toArray() as Promise<RegistryRow[]>
}

/**
 * Sets a workspace's name in the registry only (the list shows it at once;
 * its document takes the name when the owner's edit syncs), and whether
 * the server still has to be told.
 */
export async function setRegistryName(db: PigeonDb, workspaceId: string, name: string, renamePending: boolean): Promise<void> {
  await guardWrite('the workspace name', () => db.workspaces.update(workspaceId, { name, renamePending, updatedAt: Date.now() } as Partial<RegistryRow>))
}

/** Marks (or clears) a rename the server has not been told about yet. */
export async function markRenamePending(db: PigeonDb, workspaceId: string, renamePending: boolean): Promise<void> {
  await guardWrite('the workspace name', () => db.workspaces.update(workspaceId, { renamePending } as Partial<RegistryRow>))
}
