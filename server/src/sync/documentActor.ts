/**
 * One document in memory, and the only place that touches it: an actor with
 * one queue. Messages from all of the document's connections wait until it is
 * loaded from storage and then run strictly in arrival order, in batches:
 *
 *   1. validate each update (decoded already; read-only and size checks here),
 *   2. commit the batch's updates to storage in one append (durable on resolve),
 *   3. then, in order: apply in memory (which broadcasts), answer step 1s,
 *      awareness and ack requests.
 *
 * So an ack is sent only after every earlier message of its connection is
 * committed. A deleted document drops its queue and closes its sockets.
 */
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { Logger } from '../log.js'
import type { DocumentStore } from '../storage/documents.js'
import type { ClientMessage } from './messages.js'
import type { SyncConnection } from './connection.js'
import type { SyncConfig } from './syncConfig.js'
import { DocumentDeletedError } from '../storage/documents.js'
import { CLOSE_DOCUMENT_TOO_LARGE, CLOSE_INTERNAL_ERROR, CLOSE_NOT_FOUND, CLOSE_REASONS } from '../../../src/domain/syncProtocol.js'
import { encodeAck, encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeUpdate, isEmptyUpdate } from './messages.js'

type Task =
  | { kind: 'join', connection: SyncConnection }
  | { kind: 'message', connection: SyncConnection, message: ClientMessage, bytes: number }

type State = 'loading' | 'ready' | 'gone'

/** Origin of the updates read from storage: connections already joined get them in sync step 2 instead. */
const LOADING = Symbol('loading')

/** The most tasks handled (and updates committed) in one batch. */
const MAX_BATCH = 256

export interface DocumentActorDeps {
  store: DocumentStore
  config: SyncConfig
  log: Logger
  /** Called once when the actor leaves memory (idle, deleted or failed). */
  onGone: (actor: DocumentActor) => void
}

export class DocumentActor {
  readonly connections = new Set<SyncConnection>()
  private readonly doc = new Y.Doc()
  private readonly awareness = new awarenessProtocol.Awareness(this.doc)
  private state: State = 'loading'
  private queue: Task[] = []
  private running: Promise<void> | null = null
  private idleTimer: NodeJS.Timeout | null = null
  private lastSeq = 0
  private logCount = 0
  private logBytes = 0
  private snapshotBytes = 0

  constructor(readonly name: string, private readonly deps: DocumentActorDeps) {
    this.awareness.setLocalState(null)
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === LOADING)
        return
      const frame = encodeUpdate(update)
      for (const connection of this.connections) {
        if (connection !== origin)
          connection.send(frame)
      }
    })
    this.awareness.on('update', ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
      const changed = [...added, ...updated, ...removed]
      const owner = this.connections.has(origin as SyncConnection) ? origin as SyncConnection : null
      if (owner) {
        added.forEach(id => owner.awarenessClients.add(id))
        removed.forEach(id => owner.awarenessClients.delete(id))
      }
      const frame = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed))
      for (const connection of this.connections)
        connection.send(frame)
    })
  }

  /** Reads the document from storage; queued messages run afterwards. */
  /**
   * Reads the document as it is in memory, when it is loaded and live (the
   * summary route counts from it instead of loading a second copy from
   * storage); null while loading or after it was deleted or unloaded.
   */
  readLoaded<T>(read: (doc: Y.Doc) => T): T | null {
    return this.state === 'ready' ? read(this.doc) : null
  }

  async load(): Promise<void> {
    const started = Date.now()
    let stored
    try {
      stored = await this.deps.store.load(this.name)
    }
    catch (error) {
      this.deps.log.error('sync_load_failed', { document: this.name, error: (error as Error).message })
      this.end(CLOSE_INTERNAL_ERROR, CLOSE_REASONS.storageFailed)
      return
    }
    if (this.state === 'gone')
      return
    if (stored === null) {
      this.end(CLOSE_NOT_FOUND, CLOSE_REASONS.notFound)
      return
    }
    Y.transact(this.doc, () => {
      for (const update of stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates) {
        try {
          Y.applyUpdate(this.doc, update, LOADING)
        }
        catch (error) {
          // One bad row must not make the whole document unreadable; it is dropped at the next compaction.
          this.deps.log.error('sync_bad_stored_update', { document: this.name, error: (error as Error).message })
        }
      }
    }, LOADING)
    this.lastSeq = stored.lastSeq
    this.logCount = stored.updates.length
    this.snapshotBytes = stored.snapshot?.byteLength ?? 0
    this.logBytes = stored.bytes - this.snapshotBytes
    this.state = 'ready'
    this.deps.log.info('sync_document_loaded', { document: this.name, updates: this.logCount, bytes: stored.bytes, ms: Date.now() - started })
    this.kick()
  }

  /** Adds a connection: it gets the server's step 1 and the awareness states, then its messages run. */
  attach(connection: SyncConnection): void {
    if (this.idleTimer) {
      clearTimeout(this.idleTimer)
      this.idleTimer = null
    }
    this.connections.add(connection)
    this.queue.push({ kind: 'join', connection })
    connection.attach(this)
    this.kick()
  }

  enqueue(connection: SyncConnection, message: ClientMessage, bytes: number): void {
    if (this.state === 'gone' || connection.closed) {
      connection.settled(bytes)
      return
    }
    this.queue.push({ kind: 'message', connection, message, bytes })
    this.kick()
  }

  /** Removes a closed connection and its awareness states; an unused document unloads later. */
  detach(connection: SyncConnection): void {
    if (!this.connections.delete(connection))
      return
    if (connection.awarenessClients.size > 0)
      awarenessProtocol.removeAwarenessStates(this.awareness, [...connection.awarenessClients], null)
    this.scheduleUnload()
  }

  /** The workspace was deleted: drop queued work and close every socket with 4404. */
  markDeleted(): void {
    this.end(CLOSE_NOT_FOUND, CLOSE_REASONS.notFound)
  }

  /** Resolves once the queue is empty (for graceful shutdown). */
  async drain(): Promise<void> {
    while (this.running)
      await this.running
  }

  private kick(): void {
    if (this.state === 'ready' && !this.running && this.queue.length > 0) {
      this.running = this.run().catch((error: Error) => {
        // A bug here must cost this document its sockets, never the process.
        this.deps.log.error('sync_actor_failed', { document: this.name, error: error.message, stack: error.stack })
        this.end(CLOSE_INTERNAL_ERROR, CLOSE_REASONS.storageFailed)
      }).finally(() => {
        this.running = null
        this.kick()
        this.scheduleUnload()
      })
    }
  }

  private async run(): Promise<void> {
    while (this.state === 'ready' && this.queue.length > 0) {
      if (this.deps.config.unsafeAckBeforeCommit)
        await new Promise(resolve => setTimeout(resolve, this.deps.config.unsafeWriteBehindMs))
      const batch = this.queue.splice(0, MAX_BATCH)
      try {
        await this.runBatch(batch)
      }
      finally {
        for (const task of batch) {
          if (task.kind === 'message')
            task.connection.settled(task.bytes)
        }
      }
    }
  }

  private async runBatch(batch: Task[]): Promise<void> {
    const { maxDocumentBytes } = this.deps.config
    const accepted: Task[] = []
    const toCommit: Uint8Array[] = []
    let pendingBytes = 0
    for (const task of batch) {
      if (task.connection.closed)
        continue
      if (task.kind === 'message' && task.message.type === 'update') {
        const { update } = task.message
        if (isEmptyUpdate(update))
          continue
        if (task.connection.readOnly) {
          task.connection.updateDropped()
          continue
        }
        if (this.snapshotBytes + this.logBytes + pendingBytes + update.byteLength > maxDocumentBytes) {
          this.deps.log.warn('sync_document_too_large', { document: this.name, connectionId: task.connection.id })
          task.connection.close(CLOSE_DOCUMENT_TOO_LARGE, CLOSE_REASONS.documentTooLarge)
          continue
        }
        toCommit.push(update)
        pendingBytes += update.byteLength
      }
      accepted.push(task)
    }

    if (toCommit.length > 0) {
      const started = performance.now()
      try {
        this.lastSeq = await this.deps.store.append(this.name, toCommit)
        const ms = performance.now() - started
        if (ms > this.deps.config.slowCommitMs)
          this.deps.log.warn('sync_slow_commit', { document: this.name, updates: toCommit.length, ms: Math.round(ms) })
      }
      catch (error) {
        if (error instanceof DocumentDeletedError) {
          this.end(CLOSE_NOT_FOUND, CLOSE_REASONS.notFound)
          return
        }
        this.deps.log.error('sync_commit_failed', { document: this.name, error: (error as Error).message })
        this.end(CLOSE_INTERNAL_ERROR, CLOSE_REASONS.storageFailed)
        return
      }
      this.logCount += toCommit.length
      this.logBytes += pendingBytes
    }
    if (this.state !== 'ready')
      return

    for (const task of accepted)
      this.apply(task)
    await this.compactIfDue()
  }

  /** Runs one task whose updates (if any) are committed already. */
  private apply(task: Task): void {
    const { connection } = task
    if (task.kind === 'join') {
      connection.send(encodeSyncStep1(this.doc))
      const states = [...this.awareness.getStates().keys()]
      if (states.length > 0)
        connection.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)))
      return
    }
    const { message } = task
    switch (message.type) {
      case 'update':
        try {
          Y.applyUpdate(this.doc, message.update, connection)
        }
        catch (error) {
          this.deps.log.error('sync_apply_failed', { document: this.name, connectionId: connection.id, error: (error as Error).message })
        }
        break
      case 'syncStep1':
        if (!connection.closed) {
          for (const frame of encodeSyncStep2(this.doc, message.stateVector, this.deps.config.syncPieceBytes))
            connection.send(frame)
        }
        break
      case 'awareness':
        if (!connection.closed)
          awarenessProtocol.applyAwarenessUpdate(this.awareness, message.update, connection)
        break
      case 'queryAwareness':
        connection.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()])))
        break
      case 'ackRequest':
        connection.send(encodeAck(message.id))
        break
    }
  }

  /** Folds the log into one snapshot when it grows long or large, in one storage transaction. */
  private async compactIfDue(): Promise<void> {
    const { compactAfterUpdates, maxDocumentBytes } = this.deps.config
    if (this.logCount < compactAfterUpdates && !(this.logCount > 1 && this.logBytes > maxDocumentBytes / 4))
      return
    const snapshot = Y.encodeStateAsUpdate(this.doc)
    try {
      await this.deps.store.compact(this.name, snapshot, this.lastSeq)
      this.deps.log.info('sync_document_compacted', { document: this.name, updates: this.logCount, bytes: snapshot.byteLength, upToSeq: this.lastSeq })
      this.logCount = 0
      this.logBytes = 0
      this.snapshotBytes = snapshot.byteLength
    }
    catch (error) {
      // The log is still complete; compaction is retried after the next batch.
      this.deps.log.error('sync_compaction_failed', { document: this.name, error: (error as Error).message })
    }
  }

  private scheduleUnload(): void {
    if (this.state === 'gone' || this.connections.size > 0 || this.running || this.idleTimer)
      return
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null
      if (this.connections.size === 0 && !this.running && this.queue.length === 0) {
        this.deps.log.info('sync_document_unloaded', { document: this.name })
        this.end(null, '')
      }
    }, this.deps.config.idleUnloadMs)
    this.idleTimer.unref()
  }

  /** Leaves memory: closes remaining sockets with `code` (if any) and frees the document. */
  private end(code: number | null, reason: string): void {
    if (this.state === 'gone')
      return
    this.state = 'gone'
    this.queue = []
    if (this.idleTimer)
      clearTimeout(this.idleTimer)
    for (const connection of this.connections) {
      if (code !== null)
        connection.close(code, reason)
    }
    this.connections.clear()
    this.awareness.destroy()
    this.doc.destroy()
    this.deps.onGone(this)
  }
}

interface AwarenessChange {
  added: number[]
  updated: number[]
  removed: number[]
}
