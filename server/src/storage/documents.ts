/**
 * Where sync documents live: per document an append-only log of Yjs updates
 * plus one compacted snapshot. The SQLite store (documentsSqlite.ts) is the
 * default; Postgres implements the same interface later; the in-memory store
 * here serves unit tests. A deleted document leaves a tombstone, so it can
 * never be written again.
 */

/** A document as storage holds it: apply the snapshot, then the updates in order. */
export interface StoredDocument {
  snapshot: Uint8Array | null
  updates: Uint8Array[]
  /** Sequence number of the last update (or of the snapshot when the log is empty); 0 for a new document. */
  lastSeq: number
  /** Bytes held: snapshot plus the log. */
  bytes: number
}

export interface DocumentStore {
  /** The document's state; an empty one when it was never written; null when it was deleted (tombstone). */
  load: (name: string) => Promise<StoredDocument | null>
  /** Appends updates in order; durable once the promise resolves. Resolves to the last sequence number. Rejects with DocumentDeletedError on a tombstone. */
  append: (name: string, updates: Uint8Array[]) => Promise<number>
  /** Replaces the snapshot and drops the log up to `upToSeq`, in one transaction. */
  compact: (name: string, snapshot: Uint8Array, upToSeq: number) => Promise<void>
  /** Removes the document's data and leaves a tombstone. */
  delete: (name: string) => Promise<void>
  /** Names of live (not deleted) documents starting with `prefix`. */
  list: (prefix: string) => Promise<string[]>
}

/** Thrown when writing to a document that was deleted: it must not come back. */
export class DocumentDeletedError extends Error {
  constructor(name: string) {
    super(`The document ${name} was deleted and cannot be written again.`)
    this.name = 'DocumentDeletedError'
  }
}

interface MemoryRecord {
  snapshot: Uint8Array | null
  snapshotSeq: number
  updates: Array<{ seq: number, data: Uint8Array }>
  deleted: boolean
}

/** A DocumentStore in memory, for unit tests and as the reference behaviour. */
export function createMemoryDocumentStore(): DocumentStore {
  const records = new Map<string, MemoryRecord>()
  const record = (name: string): MemoryRecord => {
    let found = records.get(name)
    if (!found) {
      found = { snapshot: null, snapshotSeq: 0, updates: [], deleted: false }
      records.set(name, found)
    }
    return found
  }
  const lastSeq = (r: MemoryRecord): number => r.updates.at(-1)?.seq ?? r.snapshotSeq

  return {
    async load(name) {
      const r = records.get(name)
      if (!r)
        return { snapshot: null, updates: [], lastSeq: 0, bytes: 0 }
      if (r.deleted)
        return null
      const updates = r.updates.map(u => u.data)
      const bytes = (r.snapshot?.byteLength ?? 0) + updates.reduce((sum, u) => sum + u.byteLength, 0)
      return { snapshot: r.snapshot, updates, lastSeq: lastSeq(r), bytes }
    },
    async append(name, updates) {
      const r = record(name)
      if (r.deleted)
        throw new DocumentDeletedError(name)
      let seq = lastSeq(r)
      for (const data of updates)
        r.updates.push({ seq: ++seq, data: data.slice() })
      return seq
    },
    async compact(name, snapshot, upToSeq) {
      const r = record(name)
      if (r.deleted)
        throw new DocumentDeletedError(name)
      r.snapshot = snapshot.slice()
      r.snapshotSeq = Math.max(r.snapshotSeq, upToSeq)
      r.updates = r.updates.filter(u => u.seq > upToSeq)
    },
    async delete(name) {
      records.set(name, { snapshot: null, snapshotSeq: 0, updates: [], deleted: true })
    },
    async list(prefix) {
      return [...records].filter(([name, r]) => !r.deleted && name.startsWith(prefix)).map(([name]) => name).sort()
    },
  }
}
