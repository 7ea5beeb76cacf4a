/**
 * The embedded SQLite database: one file in DATA_DIR, WAL journal and
 * synchronous=FULL so a committed transaction survives a power cut. Each area
 * (accounts, documents) keeps its own ordered migration list.
 */
import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import path from 'node:path'

export type SqliteDatabase = Database.Database

export interface Migration {
  /** Unique within its area; never renamed once shipped. */
  name: string
  up: (db: SqliteDatabase) => void
}

export function openSqlite(dataDir: string, file = 'pigeon.sqlite'): SqliteDatabase {
  mkdirSync(dataDir, { recursive: true })
  const db = new Database(path.join(dataDir, file))
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  db.exec('CREATE TABLE IF NOT EXISTS migrations (area TEXT NOT NULL, name TEXT NOT NULL, applied_at INTEGER NOT NULL, PRIMARY KEY (area, name))')
  return db
}

/** Applies the migrations of `area` not applied yet, in order, each in its own transaction. */
export function migrate(db: SqliteDatabase, area: string, migrations: Migration[]): void {
  const applied = new Set(
    (db.prepare('SELECT name FROM migrations WHERE area = ?').all(area) as Array<{ name: string }>).map(r => r.name),
  )
  for (const migration of migrations) {
    if (applied.has(migration.name))
      continue
    db.transaction(() => {
      migration.up(db)
      db.prepare('INSERT INTO migrations (area, name, applied_at) VALUES (?, ?, ?)').run(area, migration.name, Date.now())
    })()
  }
}
