/**
 * Who else is in the active workspace right now and which requests each has
 * open, live from the workspace connection's presence (sync/remote/presence.ts).
 * Every tab of the browser has it, leader or follower (sync/remote/tabPresence.ts);
 * another device is one avatar however many tabs it has open.
 * Nothing here is stored: it empties on disconnect, sign-out and workspace
 * switch, and fills again from the peers' next announcements.
 */
import type { PresencePeer, SharedPresence } from '../sync/remote/presence'
import { defineStore } from 'pinia'
import { computed, shallowRef, watch } from 'vue'
import { requestsOpenIn, sharePresence } from '../sync/remote/presence'
import { mergePeersByDevice } from '../sync/remote/devicePresence'
import { useCollectionsStore } from './collections'
import { useSessionStore } from './session'
import { useSyncStore } from './sync'
import { useTabsStore } from './tabs'

/** Another tab in the workspace, as the avatars show it. */
export interface PresenceViewer {
  clientId: number
  userId: string
  color: string
  /** One or two letters for the avatar. */
  initials: string
  /** "alice (Laptop)", or for the signed-in person "you on Laptop" / "you in another tab". */
  who: string
  /** The request of their most recently used tab. */
  requestId: string | null
  /** Every request open in their device's tabs, that one first. */
  requestIds: string[]
  /** The name of `requestId`, as this device knows it. */
  requestName: string | null
  /** "alice (Laptop) — viewing Get order": the tooltip and the accessible name. */
  title: string
}

/** "alice.smith" → "AS", "alice" → "A". */
export function initialsOf(name: string): string {
  const parts = name.split(/[\s._-]+/).filter(Boolean)
  const letters = parts.length > 1 ? parts[0][0] + parts[1][0] : (parts[0] ?? '?')[0]
  return letters.toUpperCase()
}

/** How a peer is named next to its avatar, seen from `me`. Pure. */
export function whoIs(peer: PresencePeer, me: { userId: string, deviceId: string }): string {
  if (peer.user.id !== me.userId)
    return `${peer.user.name} (${peer.device.name})`
  return peer.device.id === me.deviceId ? 'you in another tab' : `you on ${peer.device.name}`
}

/** "Get order", "Get order and List orders", "A, B and 2 more": names of open requests. Pure. */
export function namesOfRequests(names: ReadonlyArray<string | null>, shown = 2): string | null {
  if (!names.length)
    return null
  const readable = names.map(name => name ?? 'a request this device does not have yet')
  if (readable.length === 1)
    return readable[0]
  if (readable.length <= shown)
    return `${readable.slice(0, -1).join(', ')} and ${readable.at(-1)}`
  return `${readable.slice(0, shown).join(', ')} and ${readable.length - shown} more`
}

/** The avatar's tooltip. Pure. */
export function titleOf(who: string, requestName: string | null, hasRequestOpen: boolean): string {
  if (!hasRequestOpen)
    return `${who} — in this workspace`
  return `${who} — viewing ${requestName ?? 'a request this device does not have yet'}`
}

export const usePresenceStore = defineStore('presence', () => {
  const sync = useSyncStore()
  const session = useSessionStore()
  const tabs = useTabsStore()
  const collections = useCollectionsStore()

  const peers = shallowRef<PresencePeer[]>([])
  let shared: SharedPresence | null = null
  /** What `shared` was started with, so a watch that changes nothing keeps it. */
  let sharedWith: readonly unknown[] = []

  const openRequestId = computed(() => tabs.activeTab?.requestId ?? null)

  function stopSharing(): void {
    shared?.leave()
    shared = null
    sharedWith = []
    peers.value = []
  }

  // A new connection (sign-in, workspace switch), sign-out, or a renamed device: announce afresh.
  // The awareness is this tab's whether it leads the browser's connection or follows it.
  watch(() => [sync.connection, session.signedIn ? session.user : null, session.deviceName] as const, ([connection, user, deviceName]) => {
    const awareness = connection?.awareness ?? null
    const wanted = [awareness, user, deviceName]
    if (wanted.every((value, index) => value === sharedWith[index]))
      return
    stopSharing()
    // No awareness: the connection is closing.
    if (!awareness || !user)
      return
    sharedWith = wanted
    shared = sharePresence(awareness, { userId: user.id, username: user.username, deviceId: session.deviceId, deviceName }, openRequestId.value)
    shared.onPeers((now) => {
      peers.value = now
    })
    peers.value = shared.peers()
  }, { immediate: true })

  watch(openRequestId, id => shared?.setOpenRequest(id))

  const viewers = computed<PresenceViewer[]>(() => {
    const me = { userId: session.user?.id ?? '', deviceId: session.deviceId }
    const nameOf = (id: string): string | null => collections.requests.find(request => request.id === id)?.name ?? null
    // One avatar per person and device, even while two states of one device are in the air.
    return mergePeersByDevice(peers.value).map((peer) => {
      const who = whoIs(peer, me)
      const requestIds = requestsOpenIn(peer)
      const requestId = peer.openRequestId ?? requestIds[0] ?? null
      return {
        clientId: peer.clientId,
        userId: peer.user.id,
        color: peer.color,
        initials: initialsOf(peer.user.name),
        who,
        requestId,
        requestIds,
        requestName: requestId ? nameOf(requestId) : null,
        title: titleOf(who, namesOfRequests(requestIds.map(nameOf)), requestIds.length > 0),
      }
    })
  })

  /** The others who have `requestId` open, in any tab of their device. */
  function viewersOf(requestId: string): PresenceViewer[] {
    return viewers.value.filter(viewer => viewer.requestIds.includes(requestId))
  }

  return { peers, viewers, viewersOf }
})
