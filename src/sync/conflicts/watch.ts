/**
 * Conflict detection for a connected workspace doc: knows this device's
 * unacked items (from the update log, then as edits happen), re-reads them
 * when an ack moves the mark, and stores each conflict found in Dexie
 * (src/db/conflicts.ts), where every tab's panel reads it.
 */
import type { DocHandle } from '../persistedDoc'
import { type ConflictRow, conflictId, saveConflicts } from '../../db/conflicts'
import { readUnackedLocalUpdates } from '../../db/updateLog'
import { type ServerChanges, decideConflicts, watchServerTransactions } from './detect'
import { type DeletionConflict, decideDeletions } from './deletions'
import { decideRows } from './rows'
import { decideReplaced } from './replaced'
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

/** A delete in words: what this device had changed or added there, and what the other device's delete took. */
function deletionWords(conflict: DeletionConflict): { mineWords: string, theirsWords: string } {
  const quoted = (names: string[]) => names.map(name => `"${name}"`).join(', ')
  const mine = [
    conflict.changedHere.length ? `Changed here: ${quoted(conflict.changedHere)}.` : '',
    conflict.orphans.length ? `Added or moved here, inside it: ${quoted(conflict.orphans.map(orphan => orphan.name))}.` : '',
  ].filter(Boolean).join(' ')
  const inside = conflict.removed.length - 1
  return {
    mineWords: `Keep it, as this device had it. ${mine}`.trim(),
    theirsWords: inside > 0 ? `Deleted, with ${inside} ${inside === 1 ? 'item' : 'items'} inside.` : 'Deleted.',
  }
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
  let beforeReady: ServerChanges[] | null = []

  const where = (conflict: { kind: string, entityId: string, path: string[] }) => ({
    id: conflictId(handle.docName, conflict.kind, conflict.entityId, conflict.path),
    workspaceId: handle.workspaceId,
    docName: handle.docName,
    detectedAt: Date.now(),
  })
  const deletionRow = (conflict: DeletionConflict): ConflictRow => ({
    ...where({ ...conflict, path: [] }),
    what: 'deleted',
    kind: conflict.kind,
    entityId: conflict.entityId,
    entityName: conflict.entityName,
    path: [],
    fieldLabel: 'Deleted on another device',
    mine: null,
    theirs: null,
    ...deletionWords(conflict),
    restore: conflict.removed,
    orphans: conflict.orphans,
  })

  const store = (changes: ServerChanges[], against: UnackedItems): void => {
    if (stopped)
      return
    const rows: ConflictRow[] = []
    for (const changed of changes) {
      const fromRows = decideRows(changed.rows, against)
      for (const { inPlace: _inPlace, ...conflict } of [...decideConflicts(changed.fields, against), ...fromRows.cells, ...decideReplaced(changed.replaced, against)])
        rows.push({ ...conflict, ...where(conflict) })
      for (const conflict of fromRows.removed)
        rows.push({ ...conflict, ...where(conflict), theirsWords: 'Removed.' })
      rows.push(...decideDeletions(changed.deletions, against).map(deletionRow))
    }
    if (rows.length)
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
    mayBeMine: (client, from, to) => beforeReady !== null || unacked.overlaps(client, from, to),
    onCandidates: (changes) => {
      if (beforeReady)
        beforeReady.push(changes)
      else
        store([changes], unacked)
    },
  })

  // What arrived before the first read is judged by that read (the state when the
  // connection began), even if an ack meanwhile started a newer one.
  const ready = read().then((atAttach) => {
    store(beforeReady ?? [], atAttach)
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
