/**
 * Applies the server's sync messages in the order they came, but after a
 * large one waits until the doc has stored its sidebar rows before applying
 * the next.
 *
 * The server sends a large workspace in pieces (server/src/sync/stateInPieces.ts)
 * so a device restoring it shows the first collections early. Applied back
 * to back, the pieces would still fill the main thread for over a second
 * before the first one's rows were stored and read: the browser runs the
 * queued socket messages before the storage callbacks. Waiting for each
 * large piece's sidebar rows lets the sidebar read and draw in between; the
 * pieces' whole rows are stored behind them (src/db/stagedProjection.ts).
 *
 * Small messages (everyday edits) are applied at once, so they still reach
 * storage together in one transaction.
 */

/** A sync message at least this large is stored before the next one is applied. */
export const PACE_FROM_BYTES = 16 * 1024

interface Waiting {
  bytes: number
  apply: (immediate: boolean) => void
}

export class SyncPacer {
  private readonly queue: Waiting[] = []
  private waiting = false
  private stopped = false

  /** `stored` resolves once every change applied so far has its sidebar rows stored (the doc handle's `sidebarStored`). */
  constructor(private readonly stored: () => Promise<void>, private readonly paceFromBytes = PACE_FROM_BYTES) {}

  /**
   * Calls `apply(true)` now when nothing is waiting, else `apply(false)` once
   * the messages before it are applied and stored.
   */
  handle(bytes: number, apply: (immediate: boolean) => void): void {
    if (this.stopped)
      return
    if (this.waiting || this.queue.length) {
      this.queue.push({ bytes, apply })
      return
    }
    apply(true)
    this.afterApplying(bytes)
  }

  /** Drops what is waiting: the doc is being closed (the server sends it again on the next connection). */
  stop(): void {
    this.stopped = true
    this.queue.length = 0
  }

  private afterApplying(bytes: number): void {
    if (bytes < this.paceFromBytes)
      return
    this.waiting = true
    // A failed write is reported by the doc and retried with the next change; applying goes on.
    void this.stored().catch(() => undefined).then(() => {
      this.waiting = false
      this.applyWaiting()
    })
  }

  private applyWaiting(): void {
    while (!this.waiting && !this.stopped && this.queue.length) {
      const next = this.queue.shift()!
      try {
        next.apply(false)
      }
      catch (error) {
        // A message that cannot be read must not hold back the ones after it.
        console.error(error instanceof Error ? error.message : String(error))
      }
      this.afterApplying(next.bytes)
    }
  }
}
