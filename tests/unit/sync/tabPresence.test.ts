/**
 * Presence between the tabs of one browser (src/sync/remote/tabPresence.ts),
 * with Node's BroadcastChannel between the tabs, a Web Locks stand-in, and
 * two y-protocols Awareness instances wired together as the leader's
 * connection and a phone on the other side of the server.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness'
import { InProcessLocks } from '../../support/tabLocks'
import type { TabLocks } from '../../../src/sync/remote/tabLocks'
import { TabPresence, mirrorPeers } from '../../../src/sync/remote/tabPresence'
import { type PresencePeer, requestsOpenIn, sharePresence } from '../../../src/sync/remote/presence'

const laptop = { userId: 'user-alice', username: 'alice', deviceId: 'device-laptop', deviceName: 'Laptop' }
const phone = { ...laptop, deviceId: 'device-phone', deviceName: 'Phone' }

let cleanup: Array<() => void> = []
afterEach(() => {
  cleanup.forEach(each => each())
  cleanup = []
})

/** The leader's connection and the phone, as the server links them. */
function connectionAndPhone(): { connection: Awareness, phoneSide: Awareness } {
  const connection = new Awareness(new Y.Doc())
  const phoneSide = new Awareness(new Y.Doc())
  const relay = (from: Awareness, to: Awareness) => from.on('update', ({ added, updated, removed }: Record<string, number[]>) => {
    applyAwarenessUpdate(to, encodeAwarenessUpdate(from, [...added, ...updated, ...removed]), 'network')
  })
  relay(connection, phoneSide)
  relay(phoneSide, connection)
  cleanup.push(() => connection.destroy(), () => phoneSide.destroy())
  return { connection, phoneSide }
}

/**
 * One tab's locks: the browser's, plus `kill()`, which frees every lock the
 * tab holds the way a killed tab's locks are freed, with no goodbye.
 */
function locksOfTab(browser: InProcessLocks): TabLocks & { kill: () => void } {
  let kill: () => void = () => {}
  const killed = new Promise<void>((resolve) => {
    kill = resolve
  })
  return {
    request: (name, options, callback) => browser.request(name, options, lock => Promise.race([callback(lock), killed])),
    query: () => browser.query(),
    kill,
  }
}

function openTab(channelName: string, locks: TabLocks): TabPresence {
  const tab = new TabPresence({ channelName, locks })
  cleanup.push(() => tab.destroy())
  return tab
}

const seen = (peers: PresencePeer[]): string[] => peers.map(peer => `${peer.device.name}: ${requestsOpenIn(peer).join(',')}`)
/** Every request the peers have open, sorted. */
const openIn = (peers: PresencePeer[]): string[] => peers.flatMap(requestsOpenIn).sort()
const channelName = (): string => `pigeon:test:${Math.random().toString(36).slice(2)}`

describe('presence in every tab of a browser', () => {
  it('announces one state for the browser with every tab\'s request, and shows the others in the tab that follows', async () => {
    const browser = new InProcessLocks()
    const name = channelName()
    const { connection, phoneSide } = connectionAndPhone()
    const leading = openTab(name, locksOfTab(browser))
    const following = openTab(name, locksOfTab(browser))
    leading.lead(connection)
    sharePresence(leading.awareness, laptop, 'request-a')
    const inFollower = sharePresence(following.awareness, laptop, 'request-b')
    const onPhone = sharePresence(phoneSide, phone, 'request-on-phone')

    await vi.waitFor(() => expect(openIn(onPhone.peers())).toEqual(['request-a', 'request-b']))
    expect(seen(onPhone.peers())).toHaveLength(1)
    await vi.waitFor(() => expect(seen(inFollower.peers())).toEqual(['Phone: request-on-phone']))

    onPhone.setOpenRequest('another-on-phone')
    await vi.waitFor(() => expect(seen(inFollower.peers())).toEqual(['Phone: another-on-phone']))
    onPhone.leave()
    await vi.waitFor(() => expect(inFollower.peers()).toEqual([]))
  })

  it('drops what a closed tab had open, and what a killed tab had open once its lock is free', async () => {
    const browser = new InProcessLocks()
    const name = channelName()
    const { connection, phoneSide } = connectionAndPhone()
    const leading = openTab(name, locksOfTab(browser))
    leading.lead(connection)
    sharePresence(leading.awareness, laptop, 'request-a')
    const closing = openTab(name, locksOfTab(browser))
    sharePresence(closing.awareness, laptop, 'request-b')
    const killedLocks = locksOfTab(browser)
    const killed = openTab(name, killedLocks)
    sharePresence(killed.awareness, laptop, 'request-c')
    const onPhone = sharePresence(phoneSide, phone, null)
    await vi.waitFor(() => expect(openIn(onPhone.peers())).toEqual(['request-a', 'request-b', 'request-c']))

    closing.destroy()
    await vi.waitFor(() => expect(openIn(onPhone.peers())).toEqual(['request-a', 'request-c']))
    killedLocks.kill()
    await vi.waitFor(() => expect(seen(onPhone.peers())).toEqual(['Laptop: request-a']))
  })

  it('lets a tab that takes over clear the old leader\'s peers in every tab and gather the tabs\' states again', async () => {
    const browser = new InProcessLocks()
    const name = channelName()
    const old = connectionAndPhone()
    const leading = openTab(name, locksOfTab(browser))
    const taking = openTab(name, locksOfTab(browser))
    const watching = openTab(name, locksOfTab(browser))
    leading.lead(old.connection)
    sharePresence(leading.awareness, laptop, 'request-a')
    sharePresence(taking.awareness, laptop, 'request-b')
    const inWatching = sharePresence(watching.awareness, laptop, 'request-c')
    sharePresence(old.phoneSide, phone, 'request-on-phone')
    await vi.waitFor(() => expect(seen(inWatching.peers())).toEqual(['Phone: request-on-phone']))

    // The leading tab is gone without a word (killed: it posts nothing more); another tab's new connection has no one yet.
    const fresh = connectionAndPhone()
    taking.lead(fresh.connection)
    expect(taking.awareness.getStates().size).toBe(1)
    await vi.waitFor(() => expect(inWatching.peers()).toEqual([]))

    const onPhone = sharePresence(fresh.phoneSide, phone, null)
    await vi.waitFor(() => expect(seen(inWatching.peers())).toEqual(['Phone: ']))
    // The old leader's request is not announced again; the two tabs that are left are.
    await vi.waitFor(() => expect(seen(onPhone.peers())).toHaveLength(1))
    expect(openIn(onPhone.peers())).toEqual(['request-b', 'request-c'])
  })
})

describe('mirroring the leader\'s view into a tab', () => {
  it('adds, changes and removes others, never this tab\'s own state, and a reset removes whoever is not listed', () => {
    const tab = new Awareness(new Y.Doc())
    cleanup.push(() => tab.destroy())
    tab.setLocalState({ mine: true })
    const changes: string[] = []
    tab.on('change', ({ added, updated, removed }: Record<string, number[]>) => changes.push(`+${added} ~${updated} -${removed}`))

    mirrorPeers(tab, [[1, { a: 1 }], [2, { b: 1 }], [tab.clientID, null]], false)
    mirrorPeers(tab, [[1, { a: 2 }], [2, { b: 1 }]], false)
    mirrorPeers(tab, [[2, null]], false)
    mirrorPeers(tab, [[3, { c: 1 }]], true)
    expect([...tab.getStates()]).toEqual([[tab.clientID, { mine: true }], [3, { c: 1 }]])
    expect(changes).toEqual(['+1,2 ~ -', '+ ~1 -', '+ ~ -2', '+3 ~ -1'])
  })
})
