/**
 * The DocumentStore on the embedded SQLite database.
 *
 * | table              | columns                                                         |
 * |--------------------|-----------------------------------------------------------------|
 * | documents          | name PK, last_seq, snapshot BLOB, snapshot_seq, deleted_at      |
 * | document_updates   | name, seq, data BLOB; PK (name, seq); the append-only log       |
 *
 * Appends from every document that arrive in the same turn of the event loop
 * are written in one transaction (group commit): with synchronous=FULL each
 * transaction costs one fsync, so this keeps many busy documents cheap while
 * every append still resolves only after its transaction is durable.
 */
import type { SqliteDatabase } from './sqlite.js'
import type { DocumentStore, StoredDocument } from './documents.js'
import { DocumentDeletedError } from './documents.js'
import { migrate } from './sqlite.js'

interface PendingAppend {
  name: string
  updates: Uint8Array[]
  resolve: (seq: number) => void
  reject: (error: Error) => void
}

interface DocumentRow {
  last_seq: number
  snapshot: Buffer | null
  deleted_at: number | null
}

/** Creates the tables (once) and returns the store. */
export function createSqliteDocumentStore(db: SqliteDatabase): DocumentStore {
  migrate(db, 'documents', [{
    name: '001-documents-and-update-log',
    up: (d) => {
      d.exec(`
        CREATE TABLE documents (
          name TEXT PRIMARY KEY,
          last_seq INTEGER NOT NULL DEFAULT 0,
          snapshot BLOB,
          snapshot_seq INTEGER NOT NULL DEFAULT 0,
          deleted_at INTEGER
        );
        CREATE TABLE document_updates (
          name TEXT NOT NULL,
          seq INTEGER NOT NULL,
          data BLOB NOT NULL,
          PRIMARY KEY (name, seq)
        ) WITHOUT ROWID;
      `)
    },
  }])

  const selectDocument = db.prepare<[string], DocumentRow>('SELECT last_seq, snapshot, deleted_at FROM documents WHERE name = ?')
  const selectUpdates = db.prepare<[string], { data: Buffer }>('SELECT data FROM document_updates WHERE name = ? ORDER BY seq')
  const ensureDocument = db.prepare('INSERT INTO documents (name) VALUES (?) ON CONFLICT (name) DO NOTHING')
  const insertUpdate = db.prepare('INSERT INTO document_updates (name, seq, data) VALUES (?, ?, ?)')
  const setLastSeq = db.prepare('UPDATE documents SET last_seq = ? WHERE name = ?')
  const setSnapshot = db.prepare('UPDATE documents SET snapshot = ?, snapshot_seq = ? WHERE name = ?')
  const deleteUpdatesUpTo = db.prepare('DELETE FROM document_updates WHERE name = ? AND seq <= ?')
  const deleteAllUpdates = db.prepare('DELETE FROM document_updates WHERE name = ?')
  const tombstone = db.prepare(`
    INSERT INTO documents (name, deleted_at) VALUES (?, ?)
    ON CONFLICT (name) DO UPDATE SET snapshot = NULL, deleted_at = excluded.deleted_at`)
  const selectNames = db.prepare<[string, string], { name: string }>(
    'SELECT name FROM documents WHERE name >= ? AND name < ? AND deleted_at IS NULL ORDER BY name')

  /** Appends one document's updates inside the caller's transaction. */
  const appendNow = (name: string, updates: Uint8Array[]): number => {
    ensureDocument.run(name)
    const row = selectDocument.get(name)!
    if (row.deleted_at !== null)
      throw new DocumentDeletedError(name)
    let seq = row.last_seq
    for (const update of updates)
      insertUpdate.run(name, ++seq, update)
    setLastSeq.run(seq, name)
    return seq
  }

  let pending: PendingAppend[] = []
  const flush = (): void => {
    const batch = pending
    pending = []
    const results: Array<number | Error> = []
    try {
      db.transaction(() => {
        for (const item of batch) {
          // A savepoint per append: a tombstoned document fails alone, the others still commit.
          try {
            results.push(db.transaction(() => appendNow(item.name, item.updates))())
          }
          catch (error) {
            if (!(error instanceof DocumentDeletedError))
              throw error
            results.push(error)
          }
        }
      })()
    }
    catch (error) {
      for (const item of batch)
        item.reject(error as Error)
      return
    }
    batch.forEach((item, i) => {
      const result = results[i]
      if (result instanceof Error)
        item.reject(result)
      else
        item.resolve(result)
    })
  }

  return {
    async load(name) {
      const row = selectDocument.get(name)
      if (!row)
        return { snapshot: null, updates: [], lastSeq: 0, bytes: 0 }
      if (row.deleted_at !== null)
        return null
      const updates = selectUpdates.all(name).map(r => new Uint8Array(r.data))
      const snapshot = row.snapshot ? new Uint8Array(row.snapshot) : null
      const bytes = (snapshot?.byteLength ?? 0) + updates.reduce((sum, u) => sum + u.byteLength, 0)
      return { snapshot, updates, lastSeq: row.last_seq, bytes } satisfies StoredDocument
    },
    append(name, updates) {
      return new Promise((resolve, reject) => {
        if (pending.length === 0)
          setImmediate(flush)
        pending.push({ name, updates, resolve, reject })
      })
    },
    async compact(name, snapshot, upToSeq) {
      db.transaction(() => {
        ensureDocument.run(name)
        const row = selectDocument.get(name)!
        if (row.deleted_at !== null)
          throw new DocumentDeletedError(name)
        setSnapshot.run(snapshot, upToSeq, name)
        deleteUpdatesUpTo.run(name, upToSeq)
        if (row.last_seq < upToSeq)
          setLastSeq.run(upToSeq, name)
      })()
    },
    async delete(name) {
      db.transaction(() => {
        deleteAllUpdates.run(name)
        tombstone.run(name, Date.now())
      })()
    },
    async list(prefix) {
      // A range scan instead of LIKE: ids may contain `_`, which LIKE treats as a wildcard.
      return selectNames.all(prefix, `${prefix}\uFFFF`).map(r => r.name)
    },
  }
}
