/**
 * Which staged writers (stagedProjection.ts) are still at work in some tab
 * of this browser. Each writer holds a Web Lock named after its id from the
 * moment it marks a doc's projection incomplete until it clears the mark;
 * the browser releases the lock when the tab closes or is killed. So a tab
 * that opens the doc and finds the mark can tell a writer that crashed (its
 * lock is free: rebuild the projection from the log) from one still writing
 * in another tab (its lock is held: leave its rows alone, it will finish).
 */

/**
 * The part of the Web Locks API used here. The sync layer passes the
 * browser's (`browserLocks`, sync/remote/tabLocks.ts); null where there is
 * none (Node): every mark then counts as a crashed writer's.
 */
export interface WriterLocks {
  request: (name: string, options: { mode: 'exclusive' }, callback: (lock: unknown) => Promise<void>) => Promise<unknown>
  query: () => Promise<{ held?: Array<{ name?: string }> }>
}

function lockName(writerId: string): string {
  return `pigeon:staged-write:${writerId}`
}

/** Takes the lock of `writerId`; resolves once it is held, with the function that gives it up. */
export function holdWriterLock(locks: WriterLocks | null, writerId: string): Promise<() => void> {
  if (!locks)
    return Promise.resolve(() => {})
  return new Promise((held, failed) => {
    locks.request(lockName(writerId), { mode: 'exclusive' }, () => new Promise<void>((release) => {
      held(release)
    })).catch(failed)
  })
}

/** The ids among `writerIds` whose writer is still at work in an open tab. */
export async function liveWriters(locks: WriterLocks | null, writerIds: readonly string[]): Promise<Set<string>> {
  if (!locks || !writerIds.length)
    return new Set()
  const { held = [] } = await locks.query()
  const heldNames = new Set(held.map(lock => lock.name))
  return new Set(writerIds.filter(id => heldNames.has(lockName(id))))
}
