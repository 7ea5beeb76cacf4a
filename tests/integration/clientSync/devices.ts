/**
 * Simulated devices for the client-sync tests: each has its own
 * fake-indexeddb (a separate IDBFactory, like a separate browser), its own
 * Pigeon database for the account, the workspace doc opened by the data
 * layer, and the sync connection under test, speaking to the real server
 * over real sockets with the device's session cookie.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { WebSocket } from 'ws'
import { PigeonDb, accountDbName } from '../../../src/db/schema'
import { PROJECTION_TABLES } from '../../../src/db/schema'
import { readSyncProgress } from '../../../src/db/remoteSync'
import { readWorkspace } from '../../../src/db/registry'
import { createWorkspace, openWorkspaceDoc, type WorkspaceHandle } from '../../../src/sync/workspaceDocs'
import { type HistoryHandle, openHistoryDoc } from '../../../src/sync/historyDocs'
import { type RunsHandle, openRunsDoc } from '../../../src/sync/runDocs'
import { type RemoteDocument, connectDocument, connectWorkspace } from '../../../src/sync/remote/connectDocument'
import type { SyncState, SyncStatus } from '../../../src/sync/remote/status'

// y-websocket adds a process 'exit' listener per provider in Node (and removes
// it on destroy); several simulated devices with three documents each pass
// Node's default of 10, whose "memory leak" warning would be a false alarm.
process.setMaxListeners(Math.max(process.getMaxListeners(), 50))

/** The `ws` WebSocket sending a Cookie and an Origin header, shaped like the browser's constructor. */
export function nodeWebSocket(headers: { cookie: string, origin: string }): typeof globalThis.WebSocket {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers })
    }
  } as unknown as typeof globalThis.WebSocket
}

/** Opens a Pigeon database inside `factory` (one per simulated browser) rather than the process-wide IndexedDB. */
export function openDbIn(factory: IDBFactory, name: string): PigeonDb {
  // Dexie reads its dependencies when a database object is made; swap them just for this one.
  const deps = PigeonDb.dependencies
  const saved = { indexedDB: deps.indexedDB, IDBKeyRange: deps.IDBKeyRange }
  deps.indexedDB = factory
  deps.IDBKeyRange = IDBKeyRange
  try {
    return new PigeonDb(name)
  }
  finally {
    deps.indexedDB = saved.indexedDB
    deps.IDBKeyRange = saved.IDBKeyRange
  }
}

export interface DeviceOptions {
  serverUrl: string
  userId: string
  cookie: string
  workspaceId: string
  /** How the workspace is registered on first use (default: the account's personal one). */
  kind?: 'personal' | 'team'
  /** Also open and connect the person's history doc of the workspace. */
  withHistory?: boolean
  /** Also open and connect the workspace's runs doc. */
  withRuns?: boolean
  /** Sync messages at least this large are stored before the next is applied (ConnectOptions). */
  paceFromBytes?: number
}

/** One browser of one account with one workspace open and connected. */
export class Device {
  readonly indexedDB = new IDBFactory()
  db!: PigeonDb
  handle!: WorkspaceHandle
  remote!: RemoteDocument
  /** The history doc and its connection, when opened `withHistory`. */
  history: { handle: HistoryHandle, remote: RemoteDocument } | null = null
  /** The runs doc and its connection, when opened `withRuns`. */
  runs: { handle: RunsHandle, remote: RemoteDocument } | null = null
  /** Every state the status went through since the last `clearStates()`. */
  states: SyncState[] = []
  private stopWatching: () => void = () => undefined

  constructor(readonly name: string, private options: DeviceOptions) {}

  /** Opens the database and the workspace (registering it on first use) and connects, unless told not to. */
  async open(connect = true): Promise<this> {
    const { serverUrl, userId, cookie, workspaceId, kind = 'personal', paceFromBytes } = this.options
    const connection = { serverUrl, WebSocketPolyfill: nodeWebSocket({ cookie, origin: serverUrl }), maxBackoffTime: 300, connect, paceFromBytes }
    this.db = openDbIn(this.indexedDB, accountDbName(userId))
    if (!(await readWorkspace(this.db, workspaceId)))
      await createWorkspace(this.db, kind === 'team' ? 'Team' : 'Personal', kind, workspaceId)
    this.handle = openWorkspaceDoc(this.db, workspaceId, { userId })
    await this.handle.whenLoaded
    this.remote = await connectWorkspace(this.handle, connection)
    if (this.options.withHistory) {
      const handle = openHistoryDoc(this.db, workspaceId, userId)
      const remote = await connectDocument(handle, connection)
      this.history = { handle, remote }
    }
    if (this.options.withRuns) {
      const handle = openRunsDoc(this.db, workspaceId, userId)
      const remote = await connectDocument(handle, connection)
      this.runs = { handle, remote }
    }
    this.states = [this.remote.status.state]
    this.stopWatching = this.remote.onStatus(status => this.states.push(status.state))
    return this
  }

  /** Every connection of the device: the workspace doc's, and the history and runs docs' when open. */
  get remotes(): RemoteDocument[] {
    return [this.remote, ...[this.history, this.runs].filter(each => each !== null).map(each => each.remote)]
  }

  /** Closes everything like a closed tab: connection, doc (stored first) and database. */
  async close(): Promise<void> {
    this.stopWatching()
    this.remote.destroy()
    await this.handle.close()
    if (this.history) {
      this.history.remote.destroy()
      await this.history.handle.close()
      this.history = null
    }
    if (this.runs) {
      this.runs.remote.destroy()
      await this.runs.handle.close()
      this.runs = null
    }
    this.db.close()
  }

  /** Closes and opens again from what the device stored. */
  async reload(connect = true): Promise<this> {
    await this.close()
    return this.open(connect)
  }

  /** Uses another session (after signing in again). */
  useCookie(cookie: string): void {
    this.options = { ...this.options, cookie }
  }

  get status(): SyncStatus {
    return this.remote.status
  }

  get workspaceId(): string {
    return this.options.workspaceId
  }

  clearStates(): void {
    this.states = [this.remote.status.state]
  }

  /** Local changes not yet acked, as stored in Dexie. */
  async unackedInDexie(): Promise<number> {
    await this.handle.flushed()
    return (await readSyncProgress(this.db, this.handle.docName)).unacked
  }

  /** The history rows of the workspace on this device, sorted by id. */
  async historyRows(): Promise<unknown[]> {
    await this.history?.handle.flushed()
    const rows = await this.db.history.where('workspaceId').equals(this.workspaceId).toArray()
    return rows.sort((a, b) => a.id.localeCompare(b.id))
  }

  /** Every projected row of the workspace, per table, sorted by id: what the UI would show. */
  async tables(): Promise<Record<string, unknown[]>> {
    await this.handle.flushed()
    await this.runs?.handle.flushed()
    const result: Record<string, unknown[]> = {}
    for (const table of PROJECTION_TABLES) {
      if (table === 'history')
        continue
      const rows = await this.db.projection(table).where('workspaceId').equals(this.workspaceId).toArray()
      result[table] = rows.sort((a, b) => a.id.localeCompare(b.id))
    }
    return result
  }
}

/** Polls `read` until `accept` holds, failing with `what` after the timeout. */
export async function eventually<T>(read: () => Promise<T> | T, accept: (value: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: T = await read()
  while (!accept(last)) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}; last seen: ${JSON.stringify(last)}`)
    await new Promise(resolve => setTimeout(resolve, 20))
    last = await read()
  }
  return last
}
