/**
 * The Yjs update log of every document on this device, and each document's
 * state (acks, compaction). Yjs itself stays in src/sync: merging is passed
 * in as a function.
 */
import type { DocMode, DocStateRow, PigeonDb, UpdateRow } from './schema'
import { PROJECTION_VERSION } from './schema'
import { guardWrite } from './quota'

/** Every update of a document, oldest first. */
export async function readUpdateLog(db: PigeonDb, docName: string): Promise<UpdateRow[]> {
  return db.updates.where('[docName+seq]').between([docName, -Infinity], [docName, Infinity]).toArray()
}

/** The stored state of a document, or null before its first open. */
export async function readDocState(db: PigeonDb, docName: string): Promise<DocStateRow | null> {
  return (await db.docState.get(docName)) ?? null
}

/** A fresh state row for a document that has never been opened on this device. */
export function newDocState(docName: string, workspaceId: string, mode: DocMode): DocStateRow {
  return { docName, workspaceId, mode, lastAckedSeq: 0, compactedThroughSeq: 0, compactions: 0, compactedAt: 0, projectionVersion: PROJECTION_VERSION }
}

/** Local updates the server has not acked yet: what "changes not yet synced" counts, also after a reload. */
export async function countUnackedLocalUpdates(db: PigeonDb, docName: string): Promise<number> {
  const state = await readDocState(db, docName)
  return countLocalUpdatesAfter(db, docName, state?.lastAckedSeq ?? 0)
}

/** The log rows of `docName` after `seq`, oldest first, to count or read. */
export function logRowsAfter(db: PigeonDb, docName: string, seq: number) {
  return db.updates.where('[docName+seq]').between([docName, seq], [docName, Infinity], false, true)
}

/** Local updates of `docName` logged after `seq`. */
export function countLocalUpdatesAfter(db: PigeonDb, docName: string, seq: number): Promise<number> {
  return logRowsAfter(db, docName, seq).filter(row => row.local).count()
}

/** Every local update of `docName` the server has not acked yet, oldest first. */
export async function readUnackedLocalUpdates(db: PigeonDb, docName: string): Promise<Uint8Array[]> {
  return db.transaction('r', [db.updates, db.docState], async () => {
    const lastAckedSeq = (await db.docState.get(docName))?.lastAckedSeq ?? 0
    const rows = await logRowsAfter(db, docName, lastAckedSeq).filter(row => row.local).toArray()
    return rows.map(row => row.update)
  })
}

/** The highest seq in a document's log (0 when empty). */
export async function lastSeq(db: PigeonDb, docName: string): Promise<number> {
  const last = await db.updates.where('[docName+seq]').between([docName, -Infinity], [docName, Infinity]).last()
  return last?.seq ?? 0
}

/** Records that the server durably holds every update up to `seq` (never moves backwards). */
export async function markAcked(db: PigeonDb, docName: string, seq: number): Promise<void> {
  await guardWrite('the sync progress', () => db.transaction('rw', db.docState, async () => {
    const state = await db.docState.get(docName)
    if (state && seq > state.lastAckedSeq)
      await db.docState.put({ ...state, lastAckedSeq: seq })
  }))
}

/** What a compaction did. */
export interface CompactionResult {
  mergedRows: number
  remainingRows: number
}

/**
 * Replaces the log rows a document may compact by one merged row, in one
 * transaction. A `local` doc compacts everything (nothing ever needs an ack);
 * a `synced` doc only rows up to `lastAckedSeq`, so unacked local updates stay
 * separate rows and stay countable. The merged row takes the seq of the last
 * row it replaces, so the order of the log and the meaning of
 * `lastAckedSeq` are unchanged.
 */
export async function compactUpdateLog(db: PigeonDb, docName: string, merge: (updates: Uint8Array[]) => Uint8Array): Promise<CompactionResult> {
  return guardWrite('the compacted change log', () => db.transaction('rw', [db.updates, db.docState], async () => {
    const state = await db.docState.get(docName)
    const rows = await readUpdateLog(db, docName)
    const limit = !state || state.mode === 'local' ? Infinity : state.lastAckedSeq
    const mergeable = rows.filter(row => (row.seq ?? 0) <= limit)
    if (mergeable.length < 2)
      return { mergedRows: 0, remainingRows: rows.length }
    const last = mergeable[mergeable.length - 1]
    const merged: UpdateRow = {
      seq: last.seq,
      docName,
      update: merge(mergeable.map(row => row.update)),
      local: mergeable.some(row => row.local),
      compacted: true,
      at: Date.now(),
    }
    await db.updates.bulkDelete(mergeable.map(row => row.seq as number))
    await db.updates.put(merged)
    if (state) {
      await db.docState.put({
        ...state,
        compactedThroughSeq: last.seq as number,
        compactions: state.compactions + 1,
        compactedAt: merged.at,
      })
    }
    return { mergedRows: mergeable.length, remainingRows: rows.length - mergeable.length + 1 }
  }))
}
