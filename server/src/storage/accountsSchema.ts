/**
 * SQLite schema of the accounts area, as an ordered migration list.
 *
 * | table          | what a row is                                                         |
 * |----------------|-----------------------------------------------------------------------|
 * | users          | an account: email and username (lowercase, unique), scrypt hash       |
 * | sessions       | a signed-in app on one device: SHA-256 of the cookie token, expiry    |
 * | workspaces     | personal or team; `deleted_at` set = tombstone, never resurrected     |
 * | members        | who belongs to a workspace, as owner, editor or viewer                |
 * | reset_tokens   | password reset codes (SHA-256), 30-minute expiry, single use          |
 */
import type { Migration } from './sqlite.js'

export const ACCOUNTS_MIGRATIONS: Migration[] = [
  {
    name: '001-accounts',
    up: (db) => {
      db.exec(`
        CREATE TABLE users (
          id TEXT PRIMARY KEY,
          email TEXT NOT NULL UNIQUE,
          username TEXT NOT NULL UNIQUE,
          password_hash TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE TABLE sessions (
          id TEXT PRIMARY KEY,
          token_hash TEXT NOT NULL UNIQUE,
          user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          device_id TEXT NOT NULL,
          device_name TEXT NOT NULL,
          user_agent TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          last_seen_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL
        );
        CREATE INDEX sessions_by_user ON sessions (user_id);
        CREATE INDEX sessions_by_expiry ON sessions (expires_at);
        CREATE TABLE workspaces (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('personal', 'team')),
          owner_id TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          deleted_at INTEGER
        );
        CREATE TABLE members (
          workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
          user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          role TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
          joined_at INTEGER NOT NULL,
          PRIMARY KEY (workspace_id, user_id)
        );
        CREATE INDEX members_by_user ON members (user_id);
        CREATE TABLE reset_tokens (
          token_hash TEXT PRIMARY KEY,
          user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          created_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL,
          used_at INTEGER
        );
        CREATE INDEX reset_tokens_by_user ON reset_tokens (user_id);
      `)
    },
  },
]
