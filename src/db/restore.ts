/**
 * What the first-sign-in restore keeps in the account's database: which
 * workspaces were restored from the server on this device, and how many
 * entities are already projected (the progress bar's "items loaded").
 *
 * "Restored" is `restoredAt` on the workspace document's `docState` row, a
 * field outside the indexes, so no schema version is needed; the row goes
 * when the workspace is removed from the device, and with it the mark. The
 * other writes of `docState` spread the row, so they keep the field.
 */
import type { DocStateRow, PigeonDb } from './schema'
import { PROJECTION_TABLES } from './schema'
import { guardWrite } from './quota'

/** A `docState` row as the restore reads it. */
type RestoreMarkedRow = DocStateRow & { restoredAt?: number }

/** Ids of the workspaces fully restored from the server on this device. */
export async function listRestoredWorkspaceIds(db: PigeonDb): Promise<string[]> {
  const rows = await db.docState.filter(row => typeof (row as RestoreMarkedRow).restoredAt === 'number').toArray()
  return [...new Set(rows.map(row => row.workspaceId))]
}

/** Marks the workspace whose document is `docName` as restored; false when the device does not know that document. */
export async function markWorkspaceRestored(db: PigeonDb, docName: string, at = Date.now()): Promise<boolean> {
  return guardWrite('the restore progress', () => db.transaction('rw', db.docState, async () => {
    const row = await db.docState.get(docName)
    if (!row)
      return false
    await db.docState.put({ ...row, restoredAt: at } as RestoreMarkedRow)
    return true
  }))
}

/** Rows of every projection table (entities and history) that belong to `workspaceIds`. */
export async function countProjectedRows(db: PigeonDb, workspaceIds: readonly string[]): Promise<number> {
  if (workspaceIds.length === 0)
    return 0
  // One `equals` per workspace and table (the index's own count, no cursor), each table in its
  // own read, so a count never holds up the restore's writes to the other tables.
  const counts = await Promise.all(PROJECTION_TABLES.flatMap(kind => workspaceIds.map(id => db.projection(kind).where('workspaceId').equals(id).count())))
  return counts.reduce((sum, count) => sum + count, 0)
}
