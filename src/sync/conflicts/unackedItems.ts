/**
 * Which Yjs items this device made that the server has not durably acked
 * yet, as clock ranges per client. A conflict needs one side to be such an
 * item: a field this device changed while unsynced (DESIGN.md §4).
 *
 * The set is answered synchronously (the server's reply is integrated in one
 * transaction), so it is filled from the unacked rows of the update log when
 * a detector attaches and grown by every local transaction as it happens.
 */
import * as Y from 'yjs'
import { OTHER_TAB_ORIGIN } from '../tabRelay'

type Range = [from: number, to: number]

export class UnackedItems {
  private readonly ranges = new Map<number, Range[]>()

  /** Adds every item of a stored Yjs update (V1, as the update log holds them). */
  addUpdate(update: Uint8Array): void {
    for (const struct of Y.decodeUpdate(update).structs) {
      if (struct instanceof Y.Item)
        this.addRange(struct.id.client, struct.id.clock, struct.id.clock + struct.length)
    }
  }

  /** Adds the clocks `from` (inclusive) to `to` (exclusive) of `client`. */
  addRange(client: number, from: number, to: number): void {
    if (to <= from)
      return
    const list = this.ranges.get(client) ?? []
    list.push([from, to])
    this.ranges.set(client, list)
  }

  /** True when the item with this id is one of them. */
  has(id: Y.ID): boolean {
    const list = this.ranges.get(id.client)
    return list !== undefined && list.some(([from, to]) => id.clock >= from && id.clock < to)
  }

  /** True when any clock from `from` (inclusive) to `to` (exclusive) of `client` is one of them. */
  overlaps(client: number, from: number, to: number): boolean {
    const list = this.ranges.get(client)
    return list !== undefined && list.some(([start, end]) => start < to && from < end)
  }

  /** Adds every range of `other`. */
  addFrom(other: UnackedItems): void {
    for (const [client, list] of other.ranges) {
      for (const [from, to] of list)
        this.addRange(client, from, to)
    }
  }

  /** Replaces the whole set by `next` (after an ack moved the mark). */
  replaceWith(next: UnackedItems): void {
    this.ranges.clear()
    for (const [client, list] of next.ranges)
      this.ranges.set(client, [...list])
  }
}

/**
 * Adds the items of every local transaction of `doc` to `items` as it
 * happens, and those another tab of this browser passes on (a tab without the
 * connection sends its own edits to the tab holding it, which sends them to
 * the server). Returns the function that stops it.
 */
export function recordLocalEdits(doc: Y.Doc, items: UnackedItems): () => void {
  const onTransaction = (tr: Y.Transaction): void => {
    if (tr.local) {
      items.addRange(doc.clientID, tr.beforeState.get(doc.clientID) ?? 0, tr.afterState.get(doc.clientID) ?? 0)
    }
    else if (tr.origin === OTHER_TAB_ORIGIN) {
      for (const [client, clock] of tr.afterState)
        items.addRange(client, tr.beforeState.get(client) ?? 0, clock)
    }
  }
  doc.on('afterTransaction', onTransaction)
  return () => doc.off('afterTransaction', onTransaction)
}
