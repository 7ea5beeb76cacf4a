/**
 * Durable acks for one document (docs/sync.md, "The durable ack").
 *
 * An ack request goes out after the reply to the server's step 1 on every
 * connection (that reply carries every offline edit) and after outgoing
 * local updates. Each request remembers an update-log seq: the last row
 * whose change the connected doc holds, with every local row before it held
 * too (another tab of this browser may have stored a row that has not
 * reached this doc yet). A change in the doc already went out on this
 * connection, either as its own update or inside the step-2 reply: the
 * provider sends every update it did not receive. When the ack arrives, that
 * seq becomes `lastAckedSeq`. An ack belongs to its connection; a new connection starts
 * over after its own step-2 reply.
 */
import * as Y from 'yjs'
import type { PigeonDb } from '../../db/schema'
import { readAckMark, recordAck } from '../../db/remoteSync'
import { encodeAckRequest } from './wire'

/** The socket an ack request travels on: only `send` and the open check are needed. */
export interface AckSocket {
  readonly readyState: number
  send: (data: Uint8Array) => void
}

const OPEN = 1

export interface DurableAcksOptions {
  db: PigeonDb
  docName: string
  /** The connected doc: a stored row counts as sent once this doc holds its change. */
  doc: Y.Doc
  /** Resolves when every change made so far is in the update log (the doc handle's `flushed`). */
  flushed: () => Promise<void>
  /** Called after an ack was recorded, with the socket it arrived on. */
  onAcked: (socket: AckSocket) => void
  /** Called with storage errors while recording an ack; the ack is asked for again later. */
  onError: (error: Error) => void
}

export class DurableAcks {
  private socket: AckSocket | null = null
  /** Bumped whenever the socket changes, so work begun for an old one ends quietly. */
  private generation = 0
  private nextId = 1
  private readonly pending = new Map<number, number>()
  private inFlight = false
  private wanted = false

  constructor(private readonly options: DurableAcksOptions) {}

  /** The reply to the server's step 1 went out on `socket`: acks may be asked there now, starting with one. */
  ready(socket: AckSocket): void {
    this.reset(socket)
    void this.request()
  }

  /** The connection closed: its unanswered requests will never be answered. */
  closed(): void {
    this.reset(null)
  }

  /** A local change happened: ask for an ack once it is stored (batched with changes in between). */
  localChange(): void {
    void this.request()
  }

  /** Handles an ack that arrived on `socket`. */
  async received(socket: AckSocket, id: number): Promise<void> {
    const seq = this.pending.get(id)
    if (socket !== this.socket || seq === undefined)
      return
    this.pending.delete(id)
    const generation = this.generation
    try {
      await recordAck(this.options.db, this.options.docName, seq)
    }
    catch (error) {
      this.options.onError(error instanceof Error ? error : new Error(String(error)))
      this.wanted = true
    }
    if (generation !== this.generation)
      return
    this.inFlight = false
    this.options.onAcked(socket)
    if (this.wanted)
      void this.request()
  }

  private reset(socket: AckSocket | null): void {
    this.socket = socket
    this.generation++
    this.pending.clear()
    this.inFlight = false
    this.wanted = false
  }

  /** Sends one ack request at a time; changes made meanwhile get the next one. */
  private async request(): Promise<void> {
    const socket = this.socket
    if (!socket)
      return
    if (this.inFlight) {
      this.wanted = true
      return
    }
    this.inFlight = true
    this.wanted = false
    const generation = this.generation
    let seq: number
    try {
      // A change not yet stored would get a seq after the mark: wait so the mark covers it.
      await this.options.flushed().catch(() => undefined)
      seq = await readAckMark(this.options.db, this.options.docName, heldBy(this.options.doc))
    }
    catch (error) {
      if (generation === this.generation)
        this.inFlight = false
      this.options.onError(error instanceof Error ? error : new Error(String(error)))
      return
    }
    if (generation !== this.generation)
      return
    if (socket.readyState !== OPEN) {
      this.inFlight = false
      return
    }
    const id = this.nextId++
    this.pending.set(id, seq)
    socket.send(encodeAckRequest(id))
  }
}

/**
 * Whether `doc` holds an update: every struct it adds (by state vector) and
 * every item it deletes. A deletion-only update adds no structs, so the
 * deletions are checked one by one against the doc's items.
 */
export function heldBy(doc: Y.Doc): (update: Uint8Array) => boolean {
  const state = Y.decodeStateVector(Y.encodeStateVector(doc))
  return (update) => {
    for (const [client, clock] of Y.parseUpdateMeta(update).to) {
      if ((state.get(client) ?? 0) < clock)
        return false
    }
    for (const [client, ranges] of Y.decodeUpdate(update).ds.clients) {
      const structs = doc.store.clients.get(client)
      for (const range of ranges) {
        if (!structs || (state.get(client) ?? 0) < range.clock + range.len)
          return false
        const end = range.clock + range.len
        for (let index = Y.findIndexSS(structs, range.clock); index < structs.length && structs[index].id.clock < end; index++) {
          if (!structs[index].deleted)
            return false
        }
      }
    }
    return true
  }
}
