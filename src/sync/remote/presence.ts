/**
 * Presence: who else has a workspace open right now and which request they
 * are looking at, shared through the workspace connection's Yjs awareness.
 * A tab shares on its own awareness (tabPresence.ts), which the tab leading
 * the browser's connection merges into one state per device
 * (devicePresence.ts). It lives only in memory and on the wire — never in
 * Dexie, never in the Y.Doc — and disappears when a tab closes or its socket drops.
 *
 * Other clients' states arrive from the network, so each one is checked
 * against the shape below and a malformed one is ignored: a bad peer can
 * never break the UI.
 */
import type { Awareness } from 'y-protocols/awareness'
import { z } from 'zod/mini'

/** Enough to tell people and their devices apart, and short enough to send every 15 s. */
const NAME_LIMIT = 100
const ID_LIMIT = 100
/** Most requests one device announces at once (one per browser tab; more tabs than this are not worth the bytes). */
export const OPEN_REQUESTS_LIMIT = 50

export const PresenceStateSchema = z.object({
  user: z.object({ id: z.string().check(z.minLength(1), z.maxLength(ID_LIMIT)), name: z.string().check(z.minLength(1), z.maxLength(NAME_LIMIT)) }),
  device: z.object({ id: z.string().check(z.minLength(1), z.maxLength(ID_LIMIT)), name: z.string().check(z.minLength(1), z.maxLength(NAME_LIMIT)) }),
  color: z.string().check(z.regex(/^#[0-9a-f]{6}$/i)),
  openRequestId: z.nullable(z.string().check(z.minLength(1), z.maxLength(ID_LIMIT))),
  /**
   * Every request the device's tabs have open, newest first (devicePresence.ts). Absent in
   * a single tab's own state and from older clients: then `openRequestId` is all there is.
   */
  openRequestIds: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(ID_LIMIT))).check(z.maxLength(OPEN_REQUESTS_LIMIT))),
  /** When this state was last set (ms since the epoch): when they opened what they are viewing. */
  at: z.number().check(z.nonnegative()),
})

/** What one tab, or one device for all its tabs, shares about itself. */
export type PresenceState = z.infer<typeof PresenceStateSchema>

/** Another tab in the same workspace, by its awareness client id. */
export interface PresencePeer extends PresenceState {
  clientId: number
}

/** Who this tab is: the signed-in person and this browser. */
export interface PresenceIdentity {
  userId: string
  username: string
  deviceId: string
  deviceName: string
}

/**
 * Colours with enough contrast for white initials (WCAG AA for large text),
 * far enough apart to tell two avatars apart side by side.
 */
export const PRESENCE_COLORS = ['#1f6feb', '#8250df', '#bf3989', '#cf222e', '#bc4c00', '#1a7f37', '#0a7ea4', '#6e7781'] as const

/** A person's colour: the same on every device and every visit, from their user id alone. */
export function presenceColor(userId: string): string {
  // FNV-1a: tiny, stable across engines, and spreads similar ids apart.
  let hash = 0x811C9DC5
  for (let index = 0; index < userId.length; index++) {
    hash ^= userId.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193)
  }
  return PRESENCE_COLORS[(hash >>> 0) % PRESENCE_COLORS.length]
}

/** The state this tab shares, viewing `openRequestId` (null: no saved request open). */
export function presenceStateOf(me: PresenceIdentity, openRequestId: string | null, at = Date.now()): PresenceState {
  return {
    user: { id: me.userId, name: me.username.slice(0, NAME_LIMIT) },
    device: { id: me.deviceId, name: (me.deviceName.trim() || 'Another device').slice(0, NAME_LIMIT) },
    color: presenceColor(me.userId),
    openRequestId,
    at,
  }
}

/** The requests a state says are open: its list, or else its one open request. */
export function requestsOpenIn(state: PresenceState): string[] {
  if (state.openRequestIds)
    return state.openRequestId && !state.openRequestIds.includes(state.openRequestId) ? [state.openRequestId, ...state.openRequestIds] : state.openRequestIds
  return state.openRequestId ? [state.openRequestId] : []
}

/** A state received from someone else, or null when it is not one Pigeon made (it is then ignored). */
export function readPresenceState(value: unknown): PresenceState | null {
  const parsed = PresenceStateSchema.safeParse(value)
  return parsed.success ? parsed.data : null
}

/** The valid states of every other client, as plain objects, oldest visit first so avatars keep their places. */
export function readPeers(states: ReadonlyMap<number, unknown>, ownClientId: number): PresencePeer[] {
  const peers: PresencePeer[] = []
  for (const [clientId, value] of states) {
    if (clientId === ownClientId)
      continue
    const state = readPresenceState(value)
    if (state)
      peers.push({ clientId, ...state })
  }
  return peers.sort((a, b) => a.at - b.at || a.clientId - b.clientId)
}

/** This tab's presence on one workspace connection. */
export interface SharedPresence {
  /** Says which saved request this tab has open (null for none). */
  setOpenRequest: (requestId: string | null) => void
  /** The other tabs in the workspace now. */
  peers: () => PresencePeer[]
  /** Calls `listener` with the peers whenever someone arrives, changes or leaves; returns the unsubscribe function. */
  onPeers: (listener: (peers: PresencePeer[]) => void) => () => void
  /** Withdraws this tab's state (others see it leave at once) and stops listening. */
  leave: () => void
}

/** Starts sharing `me` on `awareness` (this tab's, from the workspace connection: tabPresence.ts) and reading the others. */
export function sharePresence(awareness: Awareness, me: PresenceIdentity, openRequestId: string | null = null): SharedPresence {
  const listeners = new Set<(peers: PresencePeer[]) => void>()
  let left = false
  const peers = (): PresencePeer[] => readPeers(awareness.getStates(), awareness.clientID)
  const onChange = (): void => {
    const now = peers()
    for (const listener of listeners)
      listener(now)
  }
  awareness.on('change', onChange)
  awareness.setLocalState(presenceStateOf(me, openRequestId))

  return {
    setOpenRequest: (requestId) => {
      if (left || awareness.getLocalState()?.openRequestId === requestId)
        return
      awareness.setLocalState(presenceStateOf(me, requestId))
    },
    peers,
    onPeers: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    leave: () => {
      if (left)
        return
      left = true
      awareness.off('change', onChange)
      listeners.clear()
      awareness.setLocalState(null)
    },
  }
}
