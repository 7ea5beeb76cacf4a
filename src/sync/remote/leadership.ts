/**
 * Several tabs of one browser, one connection per document (docs/sync.md,
 * "Several tabs"). Per (database, document) one tab leads: it holds a Web
 * Lock until it disconnects the doc or closes, and only it connects a
 * provider. The other tabs follow: their changes reach the leader over the
 * tab relay (src/sync/tabRelay.ts) and its provider sends them; what the
 * server sends reaches them the same way. The leader posts its sync facts on
 * a BroadcastChannel, so every tab's top bar says the same words. Presence
 * works in every tab too: followers' states reach the leader, which
 * announces one state for the browser (tabPresence.ts). When the leader goes
 * away the lock passes to a follower, which connects.
 *
 * Without Web Locks (Node) every tab leads, as before: still correct, only
 * one socket per tab.
 */
import * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'
import type { WebsocketProvider } from 'y-websocket'
import type { DocHandle } from '../persistedDoc'
import { OTHER_TAB_ORIGIN, tabChannelName } from '../tabRelay'
import { workspaceDocName } from '../workspaceDocs'
import { type SyncFacts, type SyncStatus, initialSyncFacts, reduceSync, statusOf } from './status'
import { type TabLocks, electLeader } from './tabLocks'
import { TabPresence } from './tabPresence'

export { type TabLocks, browserLocks, electLeader } from './tabLocks'

/** The leader's own connection: the provider-backed document of connectDocument.ts. */
export interface LeaderConnection {
  readonly provider: WebsocketProvider
  readonly awareness: Awareness | null
  readonly status: SyncStatus
  /** The facts behind the status, posted to the other tabs. */
  readonly syncFacts: SyncFacts
  onStatus: (listener: (status: SyncStatus) => void) => () => void
  connect: () => void
  disconnect: () => void
  setBrowserOnline: (online: boolean) => void
  /** Another tab stored local changes this connection sent: ask for an ack that covers them. */
  otherTabStored: () => void
  destroy: () => void
}

/** How long a new tab waits to lead or hear from the leader before showing its own status. */
const SETTLE_TIMEOUT_MS = 1_000

type StatusMessage =
  /** The leader's facts, and its doc's state vector so a follower knows which of its changes the leader has. */
  | { type: 'status', facts: SyncFacts, stateVector: Uint8Array }
  /** A follower opened the doc: the leader answers with `status`. */
  | { type: 'ask' }
  /** A follower's connect()/disconnect(): one connection per browser, so the intent is the browser's. */
  | { type: 'want', connect: boolean }
  /** A follower stored local changes: the leader asks for an ack that covers their rows. */
  | { type: 'stored' }
  /** The leader gave up the lock; another tab will take over. */
  | { type: 'gone' }

/** What a document shows in a tab, whichever role the tab has now. */
export interface TabRoleOptions {
  handle: DocHandle
  locks: TabLocks | null
  /** Connect when leading (until a connect()/disconnect() says otherwise). */
  connect: boolean
  browserOnline: boolean
  /** Unacked local changes in Dexie when the tab connects: shown until a leader speaks. */
  unacked: number
  /** Connects this tab as the leader (reads the unacked count first). */
  lead: (connect: boolean) => Promise<LeaderConnection>
}

export class TabRoles {
  readonly docName: string
  private leader: LeaderConnection | null = null
  private destroyed = false
  private wanted: boolean
  private browserOnline: boolean
  /** The leader's last facts, or null until one answered (or after it left). */
  private mirrored: SyncFacts | null = null
  /** Which of this tab's changes the leader holds (its state vector's entry for this doc's clientID). */
  private leaderHasOwnClock = 0
  private current: SyncStatus
  /** The unacked count last shown, kept while no leader answers. */
  private lastUnacked: number
  /** Resolves once this tab leads or heard from the leader (or after a second without either). */
  readonly settled: Promise<void>
  private settle: () => void = () => {}
  private readonly listeners = new Set<(status: SyncStatus) => void>()
  private readonly channel: BroadcastChannel | null
  private readonly channelName: string
  /** Presence in this tab (workspace documents only; others' when first asked for): tabPresence.ts. */
  private presence: TabPresence | null = null
  private readonly stopLeading: () => void
  private stopLeaderStatus: () => void = () => {}

  constructor(private readonly options: TabRoleOptions) {
    this.docName = options.handle.docName
    this.wanted = options.connect
    this.browserOnline = options.browserOnline
    this.lastUnacked = options.unacked
    this.settled = new Promise<void>((resolve) => {
      const fallback = setTimeout(resolve, SETTLE_TIMEOUT_MS)
      this.settle = () => {
        clearTimeout(fallback)
        resolve()
      }
    })
    this.current = this.followerStatus()
    const name = tabChannelName(options.handle.db, options.handle.docName)
    this.channelName = name
    this.channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(`${name}:sync`)
    if (this.channel)
      this.channel.onmessage = (event: MessageEvent<StatusMessage>) => this.receive(event.data)
    options.handle.doc.on('update', this.onUpdate)
    this.post({ type: 'ask' })
    // Presence travels on the workspace document's connection. A tab leading it without showing
    // the workspace (restoring it in the background) still announces the other tabs' presence.
    if (options.handle.docName === workspaceDocName(options.handle.workspaceId))
      this.startPresence()
    this.stopLeading = electLeader(`${name}:leader`, options.locks, () => void this.becomeLeader())
  }

  get isLeader(): boolean {
    return this.leader !== null
  }

  get provider(): WebsocketProvider | null {
    return this.leader?.provider ?? null
  }

  /**
   * This tab's presence, in every tab: its own state goes to the leader's
   * connection (merged with the other tabs'), and the others in the
   * workspace come back from it (tabPresence.ts). Null once destroyed.
   */
  get awareness(): Awareness | null {
    return this.destroyed ? null : this.startPresence().awareness
  }

  private startPresence(): TabPresence {
    if (!this.presence) {
      this.presence = new TabPresence({ channelName: this.channelName, locks: this.options.locks })
      if (this.leader?.awareness)
        this.presence.lead(this.leader.awareness)
    }
    return this.presence
  }

  get status(): SyncStatus {
    return this.current
  }

  onStatus(listener: (status: SyncStatus) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Resolves once every local change is acked (as the leader reports it); rejects on a refusal or after `timeoutMs`. */
  whenInSync(timeoutMs = 10_000): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const settle = (status: SyncStatus): boolean => {
        if (status.state === 'inSync') {
          resolve()
          return true
        }
        if (status.state === 'error' && status.error && !status.error.retrying) {
          reject(new Error(status.error.reason))
          return true
        }
        return false
      }
      if (settle(this.current))
        return
      const timer = setTimeout(() => {
        stop()
        reject(new Error(`${this.docName} was not in sync after ${timeoutMs} ms; the status says: ${this.current.detail}`))
      }, timeoutMs)
      const stop = this.onStatus((status) => {
        if (settle(status)) {
          clearTimeout(timer)
          stop()
        }
      })
    })
  }

  connect(): void {
    this.wanted = true
    if (this.leader)
      this.leader.connect()
    else
      this.post({ type: 'want', connect: true })
    this.refresh()
  }

  disconnect(): void {
    this.wanted = false
    if (this.leader)
      this.leader.disconnect()
    else
      this.post({ type: 'want', connect: false })
    this.refresh()
  }

  setBrowserOnline(online: boolean): void {
    this.browserOnline = online
    this.leader?.setBrowserOnline(online)
    this.refresh()
  }

  destroy(): void {
    if (this.destroyed)
      return
    this.destroyed = true
    this.options.handle.doc.off('update', this.onUpdate)
    this.stopLeaderStatus()
    // Before the connection goes, so the others see this tab's presence leave at once.
    this.presence?.destroy()
    this.leader?.destroy()
    if (this.leader)
      this.post({ type: 'gone' })
    this.leader = null
    this.stopLeading()
    this.settle()
    this.channel?.close()
    this.listeners.clear()
  }

  private async becomeLeader(): Promise<void> {
    if (this.destroyed)
      return
    let leader: LeaderConnection
    // The browser's last intent carries over: a follower that takes over after a disconnect stays offline.
    const intent = this.mirrored?.wanted ?? this.wanted
    this.wanted = intent
    try {
      leader = await this.options.lead(intent)
    }
    catch (error) {
      // Reading the unacked count failed (the database closed as the tab closes): nothing to connect.
      if (!this.destroyed)
        console.error(`This tab could not take over the connection of ${this.docName}: ${error instanceof Error ? error.message : String(error)} Reload this tab to sync it again.`)
      this.settle()
      return
    }
    if (this.destroyed) {
      leader.destroy()
      return
    }
    this.leader = leader
    this.mirrored = null
    if (leader.awareness)
      this.presence?.lead(leader.awareness)
    // connect()/disconnect() called while the connection was being made.
    if (this.wanted !== intent)
      this.wanted ? leader.connect() : leader.disconnect()
    leader.setBrowserOnline(this.browserOnline)
    this.stopLeaderStatus = leader.onStatus(() => {
      this.publish()
      this.refresh()
    })
    this.publish()
    this.refresh()
    this.settle()
  }

  /** This tab's own changes: while the leader does not hold them yet, a follower is not In sync. */
  private readonly onUpdate = (_update: Uint8Array, origin: unknown, _doc: Y.Doc, tr: Y.Transaction): void => {
    if (this.leader || origin === OTHER_TAB_ORIGIN || !tr.local)
      return
    this.refresh()
    // Once stored, the leader can ask for an ack that covers the rows.
    void this.options.handle.flushed().then(() => this.post({ type: 'stored' }), () => undefined)
  }

  private receive(message: StatusMessage | undefined): void {
    if (!message || this.destroyed)
      return
    if (this.leader) {
      if (message.type === 'ask')
        this.publish()
      else if (message.type === 'want')
        message.connect ? this.leader.connect() : this.leader.disconnect()
      else if (message.type === 'stored')
        this.leader.otherTabStored()
      return
    }
    if (message.type === 'status') {
      this.mirrored = message.facts
      this.wanted = message.facts.wanted
      this.leaderHasOwnClock = Y.decodeStateVector(message.stateVector).get(this.options.handle.doc.clientID) ?? 0
      this.refresh()
      this.settle()
    }
    else if (message.type === 'gone') {
      this.mirrored = null
      this.refresh()
    }
  }

  private publish(): void {
    if (this.leader)
      this.post({ type: 'status', facts: this.leader.syncFacts, stateVector: Y.encodeStateVector(this.options.handle.doc) })
  }

  private post(message: StatusMessage): void {
    // The `gone` goodbye is posted while destroying; later work (a pending flush) finds the channel closed.
    if (!this.destroyed || message.type === 'gone')
      this.channel?.postMessage(message)
  }

  /**
   * A follower shows the leader's facts; before any leader answered, it is
   * Connecting (or Offline when not wanted). A change of its own the leader
   * does not hold yet counts as one more unacked change, as in the leader.
   */
  private followerStatus(): SyncStatus {
    let facts = this.mirrored ?? reduceSync(
      initialSyncFacts({ signedIn: true, browserOnline: this.browserOnline, unacked: this.lastUnacked }),
      { type: this.wanted ? 'connect' : 'disconnect' },
    )
    const ownClock = Y.getState(this.options.handle.doc.store, this.options.handle.doc.clientID)
    if (ownClock > this.leaderHasOwnClock)
      facts = reduceSync(facts, { type: 'localChange' })
    return statusOf(facts)
  }

  private refresh(): void {
    if (this.destroyed)
      return
    const next = this.leader ? this.leader.status : this.followerStatus()
    const previous = this.current
    this.current = next
    this.lastUnacked = next.unacked
    if (next.state !== previous.state || next.unacked !== previous.unacked || next.detail !== previous.detail || next.error !== previous.error) {
      for (const listener of this.listeners)
        listener(next)
    }
  }
}
