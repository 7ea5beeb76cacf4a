/**
 * Knobs of the sync endpoint that only it reads (from the environment, like
 * config.ts), with defaults that need no setting.
 */
import type { Config } from '../config.js'

export interface SyncConfig {
  maxMessageBytes: number
  maxDocumentBytes: number
  /** Unload a document from memory once nobody has had it open for this long. */
  idleUnloadMs: number
  /** Compact a document's update log into its snapshot past this many updates. */
  compactAfterUpdates: number
  /** Sockets one session may hold open at once (one socket = one document). */
  maxSocketsPerSession: number
  /** Messages and bytes a socket may send before its sign-in is checked. */
  maxPreAuthMessages: number
  maxPreAuthBytes: number
  /** A sync step 2 larger than this goes in pieces, the first of about this size, each next twice as large (stateInPieces.ts); 0 sends it whole. */
  syncPieceBytes: number
  /** Commits slower than this are logged (sync_slow_commit). */
  slowCommitMs: number
  /**
   * TEST ONLY (SYNC_UNSAFE_ACK_BEFORE_COMMIT=1): answer ack requests on
   * arrival and write updates behind, after a delay. It exists to prove the
   * durability test catches a server whose acks do not mean durable. Never set it in production.
   */
  unsafeAckBeforeCommit: boolean
  unsafeWriteBehindMs: number
}

function int(value: string | undefined, fallback: number): number {
  const n = Number(value)
  return value === undefined || value === '' || !Number.isFinite(n) ? fallback : Math.trunc(n)
}

export function loadSyncConfig(config: Config, env: NodeJS.ProcessEnv = process.env): SyncConfig {
  return {
    maxMessageBytes: config.maxMessageBytes,
    maxDocumentBytes: config.maxDocumentBytes,
    idleUnloadMs: int(env.SYNC_IDLE_UNLOAD_MS, 30_000),
    compactAfterUpdates: int(env.SYNC_COMPACT_AFTER_UPDATES, 500),
    maxSocketsPerSession: int(env.SYNC_MAX_SOCKETS_PER_SESSION, 64),
    maxPreAuthMessages: int(env.SYNC_MAX_PRE_AUTH_MESSAGES, 100),
    maxPreAuthBytes: int(env.SYNC_MAX_PRE_AUTH_BYTES, Math.min(config.maxMessageBytes, 4 * 1024 * 1024)),
    syncPieceBytes: int(env.SYNC_PIECE_BYTES, 32 * 1024),
    slowCommitMs: int(env.SYNC_SLOW_COMMIT_MS, 250),
    unsafeAckBeforeCommit: env.SYNC_UNSAFE_ACK_BEFORE_COMMIT === '1',
    unsafeWriteBehindMs: int(env.SYNC_UNSAFE_WRITE_BEHIND_MS, 200),
  }
}
