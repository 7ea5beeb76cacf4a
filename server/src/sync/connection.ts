/**
 * One sync socket: who is on it, which document, whether it may write, and
 * the messages that arrived before its document was ready. A socket speaks
 * for exactly one document (the one in its URL).
 */
import type { WebSocket } from 'ws'
import type { Caller } from '../app.js'
import type { SyncDocumentName } from '../../../src/domain/syncProtocol.js'
import type { ClientMessage } from './messages.js'
import type { SyncConfig } from './syncConfig.js'
import { CLOSE_POLICY_VIOLATION, CLOSE_REASONS, CLOSE_UNSUPPORTED_DATA, READ_ONLY_SENTENCE, WRITABLE_SENTENCE } from '../../../src/domain/syncProtocol.js'
import { decodeClientMessage, encodeAck, encodeReadOnly } from './messages.js'

/** Where a connection's decoded messages go once its document is loaded. */
export interface MessageSink {
  /** Takes a message; the sink calls `connection.settled(bytes)` once it is handled or dropped. */
  enqueue: (connection: SyncConnection, message: ClientMessage, bytes: number) => void
}

/** A connection whose document lags this far behind its messages stops being read until it catches up. */
const MAX_WAITING_MESSAGES = 5_000
const MAX_WAITING_BYTES = 32 * 1024 * 1024

/** A read-only connection is reminded of it at most this often when it keeps sending updates. */
const READ_ONLY_REMINDER_MS = 5_000

export class SyncConnection {
  caller: Caller | null = null
  document: SyncDocumentName | null = null
  documentName = ''
  readOnly = false
  closed = false
  closeCode: number | null = null
  /** Awareness client ids this socket announced, removed when it goes. */
  readonly awarenessClients = new Set<number>()
  private sink: MessageSink | null = null
  private early: Array<{ message: ClientMessage, bytes: number }> = []
  private earlyBytes = 0
  private lastReminder = 0
  private receiving = true
  private waitingMessages = 0
  private waitingBytes = 0
  private paused = false

  constructor(
    readonly id: string,
    private readonly ws: WebSocket,
    private readonly config: SyncConfig,
  ) {}

  /** Handles one frame from the socket: decode, then queue it until the document takes it. */
  receive(data: Buffer, isBinary: boolean): void {
    if (this.closed || !this.receiving)
      return
    if (!isBinary) {
      this.close(CLOSE_UNSUPPORTED_DATA, CLOSE_REASONS.textFrame)
      return
    }
    const decoded = decodeClientMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    if (!decoded.ok) {
      this.close(decoded.code, decoded.reason)
      return
    }
    const message = decoded.message
    if (message.type === 'ackRequest' && this.config.unsafeAckBeforeCommit) {
      // TEST ONLY: the deliberately wrong order, see SyncConfig.unsafeAckBeforeCommit.
      this.send(encodeAck(message.id))
      return
    }
    this.waitingMessages++
    this.waitingBytes += data.byteLength
    if (!this.paused && (this.waitingMessages > MAX_WAITING_MESSAGES || this.waitingBytes > MAX_WAITING_BYTES)) {
      // Backpressure: TCP holds the rest until the document has handled what it has.
      this.paused = true
      this.ws.pause()
    }
    if (this.sink) {
      this.sink.enqueue(this, message, data.byteLength)
      return
    }
    this.early.push({ message, bytes: data.byteLength })
    this.earlyBytes += data.byteLength
    if (this.early.length > this.config.maxPreAuthMessages || this.earlyBytes > this.config.maxPreAuthBytes)
      this.close(CLOSE_POLICY_VIOLATION, CLOSE_REASONS.preAuthFlood)
  }

  /** Hands the connection to its document: the early messages first, in order. */
  attach(sink: MessageSink): void {
    this.sink = sink
    const early = this.early
    this.early = []
    this.earlyBytes = 0
    for (const { message, bytes } of early)
      sink.enqueue(this, message, bytes)
  }

  /** The document handled (or dropped) a message of `bytes`: read more once the backlog is small again. */
  settled(bytes: number): void {
    this.waitingMessages--
    this.waitingBytes -= bytes
    if (this.paused && this.waitingMessages <= MAX_WAITING_MESSAGES / 2 && this.waitingBytes <= MAX_WAITING_BYTES / 2) {
      this.paused = false
      this.ws.resume()
    }
  }

  send(frame: Uint8Array): void {
    if (!this.closed && this.ws.readyState === this.ws.OPEN)
      this.ws.send(frame)
  }

  /** Switches read-only on or off and tells the client when it changes. */
  setReadOnly(readOnly: boolean): void {
    const changed = this.readOnly !== readOnly
    this.readOnly = readOnly
    if (changed || readOnly) {
      this.lastReminder = Date.now()
      this.send(encodeReadOnly(readOnly, readOnly ? READ_ONLY_SENTENCE : WRITABLE_SENTENCE))
    }
  }

  /** A read-only client's update was dropped: remind it, without flooding it. */
  updateDropped(): void {
    const now = Date.now()
    if (now - this.lastReminder < READ_ONLY_REMINDER_MS)
      return
    this.lastReminder = now
    this.send(encodeReadOnly(true, READ_ONLY_SENTENCE))
  }

  /** Ignores further frames (graceful shutdown: nothing new is taken on). */
  stopReceiving(): void {
    this.receiving = false
  }

  /** Closes the socket with a code and a sentence; later messages are ignored. */
  close(code: number, reason: string): void {
    if (this.closed)
      return
    this.closed = true
    this.closeCode = code
    this.early = []
    this.ws.close(code, reason)
  }
}
