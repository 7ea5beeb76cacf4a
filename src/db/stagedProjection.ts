/**
 * A large change stored in stages, so the sidebar shows up before the whole
 * change is on disk (the first sign-in's restore: one 4 MB update of 5,000
 * requests, ~12,000 rows; bench/restore).
 *
 * 1. One transaction: the doc state is marked `projectionIncomplete`, and
 *    the few light rows are written: collections, folders, environments,
 *    presets, globals, every delete, quarantine reports and the workspace's
 *    name. The sidebar shows the collections and folders now.
 * 2. The requests' `requestTree` rows (the sidebar's), `TREE_ROWS_PER_STAGE`
 *    per transaction.
 * 3. The whole rows of the heavy tables (requests, examples, history, runs),
 *    `ROWS_PER_STAGE` per transaction, each id once with its newest row.
 * 4. The last stage writes the last of those rows, appends the update-log
 *    rows and clears the mark, in one transaction.
 *
 * So the log never holds an update whose rows are not all projected. A crash
 * before the last stage leaves the mark set and the update out of the log:
 * the next open re-projects the whole doc from the log (persistedDoc.ts), and
 * sync asks the server again for what the log lacks. Nothing was acked for it
 * either: acks wait until the doc's writes are stored (`flushed`).
 */
import type { DocStateRow, PigeonDb, ProjectionTable } from './schema'
import { PROJECTION_TABLES, treeRowOf } from './schema'
import { guardWrite } from './quota'
import { type ProjectedRecord, type ProjectionBatch, appendUpdate, writeQuarantineAndName, writeRows } from './projection'

/** A change of more rows than this is stored in stages; smaller ones in one transaction. */
export const STAGE_ABOVE_ROWS = 1000
/** Sidebar rows of requests per transaction: few transactions, since each one makes the sidebar read them all again. */
export const TREE_ROWS_PER_STAGE = 2500
/**
 * Whole rows per transaction after the sidebar's: small enough that the
 * sidebar's reads and renders are not held up behind cloning a large stage
 * on the main thread, large enough that transactions stay few.
 */
export const ROWS_PER_STAGE = 500

/** Tables of large rows, or many, that the sidebar does not need to appear. */
const HEAVY_TABLES: readonly ProjectionTable[] = ['requests', 'examples', 'history', 'runs']
const FIRST_TABLES = PROJECTION_TABLES.filter(table => !HEAVY_TABLES.includes(table))

/** A `docState` row with the stages' mark, a field outside the indexes (no schema version needed). */
export type StagedDocStateRow = DocStateRow & { projectionIncomplete?: true }

/** True when a staged write began but did not finish: the projection must be rebuilt from the log. */
export function isProjectionIncomplete(state: DocStateRow): boolean {
  return (state as StagedDocStateRow).projectionIncomplete === true
}

/** How many rows a set of batches puts, to choose between one transaction and stages. */
export function rowsPut(batches: readonly ProjectionBatch[]): number {
  let rows = 0
  for (const batch of batches) {
    for (const records of Object.values(batch.puts))
      rows += records?.length ?? 0
  }
  return rows
}

/** For tests: called after each committed stage but the last (1 = the light rows, then the tree rows' stages), e.g. to crash there. */
export interface StageHooks {
  afterStage?: (stage: number) => Promise<void>
}

interface HeavyRow {
  table: ProjectionTable
  workspaceId: string
  record: ProjectedRecord
}

/** Staged writes in progress per database and workspace (its workspace and history docs may both be writing), so a read can wait for their whole rows. */
const inProgress = new WeakMap<PigeonDb, Map<string, Set<Promise<unknown>>>>()

/**
 * Waits for the staged writes of `workspaceId` in progress in this tab, if
 * any; true when there were some (read again: the row may be there now).
 */
export async function whenStagedRowsStored(db: PigeonDb, workspaceId: string): Promise<boolean> {
  const writing = [...inProgress.get(db)?.get(workspaceId) ?? []]
  if (!writing.length)
    return false
  await Promise.allSettled(writing)
  return true
}

/** The newest row of every heavy entity the batches put, in the order they were last written. */
function heavyRowsOf(batches: readonly ProjectionBatch[]): HeavyRow[] {
  const newest = new Map<string, HeavyRow>()
  for (const batch of batches) {
    for (const table of HEAVY_TABLES) {
      // A later delete or put replaces an earlier put: deletes are stored in the first stage.
      for (const id of batch.deletes[table] ?? [])
        newest.delete(`${table}\0${batch.workspaceId}\0${id}`)
      for (const record of batch.puts[table] ?? []) {
        const key = `${table}\0${batch.workspaceId}\0${record.id}`
        newest.delete(key)
        newest.set(key, { table, workspaceId: batch.workspaceId, record })
      }
    }
  }
  return [...newest.values()]
}

async function putHeavyRows(db: PigeonDb, rows: readonly HeavyRow[]): Promise<void> {
  const byTable = new Map<ProjectionTable, Array<Record<string, unknown>>>()
  for (const { table, workspaceId, record } of rows) {
    const records = byTable.get(table) ?? []
    records.push({ ...record, workspaceId })
    byTable.set(table, records)
  }
  for (const [table, records] of byTable)
    await db.projection(table).bulkPut(records as never[])
}

function nextTask(): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, 0))
}

async function setIncomplete(db: PigeonDb, docName: string, incomplete: boolean): Promise<void> {
  const row = await db.docState.get(docName) as StagedDocStateRow | undefined
  if (!row)
    return
  const { projectionIncomplete: _was, ...rest } = row
  await db.docState.put(incomplete ? { ...rest, projectionIncomplete: true } as StagedDocStateRow : rest)
}

/**
 * Stores batches (all of one doc) in stages, as described above. Returns the
 * seq given to each appended update, like `writeProjection`.
 */
export async function writeProjectionInStages(db: PigeonDb, batches: ProjectionBatch[], hooks: StageHooks = {}): Promise<number[]> {
  const first = batches[0]
  if (!first)
    return []
  const byWorkspace = inProgress.get(db) ?? new Map<string, Set<Promise<unknown>>>()
  inProgress.set(db, byWorkspace)
  const writes = byWorkspace.get(first.workspaceId) ?? new Set<Promise<unknown>>()
  byWorkspace.set(first.workspaceId, writes)
  const writing = writeStages(db, first.docName, batches, hooks)
  writes.add(writing)
  try {
    return await writing
  }
  finally {
    writes.delete(writing)
    if (!writes.size)
      byWorkspace.delete(first.workspaceId)
  }
}

async function writeStages(db: PigeonDb, docName: string, batches: ProjectionBatch[], hooks: StageHooks): Promise<number[]> {
  const what = 'the workspace on this device'
  let stage = 0
  const stored = async (mark?: string) => {
    if (mark)
      globalThis.performance?.mark?.(mark) // For bench/restore's timeline.
    await hooks.afterStage?.(++stage)
  }
  // Only the tables a stage writes: the restore bar's counts read the heavy tables meanwhile.
  const heavyDeletes = batches.some(batch => HEAVY_TABLES.some(table => batch.deletes[table]?.length))
  const firstTables = [...FIRST_TABLES, ...(heavyDeletes ? HEAVY_TABLES : [])].map(table => db.projection(table))
  await guardWrite(what, () => db.transaction('rw', [...firstTables, db.requestTree, db.quarantine, db.workspaces, db.docState], async () => {
    await setIncomplete(db, docName, true)
    for (const batch of batches) {
      await writeRows(db, batch, FIRST_TABLES, true)
      await writeRows(db, batch, HEAVY_TABLES, false)
      const treeDeletes = batch.deletes.requests
      if (treeDeletes?.length)
        await db.requestTree.bulkDelete(treeDeletes.map(id => [batch.workspaceId, id] as [string, string]))
      await writeQuarantineAndName(db, batch)
    }
  }))
  await stored('pigeon:first-stage-stored')

  const heavy = heavyRowsOf(batches)
  // Every tree row is written, changed or not: a staged change is rare, and comparing would read them all.
  const treeRows = heavy.filter(row => row.table === 'requests').map(row => treeRowOf(row.record, row.workspaceId))
  for (let start = 0; start < treeRows.length; start += TREE_ROWS_PER_STAGE) {
    await nextTask() // Let the UI read and draw what the last stage stored.
    const chunk = treeRows.slice(start, start + TREE_ROWS_PER_STAGE)
    await guardWrite(what, () => db.transaction('rw', db.requestTree, () => db.requestTree.bulkPut(chunk)))
    await stored(start + TREE_ROWS_PER_STAGE >= treeRows.length ? 'pigeon:tree-rows-stored' : undefined)
  }

  const heavyTables = HEAVY_TABLES.map(table => db.projection(table))
  let start = 0
  for (; start + ROWS_PER_STAGE < heavy.length; start += ROWS_PER_STAGE) {
    await nextTask() // Let the UI read and draw what the last stage stored.
    const chunk = heavy.slice(start, start + ROWS_PER_STAGE)
    await guardWrite(what, () => db.transaction('rw', heavyTables, () => putHeavyRows(db, chunk)))
    await stored()
  }
  const last = heavy.slice(start)
  return guardWrite(what, () => db.transaction('rw', [...heavyTables, db.updates, db.docState], async () => {
    await putHeavyRows(db, last)
    const seqs: number[] = []
    for (const batch of batches) {
      const seq = await appendUpdate(db, batch)
      if (seq !== null)
        seqs.push(seq)
    }
    await setIncomplete(db, docName, false)
    return seqs
  }))
}
