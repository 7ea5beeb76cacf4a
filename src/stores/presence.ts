/**
 * Who else is in the active workspace right now and which request each has
 * open, live from the workspace connection's presence (sync/remote/presence.ts).
 * Nothing here is stored: it empties on disconnect, sign-out and workspace
 * switch, and fills again from the peers' next announcements.
 */
import type { PresencePeer, SharedPresence } from '../sync/remote/presence'
import { defineStore } from 'pinia'
import { computed, shallowRef, watch } from 'vue'
import { sharePresence } from '../sync/remote/presence'
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
  requestId: string | null
  /** The name of the request they have open, as this device knows it. */
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
  // The sync state is watched too because this tab may take over the connection from another
  // tab of the browser (sync/remote/leadership.ts), and only then has an awareness of its own.
  watch(() => [sync.connection, session.signedIn ? session.user : null, session.deviceName, sync.status.state] as const, ([connection, user, deviceName]) => {
    const awareness = connection?.awareness ?? null
    const wanted = [awareness, user, deviceName]
    if (wanted.every((value, index) => value === sharedWith[index]))
      return
    stopSharing()
    // No awareness: another tab of this browser holds the connection, so there is no presence here.
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
    return peers.value.map((peer) => {
      const who = whoIs(peer, me)
      const requestName = peer.openRequestId ? collections.requests.find(request => request.id === peer.openRequestId)?.name ?? null : null
      return {
        clientId: peer.clientId,
        userId: peer.user.id,
        color: peer.color,
        initials: initialsOf(peer.user.name),
        who,
        requestId: peer.openRequestId,
        requestName,
        title: titleOf(who, requestName, peer.openRequestId !== null),
      }
    })
  })

  /** The others who have `requestId` open. */
  function viewersOf(requestId: string): PresenceViewer[] {
    return viewers.value.filter(viewer => viewer.requestId === requestId)
  }

  return { peers, viewers, viewersOf }
})
