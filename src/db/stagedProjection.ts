/**
 * A large change stored in stages, so the sidebar shows up before the whole
 * change is on disk (the first sign-in's restore: 5,000 requests, ~12,000
 * rows, which the server sends in pieces; bench/restore).
 *
 * 1. One transaction: the doc state is marked `projectionIncomplete`, and
 *    the few light rows are written: collections, folders, environments,
 *    presets, globals, the sidebar's deletes, quarantine reports and the
 *    workspace's name. The sidebar shows the collections and folders now.
 * 2. The requests' `requestTree` rows (the sidebar's), `TREE_ROWS_PER_STAGE`
 *    per transaction.
 * 3. The whole rows of the heavy tables (requests, examples, history, runs),
 *    puts and deletes in order, `ROWS_PER_STAGE` per transaction, each id
 *    once with its newest row.
 * 4. The last stage writes the last of those rows, appends the update-log
 *    rows and clears the mark, in one transaction.
 *
 * A doc's `StagedWriter` takes more changes while stage 3 is under way:
 * their stages 1 and 2 go first (the sidebar fills as pieces arrive), their
 * whole rows join the queue, and the last stage logs every update. Each
 * table is still written in the order of the changes: stages 1–2 and stage
 * 3 write different tables.
 *
 * So the log never holds an update whose rows are not all projected. A crash
 * before the last stage leaves the mark set and the updates out of the log:
 * the next open re-projects the whole doc from the log (persistedDoc.ts), and
 * sync asks the server again for what the log lacks. Nothing was acked for it
 * either: acks wait until the doc's writes are stored (`flushed`).
 */
import type { DocStateRow, PigeonDb, ProjectionTable } from './schema'
import { PROJECTION_TABLES, treeRowOf } from './schema'
import { guardWrite } from './quota'
import { newId } from '../domain/ids'
import { type WriterLocks, holdWriterLock, liveWriters } from './writerLocks'
import { type ProjectedRecord, type ProjectionBatch, appendUpdate, writeQuarantineAndName, writeRows } from './projection'

/**
 * A change of more rows than this is stored in stages; smaller ones in one
 * transaction. Low enough that the pieces of a restore (from 32 KB, about
 * 100 requests) are staged too: one transaction of whole rows and sidebar
 * rows took 0.2–0.4 s per piece, keeping the next piece waiting.
 */
export const STAGE_ABOVE_ROWS = 200
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

/**
 * A `docState` row with the stages' mark, a field outside the indexes (no
 * schema version needed): the ids of the writers that began a staged write
 * and have not finished it. One id per writer, because two tabs may stage
 * changes of one doc at once (a restore in one, a large import in the
 * other): the first to finish must not clear the mark of the other, whose
 * sidebar rows are stored while its update is not in the log yet. `true` is
 * the mark of earlier versions, which had no ids.
 */
export type StagedDocStateRow = DocStateRow & { projectionIncomplete?: true | string[] }

/** True when a staged write began and has not finished (yet). */
export function isProjectionIncomplete(state: DocStateRow): boolean {
  const mark = (state as StagedDocStateRow).projectionIncomplete
  return mark === true || (Array.isArray(mark) && mark.length > 0)
}

/**
 * True when a staged write of the doc began and its writer is gone (the tab
 * was closed or killed): the projection must be rebuilt from the log. A
 * writer still at work in another tab finishes its own stages; rebuilding
 * under it would delete the rows it already stored and it would not store
 * them again.
 */
export async function projectionNeedsRepair(state: DocStateRow, locks: WriterLocks | null): Promise<boolean> {
  const mark = (state as StagedDocStateRow).projectionIncomplete
  if (mark === true)
    return true
  if (!Array.isArray(mark) || !mark.length)
    return false
  const live = await liveWriters(locks, mark)
  return mark.some(id => !live.has(id))
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

/** For tests: called after each committed stage but the last (1 = the light rows, then the tree rows' stages, then whole rows'), e.g. to crash there. */
export interface StageHooks {
  afterStage?: (stage: number) => Promise<void>
}

/** A whole row waiting for stage 3: a put of `record`, or a delete when it is null. */
interface HeavyWrite {
  table: ProjectionTable
  workspaceId: string
  id: string
  record: ProjectedRecord | null
  /** A newer write of the same row came: this one is skipped. */
  replaced?: true
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

function nextTask(): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, 0))
}

/** Adds or removes `writerId` in the doc's mark, leaving other writers' ids in place. */
async function setIncomplete(db: PigeonDb, docName: string, writerId: string, incomplete: boolean): Promise<void> {
  const row = await db.docState.get(docName) as StagedDocStateRow | undefined
  if (!row)
    return
  const { projectionIncomplete: was, ...rest } = row
  const others = Array.isArray(was) ? was.filter(id => id !== writerId) : []
  const writers = incomplete ? [...others, writerId] : others
  await db.docState.put(writers.length ? { ...rest, projectionIncomplete: writers } as StagedDocStateRow : rest)
}

/** The large changes of one doc, being stored in stages; see the top of this file. */
export class StagedWriter {
  private readonly heavy: HeavyWrite[] = []
  private readonly newestWrite = new Map<string, HeavyWrite>()
  /** Batches whose sidebar rows are stored and whose update waits for the last stage. */
  private readonly unlogged: ProjectionBatch[] = []
  private stage = 0
  private marked = false
  /** Settles when the writer is idle again; registered for `whenStagedRowsStored`. */
  private idle: { promise: Promise<void>, resolve: () => void, workspaceId: string } | null = null
  private readonly what = 'the workspace on this device'
  /** This writer's id in the doc's mark (see `StagedDocStateRow`). */
  private readonly writerId = newId()
  /** Gives up this writer's lock (writerLocks.ts); held while its id is in the mark. */
  private releaseLock: (() => void) | null = null

  constructor(
    private readonly db: PigeonDb,
    private readonly docName: string,
    private readonly hooks: StageHooks = {},
    /** Which tabs' writers are alive (writerLocks.ts); null: none can be told apart, as in Node. */
    private readonly locks: WriterLocks | null = null,
  ) {}

  /** True while whole rows or update-log rows wait for their stage. */
  get busy(): boolean {
    return this.unlogged.length > 0
  }

  /** Stages 1 and 2 of `batches`: light rows, then the sidebar's; their whole rows and updates wait for `storeNext`. */
  async storeSidebar(batches: readonly ProjectionBatch[]): Promise<void> {
    const first = batches[0]
    if (!first)
      return
    this.markBusy(first.workspaceId)
    try {
      // Held before the mark is stored, so no tab can find the mark without the lock that says this writer is alive.
      this.releaseLock ??= await holdWriterLock(this.locks, this.writerId)
      await guardWrite(this.what, () => this.db.transaction('rw', [...FIRST_TABLES.map(table => this.db.projection(table)), this.db.requestTree, this.db.quarantine, this.db.workspaces, this.db.docState], async () => {
        if (!this.marked)
          await setIncomplete(this.db, this.docName, this.writerId, true)
        for (const batch of batches) {
          await writeRows(this.db, batch, FIRST_TABLES, true)
          const treeDeletes = batch.deletes.requests
          if (treeDeletes?.length)
            await this.db.requestTree.bulkDelete(treeDeletes.map(id => [batch.workspaceId, id] as [string, string]))
          await writeQuarantineAndName(this.db, batch)
        }
      }))
      this.marked = true
      await this.stored('pigeon:first-stage-stored')

      // Every tree row is written, changed or not: a staged change is rare, and comparing would read them all.
      const treeRows = this.queueHeavy(batches).map(write => treeRowOf(write.record!, write.workspaceId))
      for (let start = 0; start < treeRows.length; start += TREE_ROWS_PER_STAGE) {
        await nextTask() // Let the UI read and draw what the last stage stored.
        const chunk = treeRows.slice(start, start + TREE_ROWS_PER_STAGE)
        await guardWrite(this.what, () => this.db.transaction('rw', this.db.requestTree, () => this.db.requestTree.bulkPut(chunk)))
        await this.stored()
      }
      this.unlogged.push(...batches)
    }
    catch (error) {
      this.settleIdle()
      throw error
    }
  }

  /**
   * Stage 3 once: the next `ROWS_PER_STAGE` whole rows. The last stage also
   * appends every waiting update and clears the mark, and returns the seqs
   * given to them; null while rows are left, or when `giveWay` says a newer
   * change waits for its sidebar rows (asked after letting the page run).
   */
  async storeNext(giveWay: () => boolean = () => false): Promise<number[] | null> {
    if (!this.busy)
      return []
    this.markBusy(this.unlogged[0]!.workspaceId)
    await nextTask() // Let the UI read and draw what the last stage stored.
    if (giveWay())
      return null
    const chunk: HeavyWrite[] = []
    while (this.heavy.length && chunk.length < ROWS_PER_STAGE) {
      const write = this.heavy.shift()!
      if (!write.replaced)
        chunk.push(write)
    }
    const last = !this.heavy.some(write => !write.replaced)
    const heavyTables = HEAVY_TABLES.map(table => this.db.projection(table))
    try {
      if (!last) {
        await guardWrite(this.what, () => this.db.transaction('rw', heavyTables, () => this.writeHeavy(chunk)))
        this.forget(chunk)
        await this.stored()
        return null
      }
      const batches = this.unlogged.slice()
      const seqs = await guardWrite(this.what, () => this.db.transaction('rw', [...heavyTables, this.db.updates, this.db.docState], async () => {
        await this.writeHeavy(chunk)
        const seqs: number[] = []
        for (const batch of batches) {
          const seq = await appendUpdate(this.db, batch)
          if (seq !== null)
            seqs.push(seq)
        }
        await setIncomplete(this.db, this.docName, this.writerId, false)
        return seqs
      }))
      this.forget(chunk)
      this.heavy.length = 0
      this.unlogged.splice(0, batches.length)
      this.marked = false
      this.releaseLock?.()
      this.releaseLock = null
      this.settleIdle()
      return seqs
    }
    catch (error) {
      // Not written: the rows go back to the front of the queue, for the retry.
      this.heavy.unshift(...chunk)
      this.settleIdle()
      throw error
    }
  }

  /** Queues the batches' whole rows after the ones waiting, each row's older write skipped; returns the requests put, for the sidebar. */
  private queueHeavy(batches: readonly ProjectionBatch[]): HeavyWrite[] {
    const queued: HeavyWrite[] = []
    const queue = (write: HeavyWrite): void => {
      const key = `${write.table}\0${write.workspaceId}\0${write.id}`
      const older = this.newestWrite.get(key)
      if (older)
        older.replaced = true
      this.newestWrite.set(key, write)
      queued.push(write)
    }
    for (const batch of batches) {
      for (const table of HEAVY_TABLES) {
        for (const id of batch.deletes[table] ?? [])
          queue({ table, workspaceId: batch.workspaceId, id, record: null })
        for (const record of batch.puts[table] ?? [])
          queue({ table, workspaceId: batch.workspaceId, id: record.id, record })
      }
    }
    this.heavy.push(...queued)
    return queued.filter(write => write.table === 'requests' && write.record && !write.replaced)
  }

  /** Writes a chunk of whole rows: each row once, so deletes and puts can go table by table. */
  private async writeHeavy(chunk: readonly HeavyWrite[]): Promise<void> {
    for (const table of HEAVY_TABLES) {
      const writes = chunk.filter(write => write.table === table)
      const deletes = writes.filter(write => !write.record).map(write => [write.workspaceId, write.id] as [string, string])
      if (deletes.length)
        await this.db.projection(table).bulkDelete(deletes)
      const puts = writes.filter(write => write.record).map(write => ({ ...write.record!, workspaceId: write.workspaceId }))
      if (puts.length)
        await this.db.projection(table).bulkPut(puts as never[])
    }
  }

  private forget(chunk: readonly HeavyWrite[]): void {
    for (const write of chunk) {
      const key = `${write.table}\0${write.workspaceId}\0${write.id}`
      if (this.newestWrite.get(key) === write)
        this.newestWrite.delete(key)
    }
  }

  private async stored(mark?: string): Promise<void> {
    if (mark)
      globalThis.performance?.mark?.(mark) // For bench/restore's timeline.
    await this.hooks.afterStage?.(++this.stage)
  }

  private markBusy(workspaceId: string): void {
    if (this.idle)
      return
    let resolve!: () => void
    const promise = new Promise<void>((done) => {
      resolve = done
    })
    this.idle = { promise, resolve, workspaceId }
    const byWorkspace = inProgress.get(this.db) ?? new Map<string, Set<Promise<unknown>>>()
    inProgress.set(this.db, byWorkspace)
    const writes = byWorkspace.get(workspaceId) ?? new Set<Promise<unknown>>()
    byWorkspace.set(workspaceId, writes)
    writes.add(promise)
  }

  private settleIdle(): void {
    const idle = this.idle
    if (!idle)
      return
    this.idle = null
    idle.resolve()
    const writes = inProgress.get(this.db)?.get(idle.workspaceId)
    writes?.delete(idle.promise)
    if (writes && !writes.size)
      inProgress.get(this.db)?.delete(idle.workspaceId)
  }
}

/**
 * Stores batches (all of one doc) in stages, as described above, with a
 * writer of their own. Returns the seq given to each appended update, like `writeProjection`.
 */
export async function writeProjectionInStages(db: PigeonDb, batches: ProjectionBatch[], hooks: StageHooks = {}): Promise<number[]> {
  const first = batches[0]
  if (!first)
    return []
  const writer = new StagedWriter(db, first.docName, hooks)
  await writer.storeSidebar(batches)
  for (;;) {
    const seqs = await writer.storeNext()
    if (seqs)
      return seqs
  }
}
