/**
 * Web Locks between the tabs of one browser: which tab leads a document's
 * connection (leadership.ts), and whether a tab is still open (a tab holds a
 * lock of its own until it closes or is killed, so another tab that asks for
 * that lock is told when it is gone: tabPresence.ts).
 */

/**
 * The part of the Web Locks API Pigeon uses: `navigator.locks`, or a stand-in
 * in tests. `query` tells which locks are held (staged writers still at
 * work, src/db/writerLocks.ts).
 */
export interface TabLocks {
  request: (name: string, options: { mode: 'exclusive', signal?: AbortSignal }, callback: (lock: unknown) => Promise<void>) => Promise<unknown>
  query: () => Promise<{ held?: Array<{ name?: string }> }>
}

/** The browser's lock manager, or null where there is none (Node). */
export function browserLocks(): TabLocks | null {
  return typeof navigator !== 'undefined' && navigator.locks ? navigator.locks as unknown as TabLocks : null
}

/**
 * Waits for the lock `name` and calls `onLead` once it is held; returns the
 * function that gives it up (or stops waiting). Without locks, leads at once.
 */
export function electLeader(name: string, locks: TabLocks | null, onLead: () => void): () => void {
  if (!locks) {
    onLead()
    return () => {}
  }
  const abort = new AbortController()
  let stopped = false
  let release: () => void = () => {}
  locks.request(name, { mode: 'exclusive', signal: abort.signal }, () => new Promise<void>((resolve) => {
    release = resolve
    if (stopped)
      resolve()
    else
      onLead()
  })).catch(() => {
    // Given up before the lock was granted (AbortError): nothing to release.
  })
  return () => {
    stopped = true
    abort.abort()
    release()
  }
}
