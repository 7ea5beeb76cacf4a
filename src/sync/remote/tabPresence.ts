/**
 * Presence in every tab of a browser, over the one connection the leading
 * tab holds (leadership.ts; docs/sync.md, "Presence" and "Several tabs").
 *
 * Each tab has an awareness of its own (`TabPresence.awareness`) that never
 * goes on the wire: its local state is what this tab shares (presence.ts
 * `sharePresence` sets it), its other states are the people in the
 * workspace as the leader's connection sees them. So the presence store
 * reads every tab the same way, leader or follower.
 *
 * - Followers post their own state to the leader on a BroadcastChannel; the
 *   leader announces ONE state for the browser on its connection's awareness:
 *   its own tab's and the followers' merged (devicePresence.ts), so other
 *   people see one avatar per device, on every request any tab has open.
 * - The leader relays what its connection's awareness receives (arrivals,
 *   changes, renewals, departures) to every tab's awareness.
 * - A follower that closes says so; one that is killed is noticed through its
 *   Web Lock (held while it lives, granted to the leader once it is gone).
 * - A tab that takes over the connection clears what the old leader relayed,
 *   in every tab, and asks the followers for their states again. A follower
 *   left without any leader stops hearing renewals, and y-protocols drops
 *   those states after 30 s.
 *
 * Nothing here is stored: no Dexie, no Y.Doc content.
 */
import * as Y from 'yjs'
import { Awareness } from 'y-protocols/awareness'
import { mergeTabStates } from './devicePresence'
import { type TabLocks, electLeader } from './tabLocks'

/** Others' states by awareness client id; null: that client left. */
type PeerEntries = Array<[clientId: number, state: Record<string, unknown> | null]>

type PresenceMessage =
  /** A tab began sharing presence: the leader answers with every peer (`peers`, reset). */
  | { type: 'hello' }
  /** A follower's own state for the leader to merge; null when it stops sharing (closes, switches, signs out). */
  | { type: 'tab', from: string, state: Record<string, unknown> | null }
  /** The leader's view of the others: changes, or (reset) all of them instead of what a tab had. */
  | { type: 'peers', reset: boolean, entries: PeerEntries }
  /** A tab took over the connection: forget the old leader's peers and send your state again. */
  | { type: 'leader', entries: PeerEntries }

/** The origin of changes this module makes to a tab's awareness (not this tab's own state). */
const RELAYED_ORIGIN = 'pigeon:tab-presence'

export interface TabPresenceOptions {
  /** The document's tab channel name (tabRelay.ts `tabChannelName`); presence uses `<name>:presence`. */
  channelName: string
  locks: TabLocks | null
}

export class TabPresence {
  /** This tab's awareness: its own state, and the others in the workspace as the leader's connection sees them. */
  readonly awareness: Awareness
  private readonly tabId = Math.random().toString(36).slice(2)
  private readonly channel: BroadcastChannel | null
  private readonly baseName: string
  /** The connection's awareness, while this tab leads. */
  private connection: Awareness | null = null
  /** What each follower shares, by tab id, while this tab leads; and the function that stops watching its lock. */
  private readonly followers = new Map<string, { state: Record<string, unknown>, stopWatching: () => void }>()
  /** Followers post only once they hold their tab lock, so the leader cannot mistake them for closed. */
  private ownLockHeld = false
  private readonly releaseOwnLock: () => void
  private destroyed = false

  constructor(private readonly options: TabPresenceOptions) {
    this.baseName = `${options.channelName}:presence`
    this.awareness = new Awareness(new Y.Doc())
    // Awareness starts with `{}`; this tab shares nothing until sharePresence says who it is.
    this.awareness.setLocalState(null)
    this.awareness.on('change', this.onOwnChange)
    this.channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(this.baseName)
    if (this.channel)
      this.channel.onmessage = (event: MessageEvent<PresenceMessage>) => this.receive(event.data)
    // Without Web Locks every tab leads (leadership.ts): there are no followers to post.
    this.releaseOwnLock = options.locks
      ? electLeader(this.tabLockName(this.tabId), options.locks, () => {
        this.ownLockHeld = true
        this.postOwnState()
      })
      : () => {}
    this.post({ type: 'hello' })
  }

  /** This tab now holds the connection: announce the browser's presence on `connection` and relay what it sees. */
  lead(connection: Awareness): void {
    if (this.destroyed || this.connection === connection)
      return
    this.connection?.off('update', this.onConnectionUpdate)
    this.connection = connection
    connection.on('update', this.onConnectionUpdate)
    const entries = this.peersOf(connection)
    mirrorPeers(this.awareness, entries, true)
    this.post({ type: 'leader', entries })
    this.announceDevice()
  }

  /** Stops sharing: others see this tab's requests go (or, from the leader, the device leave until another tab takes over). */
  destroy(): void {
    if (this.destroyed)
      return
    if (this.connection) {
      this.connection.off('update', this.onConnectionUpdate)
      this.connection.setLocalState(null)
      this.connection = null
      this.post({ type: 'peers', reset: true, entries: [] })
    }
    else if (this.ownLockHeld) {
      this.post({ type: 'tab', from: this.tabId, state: null })
    }
    this.destroyed = true
    for (const follower of this.followers.values())
      follower.stopWatching()
    this.followers.clear()
    this.releaseOwnLock()
    this.awareness.off('change', this.onOwnChange)
    this.awareness.destroy()
    this.channel?.close()
  }

  /** This tab's own state changed (sharePresence): the leader re-announces, a follower tells the leader. */
  private readonly onOwnChange = ({ added, updated, removed }: AwarenessChange, origin: unknown): void => {
    if (origin === RELAYED_ORIGIN || ![...added, ...updated, ...removed].includes(this.awareness.clientID))
      return
    if (this.connection)
      this.announceDevice()
    else
      this.postOwnState()
  }

  /** Everything the connection's awareness hears about others, renewals too (they keep the states alive in each tab). */
  private readonly onConnectionUpdate = ({ added, updated, removed }: AwarenessChange): void => {
    const connection = this.connection
    if (!connection)
      return
    const clients = [...added, ...updated, ...removed].filter(clientId => clientId !== connection.clientID)
    if (!clients.length)
      return
    const entries: PeerEntries = clients.map(clientId => [clientId, connection.getStates().get(clientId) ?? null])
    mirrorPeers(this.awareness, entries, false)
    this.post({ type: 'peers', reset: false, entries })
  }

  private receive(message: PresenceMessage | undefined): void {
    if (!message || this.destroyed)
      return
    if (this.connection) {
      if (message.type === 'hello')
        this.post({ type: 'peers', reset: true, entries: this.peersOf(this.connection) })
      else if (message.type === 'tab')
        this.setFollower(message.from, message.state)
      return
    }
    if (message.type === 'peers') {
      mirrorPeers(this.awareness, message.entries, message.reset)
    }
    else if (message.type === 'leader') {
      mirrorPeers(this.awareness, message.entries, true)
      this.postOwnState()
    }
  }

  private setFollower(tabId: string, state: Record<string, unknown> | null): void {
    const known = this.followers.get(tabId)
    if (state === null) {
      if (known)
        this.dropFollower(tabId)
      return
    }
    if (known) {
      known.state = state
    }
    else {
      // Granted once that tab is gone, even killed without a goodbye.
      const stopWatching = this.options.locks ? electLeader(this.tabLockName(tabId), this.options.locks, () => this.dropFollower(tabId)) : () => {}
      this.followers.set(tabId, { state, stopWatching })
    }
    this.announceDevice()
  }

  private dropFollower(tabId: string): void {
    const follower = this.followers.get(tabId)
    if (!follower)
      return
    this.followers.delete(tabId)
    follower.stopWatching()
    this.announceDevice()
  }

  /** Sets the connection's state to this browser's merged state, when it changed. */
  private announceDevice(): void {
    if (!this.connection || this.destroyed)
      return
    // With no tab sharing, the bare `{}` a provider starts with (others ignore it): a null state
    // would stop the 15 s renewals whose echo tells y-websocket an idle connection is alive.
    const merged = mergeTabStates([this.awareness.getLocalState(), ...[...this.followers.values()].map(follower => follower.state)]) ?? {}
    if (JSON.stringify(merged) !== JSON.stringify(this.connection.getLocalState()))
      this.connection.setLocalState(merged)
  }

  private postOwnState(): void {
    if (this.connection || !this.ownLockHeld || this.destroyed)
      return
    const state = this.awareness.getLocalState()
    this.post({ type: 'tab', from: this.tabId, state })
  }

  /** The others on `connection`, not this browser's own state. */
  private peersOf(connection: Awareness): PeerEntries {
    return [...connection.getStates()].filter(([clientId]) => clientId !== connection.clientID)
  }

  private tabLockName(tabId: string): string {
    return `${this.baseName}:tab:${tabId}`
  }

  private post(message: PresenceMessage): void {
    if (!this.destroyed)
      this.channel?.postMessage(message)
  }
}

interface AwarenessChange {
  added: number[]
  updated: number[]
  removed: number[]
}

/**
 * Puts the leader's view of the others into a tab's awareness: each entry
 * sets or (null) removes one client; `reset` also removes every other client
 * the tab had. Local only: a tab's awareness is never sent anywhere, so the
 * y-protocols clocks do not matter here and are not kept.
 */
export function mirrorPeers(awareness: Awareness, entries: PeerEntries, reset: boolean): void {
  const added: number[] = []
  const updated: number[] = []
  const changed: number[] = []
  const removed: number[] = []
  const now = Date.now()
  const remove = (clientId: number): void => {
    if (awareness.states.delete(clientId))
      removed.push(clientId)
    awareness.meta.delete(clientId)
  }
  if (reset) {
    const kept = new Set(entries.map(([clientId]) => clientId))
    for (const clientId of [...awareness.states.keys()]) {
      if (clientId !== awareness.clientID && !kept.has(clientId))
        remove(clientId)
    }
  }
  for (const [clientId, state] of entries) {
    if (clientId === awareness.clientID)
      continue
    if (state === null) {
      remove(clientId)
      continue
    }
    const previous = awareness.states.get(clientId)
    awareness.states.set(clientId, state)
    // y-protocols drops a state whose `lastUpdated` is over 30 s old: the leader's relayed renewals keep it fresh.
    awareness.meta.set(clientId, { clock: (awareness.meta.get(clientId)?.clock ?? 0) + 1, lastUpdated: now })
    if (previous === undefined)
      added.push(clientId)
    else {
      updated.push(clientId)
      if (JSON.stringify(previous) !== JSON.stringify(state))
        changed.push(clientId)
    }
  }
  if (added.length || changed.length || removed.length)
    awareness.emit('change', [{ added, updated: changed, removed }, RELAYED_ORIGIN])
  if (added.length || updated.length || removed.length)
    awareness.emit('update', [{ added, updated, removed }, RELAYED_ORIGIN])
}
