/**
 * What the connection to the server (src/sync/remote) reads and writes in
 * Dexie: where a document's update log ends, how far the server durably
 * acked it, and how many local changes are still unacked. The ack mark is
 * `docState.lastAckedSeq` (src/db/updateLog.ts), so the count survives a
 * reload.
 */
import type { PigeonDb } from './schema'
import { countLocalUpdatesAfter, lastSeq, logRowsAfter, markAcked } from './updateLog'

/** Where a document stands with the server, read in one transaction. */
export interface SyncProgress {
  /** The highest seq in the document's update log (0 when empty). */
  lastSeq: number
  /** The highest seq the server durably acked. */
  lastAckedSeq: number
  /** Local updates after `lastAckedSeq`: changes not yet saved on the server. */
  unacked: number
}

/** Reads a document's sync progress as one consistent snapshot. */
export async function readSyncProgress(db: PigeonDb, docName: string): Promise<SyncProgress> {
  return db.transaction('r', [db.updates, db.docState], async () => {
    const state = await db.docState.get(docName)
    const lastAckedSeq = state?.lastAckedSeq ?? 0
    return { lastSeq: await lastSeq(db, docName), lastAckedSeq, unacked: await countLocalUpdatesAfter(db, docName, lastAckedSeq) }
  })
}

/**
 * The seq an ack request sent now may cover: the highest seq S such that
 * every local row after `lastAckedSeq` up to S is one this connection sent
 * (`wasSent`, asked of the connected doc). Another tab may have stored a
 * local row whose update has not reached this tab yet; the mark stops
 * before it, so it is never marked acked unsent.
 */
export async function readAckMark(db: PigeonDb, docName: string, wasSent: (update: Uint8Array) => boolean): Promise<number> {
  return db.transaction('r', [db.updates, db.docState], async () => {
    const lastAckedSeq = (await db.docState.get(docName))?.lastAckedSeq ?? 0
    const rows = await logRowsAfter(db, docName, lastAckedSeq).toArray()
    let mark = lastAckedSeq
    for (const row of rows) {
      if (row.local && !wasSent(row.update))
        break
      mark = row.seq as number
    }
    return mark
  })
}

/** Records that the server durably holds every update of `docName` up to `seq`; never moves backwards. */
export async function recordAck(db: PigeonDb, docName: string, seq: number): Promise<void> {
  await markAcked(db, docName, seq)
}
