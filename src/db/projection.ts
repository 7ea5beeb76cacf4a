/**
 * Writes of the document → Dexie projection. src/sync calls these with plain
 * rows it read from a Y.Doc. `writeProjection` and `replaceProjection` are
 * one Dexie transaction each, so the projection and the update log never
 * disagree. `writeProjectionInStages` (stagedProjection.ts: a large change,
 * the first sign-in's restore) stores collections, folders and the sidebar's
 * rows first and the rest in later transactions; the doc state says the projection is incomplete from the
 * first stage until the last one, which appends the update log rows, so a
 * crash in between is repaired on the next open (see docs/sync.md).
 */
import type { DocStateRow, PigeonDb, ProjectionTable, QuarantineRow, UpdateRow } from './schema'
import { PROJECTION_TABLES, PROJECTION_VERSION, sameTreeRow, treeRowOf } from './schema'
import type { StagedDocStateRow } from './stagedProjection'
import { guardWrite } from './quota'

/** A projected entity: its plain fields plus its id. */
export type ProjectedRecord = { id: string } & Record<string, unknown>

/** Everything one Yjs transaction changed, ready to store. */
export interface ProjectionBatch {
  docName: string
  workspaceId: string
  /** The Yjs update to append to the log; null when only the projection changes. */
  update: Uint8Array | null
  local: boolean
  puts: Partial<Record<ProjectionTable, ProjectedRecord[]>>
  deletes: Partial<Record<ProjectionTable, string[]>>
  /** Records of the document that failed their schema in this change. */
  quarantine: QuarantineRow[]
  /** Quarantine ids of records that are valid again. */
  releasedQuarantineIds: string[]
  /** The workspace's name when the doc's `meta` changed it. */
  workspaceName?: string
  /** Requests added or replaced whole: their tree rows are written without comparing. */
  freshRequestIds?: string[]
}

function projectionTablesOf(db: PigeonDb) {
  return [...PROJECTION_TABLES.map(kind => db.projection(kind)), db.requestTree]
}

/** Keeps `requestTree` in step: rewrites a request's tree row only when a tree field changed. */
async function writeTreeRows(db: PigeonDb, batch: ProjectionBatch): Promise<void> {
  const deletes = batch.deletes.requests
  if (deletes?.length)
    await db.requestTree.bulkDelete(deletes.map(id => [batch.workspaceId, id] as [string, string]))
  const puts = batch.puts.requests
  if (!puts?.length)
    return
  const fresh = new Set(batch.freshRequestIds)
  const toCompare = puts.filter(request => !fresh.has(request.id))
  const stored = toCompare.length ? await db.requestTree.bulkGet(toCompare.map(request => [batch.workspaceId, request.id] as [string, string])) : []
  const changed = [
    ...puts.filter(request => fresh.has(request.id)),
    ...toCompare.filter((request, index) => !sameTreeRow(stored[index], request)),
  ]
  if (changed.length)
    await db.requestTree.bulkPut(changed.map(request => treeRowOf(request, batch.workspaceId)))
}

/** Writes one batch's rows of `tables` (deletes first), in the transaction in progress. */
export async function writeRows(db: PigeonDb, batch: ProjectionBatch, tables: readonly ProjectionTable[], withPuts: boolean): Promise<void> {
  for (const kind of tables) {
    const deletes = batch.deletes[kind]
    if (deletes?.length)
      await db.projection(kind).bulkDelete(deletes.map(id => [batch.workspaceId, id] as [string, string]))
    const puts = batch.puts[kind]
    if (withPuts && puts?.length)
      await db.projection(kind).bulkPut(puts.map(record => ({ ...record, workspaceId: batch.workspaceId })))
  }
}

/** What a batch changes besides entity rows: quarantine reports and the workspace's name. */
export async function writeQuarantineAndName(db: PigeonDb, batch: ProjectionBatch): Promise<void> {
  if (batch.quarantine.length)
    await db.quarantine.bulkPut(batch.quarantine)
  if (batch.releasedQuarantineIds.length)
    await db.quarantine.bulkDelete(batch.releasedQuarantineIds)
  if (batch.workspaceName !== undefined)
    await db.workspaces.update(batch.workspaceId, { name: batch.workspaceName, updatedAt: Date.now() })
}

/** Appends a batch's update to the log; its seq, or null when it carries none. */
export async function appendUpdate(db: PigeonDb, batch: ProjectionBatch): Promise<number | null> {
  if (!batch.update)
    return null
  const row: UpdateRow = { docName: batch.docName, update: batch.update, local: batch.local, at: Date.now() }
  return db.updates.add(row)
}

/**
 * Stores batches in order in ONE transaction: projection rows, quarantine and
 * the appended update-log rows. Returns the seq given to each appended update.
 */
export async function writeProjection(db: PigeonDb, batches: ProjectionBatch[]): Promise<number[]> {
  return guardWrite('your latest changes', () => db.transaction('rw', [...projectionTablesOf(db), db.updates, db.quarantine, db.workspaces], async () => {
    const seqs: number[] = []
    for (const batch of batches) {
      await writeRows(db, batch, PROJECTION_TABLES, true)
      await writeTreeRows(db, batch)
      await writeQuarantineAndName(db, batch)
      const seq = await appendUpdate(db, batch)
      if (seq !== null)
        seqs.push(seq)
    }
    return seqs
  }))
}

/**
 * Replaces the whole projection of a document in one transaction (first open,
 * or after the row shape changed): its rows in `tables` are cleared and
 * rewritten, and the doc state records the current projection version.
 */
export async function replaceProjection(
  db: PigeonDb,
  state: DocStateRow,
  tables: readonly ProjectionTable[],
  rows: Partial<Record<ProjectionTable, ProjectedRecord[]>>,
  quarantine: QuarantineRow[],
): Promise<void> {
  const { workspaceId } = state
  await guardWrite('the workspace on this device', () => db.transaction('rw', [...projectionTablesOf(db), db.quarantine, db.docState], async () => {
    for (const kind of tables) {
      await db.projection(kind).where('workspaceId').equals(workspaceId).delete()
      const records = rows[kind]
      if (records?.length)
        await db.projection(kind).bulkPut(records.map(record => ({ ...record, workspaceId })))
    }
    if (tables.includes('requests')) {
      await db.requestTree.where('workspaceId').equals(workspaceId).delete()
      await db.requestTree.bulkPut((rows.requests ?? []).map(record => treeRowOf(record, workspaceId)))
    }
    // Reports from the previous projection are replaced by this one's.
    await db.quarantine.where('workspaceId').equals(workspaceId)
      .filter(row => row.source === 'document' && (tables as readonly string[]).includes(row.kind))
      .delete()
    if (quarantine.length)
      await db.quarantine.bulkPut(quarantine)
    const { projectionIncomplete: _done, ...complete } = state as StagedDocStateRow
    await db.docState.put({ ...complete, projectionVersion: PROJECTION_VERSION })
  }))
}
