/**
 * A Y.Doc persisted to the Dexie update log and projected into the Dexie
 * tables: the machinery shared by workspace docs and history docs.
 *
 * - Open: read the doc's update log, merge it, apply it in one transaction.
 *   A fresh Y.Doc each time, so a Yjs clientID is never persisted or reused.
 * - Then one `update` observer sees every change, local or remote. It reads
 *   only the entities the transaction touched and queues a batch: projection
 *   rows + the update itself. A serial queue writes batches in order, each
 *   drain in ONE Dexie transaction (a large one in stages, sidebar rows
 *   first: src/db/stagedProjection.ts); a failed write (storage full) stays queued
 *   and is retried with the next change or `retry()`, so nothing is lost or
 *   reordered.
 * - Each log row records whether the update was made here (`local`), so sync
 *   can count unacked local changes after a reload.
 * - Compaction (after `compactAfter` rows): see `compactUpdateLog` in
 *   src/db/updateLog.ts — local docs merge the whole log, synced docs only
 *   the acked part.
 * - Other tabs of this browser with the same doc open get every update over a
 *   BroadcastChannel (tabRelay.ts) and apply it without logging it: each
 *   update is logged once, by the tab where it entered this browser (its own
 *   change, or what its provider received). The receiving tab still rewrites
 *   the touched projection rows from its merged doc, so concurrent edits of
 *   one entity in two tabs never leave a row with only one tab's view. A tab
 *   closing stores its queue first (`close`), so a relayed change is not lost
 *   with it.
 * - Providers (later) must attach after `whenLoaded`.
 */
import * as Y from 'yjs'
import type { DocMode, DocStateRow, PigeonDb, ProjectionTable, QuarantineRow } from '../db/schema'
import { PROJECTION_VERSION } from '../db/schema'
import { type ProjectedRecord, type ProjectionBatch, replaceProjection, writeProjection } from '../db/projection'
import { projectionNeedsRepair, rowsPut, STAGE_ABOVE_ROWS, StagedWriter } from '../db/stagedProjection'
import type { WriterLocks } from '../db/writerLocks'
import { browserLocks } from './remote/tabLocks'
import { compactUpdateLog, newDocState, readDocState, readUpdateLog } from '../db/updateLog'
import { quarantineId } from '../db/quarantine'
import { type DocEntityOf, type DocKind, META_MAP, kindMap, tryReadEntity } from './docSchema'
import { OTHER_TAB_ORIGIN, relayBetweenTabs, tabChannelName } from './tabRelay'

/** The origin of the transaction that applies the stored log on open. */
const LOAD_ORIGIN = Symbol('pigeon:load')
/** Transaction meta key: entities a mutation wrote whole, so the observer need not read them back. */
export const WRITTEN_ENTITIES = 'pigeon:written'
export type WrittenEntities = Map<DocKind, Map<string, ProjectedRecord>>

export const DEFAULT_COMPACT_AFTER = 500

export interface PersistedDocOptions {
  docName: string
  workspaceId: string
  kinds: readonly DocKind[]
  /** How the doc syncs; a function is asked on first open (e.g. from the workspace's kind). */
  mode: DocMode | (() => Promise<DocMode>)
  /** Who edits here: written to `updatedBy`. */
  userId?: string
  /** Compact the log once it holds more rows than this. */
  compactAfter?: number
  /** Copy the doc's `meta.name` into the workspace registry when it changes. */
  projectsMetaName?: boolean
  /** Tells which tabs' staged writes are still under way (default `navigator.locks`; null: none, as in Node). */
  locks?: WriterLocks | null
}

export interface CloseOptions {
  /** Close even if some changes could not be stored (the workspace is being deleted). */
  discardUnsaved?: boolean
}

/** An open, persisted document. */
export interface DocHandle {
  readonly doc: Y.Doc
  readonly db: PigeonDb
  readonly docName: string
  readonly workspaceId: string
  readonly userId: string
  readonly kinds: readonly DocKind[]
  /** Resolves when the stored log is applied and the projection is current. */
  readonly whenLoaded: Promise<void>
  readonly loaded: boolean
  /** The last storage error (a sentence), or null once writes succeed again. */
  readonly lastError: Error | null
  /** Resolves when every change so far is stored; rejects with the storage error if it could not be. */
  flushed(): Promise<void>
  /**
   * Resolves when every change so far has at least its sidebar rows stored
   * (a large one's whole rows may still be on their way, stagedProjection.ts),
   * or its write failed: the storage error is reported as usual.
   */
  sidebarStored(): Promise<void>
  /** Tries queued writes again (after the user freed space). */
  retry(): Promise<void>
  /** Calls `listener` with each storage error; returns the unsubscribe function. */
  onError(listener: (error: Error) => void): () => void
  /**
   * Stores what is queued, stops observing and destroys the doc. When queued
   * changes cannot be stored (storage full) it rejects with that sentence and
   * stays open, unless `discardUnsaved` is set.
   */
  close(options?: CloseOptions): Promise<void>
  /** Merges the compactable part of the update log into one row now. */
  compact(): Promise<void>
}

class PersistedDoc implements DocHandle {
  readonly doc = new Y.Doc()
  readonly docName: string
  readonly workspaceId: string
  readonly userId: string
  readonly kinds: readonly DocKind[]
  readonly whenLoaded: Promise<void>
  loaded = false
  lastError: Error | null = null

  private readonly kindOfTop = new Map<Y.AbstractType<unknown>, DocKind>()
  private readonly meta: Y.Map<unknown>
  private readonly pending: ProjectionBatch[] = []
  private readonly staged: StagedWriter
  private readonly locks: WriterLocks | null
  private running: Promise<void> = Promise.resolve()
  /** A drain is queued to store the next stage of a staged write. */
  private continuing = false
  /** Batches captured so far, and how many of them have their sidebar rows stored (or failed), for `sidebarStored`. */
  private captured = 0
  private sidebarDone = 0
  /** `captured` at the last failed write: waiting for those batches would wait for a retry nobody may start. */
  private failedUpTo = 0
  private readonly sidebarWaiters: Array<{ upTo: number, resolve: () => void }> = []
  private readonly errorListeners = new Set<(error: Error) => void>()
  private readonly quarantined = new Set<string>()
  private logRows = 0
  /** Log size at which to try compacting next; after a try, another `compactAfter` rows. */
  private compactAt = 0
  private closed = false
  private stopRelay: () => void = () => {}
  private readonly onUpdate = (update: Uint8Array, origin: unknown, _doc: Y.Doc, tr: Y.Transaction) => this.capture(update, origin, tr)

  constructor(readonly db: PigeonDb, private readonly options: PersistedDocOptions) {
    this.docName = options.docName
    this.workspaceId = options.workspaceId
    this.userId = options.userId ?? 'local'
    this.kinds = options.kinds
    for (const kind of options.kinds)
      this.kindOfTop.set(kindMap(this.doc, kind) as Y.AbstractType<unknown>, kind)
    this.meta = this.doc.getMap(META_MAP)
    this.locks = options.locks === undefined ? browserLocks() : options.locks
    this.staged = new StagedWriter(db, options.docName, {}, this.locks)
    this.whenLoaded = this.load()
  }

  private async load(): Promise<void> {
    const [rows, storedState, quarantined] = await Promise.all([
      readUpdateLog(this.db, this.docName),
      readDocState(this.db, this.docName),
      this.db.quarantine.where('workspaceId').equals(this.workspaceId).primaryKeys(),
    ])
    for (const id of quarantined)
      this.quarantined.add(id)
    // Apply the rows one by one inside one transaction: merging them first
    // decodes and re-encodes the whole log, which doubled the load of a
    // 10,000-request workspace (bench/core).
    if (rows.length) {
      this.doc.transact(() => {
        for (const row of rows)
          Y.applyUpdate(this.doc, row.update, LOAD_ORIGIN)
      }, LOAD_ORIGIN)
    }
    this.logRows = rows.length
    this.compactAt = this.compactAfter
    const state = storedState ?? newDocState(this.docName, this.workspaceId, await this.firstMode())
    // An incomplete projection: a staged write (stagedProjection.ts) stopped before its last stage.
    if (!storedState || state.projectionVersion !== PROJECTION_VERSION || await projectionNeedsRepair(state, this.locks))
      await this.projectEverything(state)
    this.doc.on('update', this.onUpdate)
    this.stopRelay = relayBetweenTabs(this.doc, tabChannelName(this.db, this.docName))
    this.loaded = true
  }

  /** The mode of a doc opened for the first time (asked only then: it may read the registry). */
  private async firstMode(): Promise<DocMode> {
    return typeof this.options.mode === 'function' ? this.options.mode() : this.options.mode
  }

  /** Rewrites this doc's whole projection (first open, or a changed row shape). */
  private async projectEverything(state: DocStateRow): Promise<void> {
    const rows: Partial<Record<ProjectionTable, ProjectedRecord[]>> = {}
    const quarantine: QuarantineRow[] = []
    for (const kind of this.kinds) {
      const records: ProjectedRecord[] = []
      kindMap(this.doc, kind).forEach((ymap, id) => {
        const record = this.project(kind, id, ymap, quarantine)
        if (record)
          records.push(record)
      })
      rows[kind] = records
    }
    await replaceProjection(this.db, state, this.kinds, rows, quarantine)
  }

  /** One entity as a projection row, or null (and a quarantine row) when it fails its schema. */
  private project(kind: DocKind, id: string, ymap: unknown, quarantine: QuarantineRow[]): ProjectedRecord | null {
    const qid = quarantineId('document', this.workspaceId, kind, id)
    const result = ymap instanceof Y.Map
      ? tryReadEntity(kind, ymap)
      : { ok: false as const, reason: 'the record is not a map of fields', record: ymap }
    if (!result.ok) {
      this.quarantined.add(qid)
      quarantine.push({ id: qid, workspaceId: this.workspaceId, source: 'document', kind, recordId: id, reason: result.reason, record: result.record, at: Date.now() })
      return null
    }
    return result.value as DocEntityOf[DocKind] & ProjectedRecord
  }

  /** The `update` observer: collects what changed, synchronously, and queues it. */
  private capture(update: Uint8Array, origin: unknown, tr: Y.Transaction): void {
    if (origin === LOAD_ORIGIN)
      return
    const changed = new Map<DocKind, Set<string>>()
    let metaChanged = false
    // Entities added or replaced whole show up as keys of their top-level map.
    let freshRequestIds: string[] | undefined
    for (const [type, keys] of tr.changed) {
      const kind = this.kindOfTop.get(type as Y.AbstractType<unknown>)
      if (kind) {
        const ids = changed.get(kind) ?? new Set<string>()
        for (const key of keys) {
          if (key !== null)
            ids.add(key)
        }
        changed.set(kind, ids)
        if (kind === 'requests')
          freshRequestIds = [...keys].filter((key): key is string => key !== null)
        continue
      }
      if ((type as unknown) === this.meta) {
        metaChanged = true
        continue
      }
      const owner = this.ownerOf(type as Y.AbstractType<unknown>)
      if (owner) {
        const ids = changed.get(owner.kind) ?? new Set<string>()
        ids.add(owner.id)
        changed.set(owner.kind, ids)
      }
    }
    const written = tr.meta.get(WRITTEN_ENTITIES) as WrittenEntities | undefined
    const batch: ProjectionBatch = {
      docName: this.docName,
      workspaceId: this.workspaceId,
      // Another tab of this browser stored what it relays. Its projection rows
      // are still rewritten here: that tab wrote them from its own view, which
      // may lack a concurrent change of this tab, and the last write must be merged.
      update: origin === OTHER_TAB_ORIGIN ? null : update,
      local: tr.local,
      puts: {},
      deletes: {},
      quarantine: [],
      releasedQuarantineIds: [],
      freshRequestIds,
    }
    for (const [kind, ids] of changed) {
      const map = kindMap(this.doc, kind)
      const puts: ProjectedRecord[] = []
      const deletes: string[] = []
      const writtenOfKind = written?.get(kind)
      for (const id of ids) {
        const ymap = map.get(id)
        if (ymap === undefined) {
          deletes.push(id)
          this.release(kind, id, batch)
          continue
        }
        const record = writtenOfKind?.get(id) ?? this.project(kind, id, ymap, batch.quarantine)
        if (record) {
          puts.push(record)
          this.release(kind, id, batch)
        }
        else {
          deletes.push(id)
        }
      }
      batch.puts[kind as ProjectionTable] = puts
      batch.deletes[kind as ProjectionTable] = deletes
    }
    if (metaChanged && this.options.projectsMetaName) {
      const name = this.meta.get('name')
      if (typeof name === 'string' && name)
        batch.workspaceName = name
    }
    this.pending.push(batch)
    this.captured++
    this.schedule()
  }

  private release(kind: DocKind, id: string, batch: ProjectionBatch): void {
    const qid = quarantineId('document', this.workspaceId, kind, id)
    if (this.quarantined.delete(qid))
      batch.releasedQuarantineIds.push(qid)
  }

  /** The entity (kind and id) a nested type belongs to, walking up to the top-level map. */
  private ownerOf(type: Y.AbstractType<unknown>): { kind: DocKind, id: string } | null {
    let current: Y.AbstractType<unknown> = type
    for (;;) {
      const item = current._item
      if (!item)
        return null
      const parent = item.parent as Y.AbstractType<unknown> | null
      if (!parent || !(parent instanceof Y.AbstractType))
        return null
      const kind = this.kindOfTop.get(parent)
      if (kind)
        return item.parentSub ? { kind, id: item.parentSub } : null
      current = parent
    }
  }

  private schedule(): void {
    this.running = this.running.then(() => this.drain())
  }

  /**
   * Writes every queued batch in one Dexie transaction, then compacts if the
   * log grew past the mark. Large changes, and any change while a staged
   * write is under way, go to the staged writer instead: their sidebar rows
   * now, then one stage of whole rows per drain, so a change that comes
   * meanwhile has its sidebar rows stored before the rest of the older ones.
   */
  private async drain(): Promise<void> {
    const batches = this.pending.slice()
    if (!batches.length && !this.staged.busy)
      return
    try {
      if (batches.length && !this.staged.busy && rowsPut(batches) <= STAGE_ABOVE_ROWS) {
        const seqs = await writeProjection(this.db, batches)
        this.stored(batches.length, seqs)
      }
      else {
        if (batches.length) {
          await this.staged.storeSidebar(batches)
          this.stored(batches.length, [])
        }
        // The next piece of a restore comes as soon as this one's sidebar rows
        // are stored (syncPacer.ts): its sidebar rows go before any whole row.
        const seqs = await this.staged.storeNext(() => this.pending.length > 0)
        if (seqs)
          this.stored(0, seqs)
        else
          this.continueStaging()
      }
    }
    catch (error) {
      this.sidebarFailed()
      this.report(error instanceof Error ? error : new Error(String(error)))
      return
    }
    if (this.logRows > this.compactAt)
      await this.compact()
  }

  /** `count` batches left the queue; `seqs` are the update-log rows appended. */
  private stored(count: number, seqs: readonly number[]): void {
    this.pending.splice(0, count)
    this.logRows += seqs.length
    this.lastError = null
    this.sidebarDone += count
    this.wakeSidebarWaiters()
  }

  /** Queues one more drain for the next stage, unless one is queued already. */
  private continueStaging(): void {
    if (this.continuing)
      return
    this.continuing = true
    this.running = this.running.then(() => {
      this.continuing = false
      return this.drain()
    })
  }

  /** A write failed: whoever waits for sidebar rows goes on (the error is reported; the batches stay queued). */
  private sidebarFailed(): void {
    this.failedUpTo = this.captured
    this.wakeSidebarWaiters(true)
  }

  private wakeSidebarWaiters(all = false): void {
    for (let index = this.sidebarWaiters.length - 1; index >= 0; index--) {
      const waiter = this.sidebarWaiters[index]!
      if (all || waiter.upTo <= this.sidebarDone) {
        this.sidebarWaiters.splice(index, 1)
        waiter.resolve()
      }
    }
  }

  async sidebarStored(): Promise<void> {
    await this.whenLoaded
    const upTo = this.captured
    if (upTo <= this.sidebarDone || upTo <= this.failedUpTo)
      return
    await new Promise<void>(resolve => this.sidebarWaiters.push({ upTo, resolve }))
  }

  /** Merges the compactable part of the log into one row. */
  async compact(): Promise<void> {
    try {
      const result = await compactUpdateLog(this.db, this.docName, updates => Y.mergeUpdates(updates))
      this.logRows = result.remainingRows
      // A synced doc keeps its unacked rows: wait for more rows before trying again.
      this.compactAt = result.remainingRows + this.compactAfter
    }
    catch (error) {
      // A failed compaction loses nothing: the log is only longer than it could be.
      this.report(error instanceof Error ? error : new Error(String(error)))
    }
  }

  private get compactAfter(): number {
    return this.options.compactAfter ?? DEFAULT_COMPACT_AFTER
  }

  private report(error: Error): void {
    this.lastError = error
    for (const listener of this.errorListeners)
      listener(error)
    if (!this.errorListeners.size)
      console.error(error.message)
  }

  async flushed(): Promise<void> {
    await this.whenLoaded
    // Changes queued while waiting are waited for too: a staged write takes
    // seconds, and a change made meanwhile is not a failed write.
    for (let running = this.running; ; running = this.running) {
      await running
      if (running === this.running)
        break
    }
    if (this.pending.length || this.staged.busy)
      throw this.lastError ?? new Error('Some changes could not be saved on this device yet; they are kept in memory and will be retried.')
  }

  async retry(): Promise<void> {
    this.schedule()
    await this.flushed()
  }

  onError(listener: (error: Error) => void): () => void {
    this.errorListeners.add(listener)
    return () => this.errorListeners.delete(listener)
  }

  async close(options: CloseOptions = {}): Promise<void> {
    if (this.closed)
      return
    try {
      await this.flushed()
    }
    catch (error) {
      // Changes not stored yet live only in this doc: keep it open unless told to drop them.
      if (!options.discardUnsaved)
        throw error
    }
    this.closed = true
    this.stopRelay()
    this.doc.off('update', this.onUpdate)
    this.doc.destroy()
  }
}

/** Opens a persisted doc; use the handle once `whenLoaded` resolves. */
export function openPersistedDoc(db: PigeonDb, options: PersistedDocOptions): DocHandle {
  return new PersistedDoc(db, options)
}

/** Throws a sentence when a mutation arrives before the doc is loaded. */
export function assertLoaded(handle: DocHandle): void {
  if (!handle.loaded)
    throw new Error('This workspace is still loading on this device; try again in a moment.')
}
