/**
 * Conflict detection for a connected workspace doc: knows this device's
 * unacked items (from the update log, then as edits happen), re-reads them
 * when an ack moves the mark, and stores each conflict found in Dexie
 * (src/db/conflicts.ts), where every tab's panel reads it.
 */
import type { DocHandle } from '../persistedDoc'
import { conflictId, saveConflicts } from '../../db/conflicts'
import { readUnackedLocalUpdates } from '../../db/updateLog'
import { type Candidate, type DetectedConflict, decideConflicts, watchServerTransactions } from './detect'
import { UnackedItems, recordLocalEdits } from './unackedItems'

/**
 * What the watcher needs of the connection: the provider (the origin of
 * server updates; null in a tab that does not hold the connection, and it
 * may change) and status changes (acks).
 */
export interface ConflictSource {
  readonly provider: object | null
  onStatus: (listener: (status: { unacked: number }) => void) => () => void
}

export interface ConflictWatcher {
  /** Resolves once the unacked items are read from the log. */
  readonly ready: Promise<void>
  /** Re-reads the unacked items (after an ack). */
  refresh: () => Promise<void>
  /** Resolves when every conflict found so far is stored. */
  stored: () => Promise<void>
  stop: () => void
}

function report(error: unknown): void {
  console.error(`Pigeon could not keep track of conflicting edits: ${error instanceof Error ? error.message : String(error)}`)
}

/** Detects conflicts in what `source`'s provider applies to `handle`'s doc, and stores them. */
export function watchConflicts(handle: DocHandle, source: ConflictSource): ConflictWatcher {
  const unacked = new UnackedItems()
  let readsBegun = 0
  let newestApplied = 0
  let stopped = false
  let writing: Promise<void> = Promise.resolve()
  // What the server sent before the log was read waits for it: the answer depends on it.
  let beforeReady: Candidate[] | null = []

  const store = (found: DetectedConflict[]): void => {
    if (!found.length || stopped)
      return
    const at = Date.now()
    const rows = found.map(({ inPlace: _inPlace, ...conflict }) => ({
      ...conflict,
      id: conflictId(handle.docName, conflict.kind, conflict.entityId, conflict.path),
      workspaceId: handle.workspaceId,
      docName: handle.docName,
      detectedAt: at,
    }))
    writing = writing.then(() => saveConflicts(handle.db, rows)).catch(report)
  }

  /**
   * Reads the unacked local items from the log (local edits made meanwhile
   * are kept) and returns them; they replace the set unless a newer read already did.
   */
  const readOnce = async (ticket: number): Promise<UnackedItems> => {
    const next = new UnackedItems()
    const stopCollecting = recordLocalEdits(handle.doc, next)
    try {
      await handle.flushed().catch(() => undefined)
      for (const update of await readUnackedLocalUpdates(handle.db, handle.docName))
        next.addUpdate(update)
    }
    finally {
      stopCollecting()
    }
    // An older answer never overwrites a newer one; a newer one still running does not hold it back.
    if (!stopped && ticket > newestApplied) {
      newestApplied = ticket
      unacked.replaceWith(next)
    }
    return next
  }
  let newestRead: Promise<unknown> = Promise.resolve()
  const read = (): Promise<UnackedItems> => {
    const reading = readOnce(++readsBegun)
    newestRead = reading
    return reading
  }
  /** Resolves once the newest read (begun before or while waiting) has applied. */
  const readsSettled = async (): Promise<void> => {
    let awaited: Promise<unknown>
    do {
      awaited = newestRead
      await awaited
    } while (awaited !== newestRead)
  }

  const stopLocal = recordLocalEdits(handle.doc, unacked)
  const stopServer = watchServerTransactions(handle.doc, {
    serverOrigin: () => source.provider,
    kinds: handle.kinds,
    onCandidates: (candidates) => {
      if (beforeReady)
        beforeReady.push(...candidates)
      else
        store(decideConflicts(candidates, unacked))
    },
  })

  // What arrived before the first read is judged by that read (the state when the
  // connection began), even if an ack meanwhile started a newer one.
  const ready = read().then((atAttach) => {
    store(decideConflicts(beforeReady ?? [], atAttach))
  }, report).finally(() => {
    beforeReady = null
  })

  // The count of unacked changes goes down when an ack moved the mark: re-read then.
  let lastUnacked = Number.POSITIVE_INFINITY
  const stopStatus = source.onStatus((status) => {
    if (status.unacked < lastUnacked)
      read().catch(report)
    lastUnacked = status.unacked
  })

  return {
    ready,
    refresh: async () => {
      void read().catch(report)
      await readsSettled()
    },
    stored: async () => {
      await ready
      await writing
    },
    stop: () => {
      stopped = true
      stopLocal()
      stopServer()
      stopStatus()
    },
  }
}
