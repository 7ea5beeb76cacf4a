/**
 * One presence per device, however many tabs of it have the workspace open
 * (docs/sync.md, "Presence"). The tab leading the workspace connection
 * announces one state for the whole browser, made from what each tab has
 * open; and a reader folds states of one device together, so a device seen
 * twice for a moment (its old leader tab's state not yet dropped by the
 * server, or every tab leading where there are no Web Locks) is still one
 * avatar. Pure: no Yjs, no DOM.
 */
import { OPEN_REQUESTS_LIMIT, type PresencePeer, type PresenceState, readPresenceState, requestsOpenIn } from './presence'

/**
 * The state a device announces for all its tabs: who and which device as the
 * most recently changed tab says, every request open in any tab (that tab's
 * first), and that tab's time. Null when no tab has a valid state (nobody
 * signed in, or presence not shared yet): the device then announces nothing.
 */
export function mergeTabStates(states: Iterable<unknown>): PresenceState | null {
  const valid: PresenceState[] = []
  for (const value of states) {
    const state = readPresenceState(value)
    if (state)
      valid.push(state)
  }
  if (!valid.length)
    return null
  // Newest first; on a tie, the order given (the leader's own tab first) decides.
  const newestFirst = valid.map((state, index) => ({ state, index })).sort((a, b) => b.state.at - a.state.at || a.index - b.index).map(each => each.state)
  const newest = newestFirst[0]
  const openRequestIds = [...new Set(newestFirst.flatMap(requestsOpenIn))].slice(0, OPEN_REQUESTS_LIMIT)
  return {
    user: newest.user,
    device: newest.device,
    color: newest.color,
    openRequestId: newest.openRequestId ?? openRequestIds[0] ?? null,
    openRequestIds,
    at: newest.at,
  }
}

/**
 * The peers with one entry per person and device: states of one device are
 * merged as its tabs' are, under the client id of its newest state. Keeps
 * `readPeers`' order (oldest visit first).
 */
export function mergePeersByDevice(peers: readonly PresencePeer[]): PresencePeer[] {
  const byDevice = new Map<string, PresencePeer[]>()
  for (const peer of peers) {
    const key = JSON.stringify([peer.user.id, peer.device.id])
    const group = byDevice.get(key)
    if (group)
      group.push(peer)
    else
      byDevice.set(key, [peer])
  }
  const merged: PresencePeer[] = []
  for (const group of byDevice.values()) {
    if (group.length === 1) {
      merged.push(group[0])
      continue
    }
    const state = mergeTabStates(group)
    const newest = group.reduce((a, b) => b.at > a.at ? b : a)
    if (state)
      merged.push({ clientId: newest.clientId, ...state })
  }
  return merged.sort((a, b) => a.at - b.at || a.clientId - b.clientId)
}
