/**
 * Connects an open, persisted document (a workspace, history or runs doc from
 * src/sync) to the Pigeon server with y-websocket's stock WebsocketProvider,
 * adds Pigeon's durable acks, and keeps a status a person can read
 * (status.ts). It only moves bytes: updates the provider applies to the doc
 * are stored and projected into Dexie by the doc's own observer. Of several
 * tabs of one browser only one connects a document; the others follow it
 * (leadership.ts).
 */
import type * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { WebsocketProvider } from 'y-websocket'
import type { Awareness } from 'y-protocols/awareness'
import { MESSAGE_ACK, MESSAGE_READ_ONLY, MESSAGE_SYNC } from '../../domain/syncProtocol'
import { readSyncProgress } from '../../db/remoteSync'
import type { DocHandle } from '../persistedDoc'
import { OTHER_TAB_ORIGIN } from '../tabRelay'
import { workspaceDocName } from '../workspaceDocs'
import { type AckSocket, DurableAcks } from './durableAcks'
import { type LeaderConnection, type TabLocks, TabRoles, browserLocks } from './leadership'
import { type SyncEvent, type SyncFacts, type SyncStatus, initialSyncFacts, reduceSync, statusOf } from './status'
import { SyncPacer } from './syncPacer'
import { SYNC_STEP_1, peekSyncType, readAck, readReadOnlyNotice } from './wire'

export interface ConnectOptions {
  /** The Pigeon server's origin, e.g. `https://pigeon.example` (http works too). */
  serverUrl: string
  /**
   * The WebSocket constructor. Defaults to the browser's, which sends the
   * session cookie and Origin itself; in Node pass a `ws` subclass that sends
   * the Cookie and Origin headers.
   */
  WebSocketPolyfill?: typeof WebSocket
  /** Connect right away (default true); otherwise call `connect()`. */
  connect?: boolean
  /** Longest wait between reconnect attempts in ms (default 2500, y-websocket's). */
  maxBackoffTime?: number
  /** Whether the browser is online to begin with (default `navigator.onLine`, or true where there is none). */
  online?: boolean
  /** Presence to share (default: a new Awareness of the doc). */
  awareness?: Awareness
  /** Elects the one tab that connects each document (default `navigator.locks`; none: every tab connects). */
  locks?: TabLocks | null
  /** A sync message at least this large is stored before the next one is applied (default `PACE_FROM_BYTES`, syncPacer.ts). */
  paceFromBytes?: number
}

/** A document connected to the server. */
/** What one document's connection and a workspace's (its documents together, workspaceSync.ts) both offer the stores. */
export interface SyncConnection {
  /** The status now. */
  readonly status: SyncStatus
  /** Calls `listener` with each new status; returns the unsubscribe function. */
  onStatus: (listener: (status: SyncStatus) => void) => () => void
  /** Resolves once every local change is acked on the current connection; rejects on a refusal or after `timeoutMs`. */
  whenInSync: (timeoutMs?: number) => Promise<void>
  /** (Re)connects, also after a refusal (e.g. once signed in again). */
  connect: () => void
  /** Disconnects on purpose: the status becomes Offline and changes keep counting. */
  disconnect: () => void
  /** Tells the status whether the browser is online (the browser's own events do it by themselves). */
  setBrowserOnline: (online: boolean) => void
}

export interface RemoteDocument extends SyncConnection {
  readonly docName: string
  /** The connection, in the tab that leads this document (leadership.ts); null in the other tabs. */
  readonly provider: WebsocketProvider | null
  /** Presence of this connection (sync/remote/presence.ts): in memory and on the wire only. */
  readonly awareness: Awareness | null
  /** Disconnects and stops observing the doc; the doc itself stays open. */
  destroy: () => void
}

function defaultOnline(): boolean {
  return typeof navigator === 'undefined' || typeof navigator.onLine !== 'boolean' ? true : navigator.onLine
}

/** The sync endpoint's base URL, as y-websocket wants it (the document name is appended). */
export function syncEndpoint(serverUrl: string): string {
  return `${serverUrl.replace(/\/+$/, '').replace(/^http/, 'ws')}/sync`
}

/** The connection of the tab that leads a document (leadership.ts wraps it for every tab). */
class RemoteDoc implements LeaderConnection {
  readonly docName: string
  readonly provider: WebsocketProvider
  private facts: SyncFacts
  private current: SyncStatus
  private readonly listeners = new Set<(status: SyncStatus) => void>()
  private readonly acks: DurableAcks
  /** Bumped on every open socket, so an ack's status update is not credited to a later connection. */
  private connection = 0
  /** Local changes seen in memory; a count read from Dexie adds the ones that may not be stored yet. */
  private localChanges = 0
  private refreshing: Promise<void> | null = null
  /** Reads of the count, numbered as they begin, so an older answer never overwrites a newer one. */
  private readsBegun = 0
  private newestReadApplied = 0
  private refreshAgain = false
  private destroyed = false
  private readonly detachWindow: () => void
  /** The provider made its own Awareness (with a timer) when none was given: it is ours to destroy. */
  private readonly ownsAwareness: boolean
  /** Applies a large sync message only after the one before it is stored. */
  private readonly pacer: SyncPacer

  constructor(private readonly handle: DocHandle, options: ConnectOptions, unacked: number) {
    this.docName = handle.docName
    this.pacer = new SyncPacer(() => handle.sidebarStored(), options.paceFromBytes)
    this.ownsAwareness = !options.awareness
    this.facts = initialSyncFacts({ signedIn: true, browserOnline: options.online ?? defaultOnline(), unacked })
    this.current = statusOf(this.facts)
    this.acks = new DurableAcks({
      db: handle.db,
      docName: handle.docName,
      doc: handle.doc,
      flushed: () => handle.flushed(),
      onAcked: socket => this.afterAck(socket),
      // Work left over from before destroy() (e.g. a closed database) is moot, not an error.
      onError: (error) => {
        if (!this.destroyed)
          console.error(error.message)
      },
    })
    this.provider = new WebsocketProvider(syncEndpoint(options.serverUrl), handle.docName, handle.doc, {
      connect: false,
      WebSocketPolyfill: options.WebSocketPolyfill,
      maxBackoffTime: options.maxBackoffTime,
      awareness: options.awareness,
      // Tabs of one browser share Dexie, not a BroadcastChannel of Yjs updates (DESIGN.md §3).
      disableBc: true,
    })
    this.installHandlers()
    this.provider.on('status', ({ status }) => {
      if (status === 'connecting')
        this.dispatch({ type: 'connecting' })
      if (status === 'connected') {
        this.connection++
        this.dispatch({ type: 'opened' })
      }
    })
    this.provider.on('connection-close', (event) => {
      this.acks.closed()
      this.dispatch({ type: 'closed', code: event?.code ?? null, reason: event?.reason ?? '', at: Date.now(), wasOpen: this.provider.wsconnected })
    })
    this.provider.on('sync', (synced) => {
      if (synced)
        this.dispatch({ type: 'serverStateReceived' })
    })
    handle.doc.on('update', this.onUpdate)
    this.detachWindow = this.watchBrowserOnline()
    if (options.connect ?? true)
      this.connect()
  }

  get status(): SyncStatus {
    return this.current
  }

  get awareness(): Awareness {
    return this.provider.awareness
  }

  /** The facts behind the status, for the other tabs (leadership.ts). */
  get syncFacts(): SyncFacts {
    return this.facts
  }

  /** A follower tab stored changes this provider sent: their rows need an ack too. */
  otherTabStored(): void {
    this.acks.localChange()
    this.refreshUnacked()
  }

  private readonly onUpdate = (_update: Uint8Array, origin: unknown, _doc: Y.Doc, tr: Y.Transaction): void => {
    // Another tab's change (leadership.ts): this provider sends it; that tab stores and counts its row.
    if (origin === OTHER_TAB_ORIGIN) {
      this.dispatch({ type: 'localChange' })
      this.acks.localChange()
      this.refreshUnacked()
      return
    }
    if (origin === this.provider || !tr.local)
      return
    this.localChanges++
    // Counted at once, so nothing reads "In sync" between the change and the count from storage.
    this.dispatch({ type: 'localChange' })
    this.acks.localChange()
    this.refreshUnacked()
  }

  /** Wraps the stock sync handler to learn when the step-2 reply left, and reads Pigeon's own messages. */
  private installHandlers(): void {
    const handlers = this.provider.messageHandlers
    const stockSync = handlers[MESSAGE_SYNC]
    handlers[MESSAGE_SYNC] = (encoder, decoder, provider, emitSynced, messageType) => {
      const syncType = peekSyncType(decoder)
      const socket = provider.ws
      this.pacer.handle(decoder.arr.length - decoder.pos, (immediate) => {
        if (immediate) {
          stockSync(encoder, decoder, provider, emitSynced, messageType)
          // The provider sends the reply right after this handler returns, in the same task.
          if (syncType === SYNC_STEP_1 && socket)
            queueMicrotask(() => this.stepTwoSent(socket))
          return
        }
        // Applied later (syncPacer.ts): a reply goes out only on the socket it answers.
        const sameSocket = socket !== null && provider.ws === socket && provider.wsconnected
        const reply = encoding.createEncoder()
        stockSync(reply, decoding.createDecoder(decoder.arr.subarray(decoder.pos)), provider, emitSynced && sameSocket, messageType)
        if (sameSocket && encoding.length(reply) > 1) {
          socket.send(encoding.toUint8Array(reply))
          if (syncType === SYNC_STEP_1)
            this.stepTwoSent(socket)
        }
      })
    }
    handlers[MESSAGE_ACK] = (_encoder, decoder, provider) => {
      const id = readAck(decoder)
      const socket = provider.ws
      if (socket)
        void this.acks.received(socket as unknown as AckSocket, id)
    }
    handlers[MESSAGE_READ_ONLY] = (_encoder, decoder) => {
      const notice = readReadOnlyNotice(decoder)
      const wasReadOnly = this.facts.readOnly !== null
      this.dispatch({ type: 'readOnly', sentence: notice.readOnly ? notice.sentence : null })
      if (wasReadOnly && !notice.readOnly)
        this.resync()
    }
  }

  /**
   * Reconnects so the server sends a fresh step 1. Needed when write access
   * comes back: the server dropped this device's updates while it was a
   * viewer, and Yjs holds back any later update of the same client until the
   * missing ones arrive, which only the step-2 reply sends.
   */
  private resync(): void {
    if (!this.provider.shouldConnect)
      return
    this.provider.disconnect()
    this.provider.connect()
  }

  private stepTwoSent(socket: WebSocket): void {
    if (this.provider.ws === socket && this.provider.wsconnected)
      this.acks.ready(socket as unknown as AckSocket)
  }

  private afterAck(socket: AckSocket): void {
    const connection = this.connection
    const stillOpen = (): boolean => (this.provider.ws as unknown as AckSocket | null) === socket && connection === this.connection
    void this.readUnacked().then((count) => {
      if (this.destroyed)
        return
      // A newer read already set the count; the ack still counts for this connection.
      const unacked = count ?? this.facts.unacked
      this.dispatch(stillOpen() ? { type: 'acked', unacked } : { type: 'unacked', count: unacked })
    })
  }

  /** Re-reads the unacked count after local changes; one read at a time, and one more if changes came meanwhile. */
  private refreshUnacked(): void {
    if (this.refreshing) {
      this.refreshAgain = true
      return
    }
    this.refreshing = this.readUnacked().then((count) => {
      if (count !== null)
        this.dispatch({ type: 'unacked', count })
    }).finally(() => {
      this.refreshing = null
      if (this.refreshAgain) {
        this.refreshAgain = false
        this.refreshUnacked()
      }
    })
  }

  /**
   * Unacked local changes: the rows after `lastAckedSeq` plus changes made
   * while reading, which may not be stored yet. Counting too many for a
   * moment is fine; too few could show "In sync" early. Null when the read
   * failed, or when a read begun later already answered (this one is stale).
   */
  private async readUnacked(): Promise<number | null> {
    const before = this.localChanges
    try {
      await this.handle.flushed().catch(() => undefined)
      const ticket = ++this.readsBegun
      const progress = await readSyncProgress(this.handle.db, this.docName)
      if (this.destroyed || ticket < this.newestReadApplied)
        return null
      this.newestReadApplied = ticket
      return progress.unacked + (this.localChanges - before)
    }
    catch (error) {
      if (!this.destroyed)
        console.error(error instanceof Error ? error.message : String(error))
      return null
    }
  }

  private dispatch(event: SyncEvent): void {
    if (this.destroyed)
      return
    const next = reduceSync(this.facts, event)
    if (next === this.facts)
      return
    this.facts = next
    const status = statusOf(next)
    const previous = this.current
    this.current = status
    if (status.state !== previous.state || status.unacked !== previous.unacked || status.detail !== previous.detail || status.error !== previous.error) {
      for (const listener of this.listeners)
        listener(status)
    }
  }

  private watchBrowserOnline(): () => void {
    const target = typeof window !== 'undefined' ? window : null
    if (!target)
      return () => undefined
    const online = (): void => this.setBrowserOnline(true)
    const offline = (): void => this.setBrowserOnline(false)
    target.addEventListener('online', online)
    target.addEventListener('offline', offline)
    return () => {
      target.removeEventListener('online', online)
      target.removeEventListener('offline', offline)
    }
  }

  onStatus(listener: (status: SyncStatus) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  connect(): void {
    this.dispatch({ type: 'connect' })
    this.provider.connect()
  }

  disconnect(): void {
    this.dispatch({ type: 'disconnect' })
    this.provider.disconnect()
  }

  setBrowserOnline(online: boolean): void {
    this.dispatch({ type: 'browserOnline', online })
  }

  destroy(): void {
    this.pacer.stop()
    this.handle.doc.off('update', this.onUpdate)
    this.detachWindow()
    this.acks.closed()
    this.provider.destroy()
    if (this.ownsAwareness)
      this.provider.awareness.destroy()
    this.destroyed = true
    this.listeners.clear()
  }
}

/**
 * Connects any persisted document (`ws/…`, `history/…`, `runs/…`) once it is
 * loaded: the provider must not see the doc before its stored log is applied.
 */
export async function connectDocument(handle: DocHandle, options: ConnectOptions): Promise<RemoteDocument> {
  await handle.whenLoaded
  const roles = new TabRoles({
    handle,
    locks: options.locks === undefined ? browserLocks() : options.locks,
    connect: options.connect ?? true,
    browserOnline: options.online ?? defaultOnline(),
    unacked: (await readSyncProgress(handle.db, handle.docName)).unacked,
    lead: async (connect) => {
      const { unacked } = await readSyncProgress(handle.db, handle.docName)
      return new RemoteDoc(handle, { ...options, connect }, unacked)
    },
  })
  // Returned once it leads or follows a leader, so its status is the real one.
  await roles.settled
  return roles
}

/** Connects an open workspace doc (from openWorkspaceDoc) to the server's `/sync/ws/<workspaceId>`. */
export async function connectWorkspace(handle: DocHandle, options: ConnectOptions): Promise<RemoteDocument> {
  if (handle.docName !== workspaceDocName(handle.workspaceId))
    throw new Error(`connectWorkspace needs a workspace document; ${handle.docName} is not one. Use connectDocument for history and runs.`)
  return connectDocument(handle, options)
}
