/**
 * Presence as two tabs share it: what one tab announces, what the other
 * reads, and that a peer sending something malformed is ignored instead of
 * breaking the avatars. Two real y-protocols Awareness instances pass their
 * updates to each other as the server would.
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness'
import { PRESENCE_COLORS, presenceColor, presenceStateOf, readPeers, readPresenceState, sharePresence } from '../../../src/sync/remote/presence'
import { initialsOf, titleOf, whoIs } from '../../../src/stores/presence'

const alice = { userId: 'user-alice', username: 'alice', deviceId: 'device-laptop', deviceName: 'Laptop' }
const aliceOnPhone = { ...alice, deviceId: 'device-phone', deviceName: 'Phone' }
const bob = { userId: 'user-bob', username: 'bob.stone', deviceId: 'device-bob', deviceName: 'Chrome on Linux' }

let opened: Awareness[] = []

/** Two awareness instances wired together, like two tabs on one workspace connection. */
function twoTabs(): [Awareness, Awareness] {
  const a = new Awareness(new Y.Doc())
  const b = new Awareness(new Y.Doc())
  const relay = (from: Awareness, to: Awareness) => from.on('update', ({ added, updated, removed }: Record<string, number[]>) => {
    applyAwarenessUpdate(to, encodeAwarenessUpdate(from, [...added, ...updated, ...removed]), 'network')
  })
  relay(a, b)
  relay(b, a)
  opened.push(a, b)
  return [a, b]
}

/** What a misbehaving peer sends: its own state, unchecked. */
function sendRaw(to: Awareness, state: unknown): number {
  const rogue = new Awareness(new Y.Doc())
  opened.push(rogue)
  rogue.setLocalState(state as Record<string, unknown>)
  applyAwarenessUpdate(to, encodeAwarenessUpdate(rogue, [rogue.clientID]), 'network')
  return rogue.clientID
}

afterEach(() => {
  opened.forEach(awareness => awareness.destroy())
  opened = []
})

describe('the presence state a tab announces', () => {
  it('says who, on which device, in which colour and which request is open, and nothing more', () => {
    const state = presenceStateOf(alice, 'request-1', 1_700_000_000_000)
    expect(state).toEqual({
      user: { id: 'user-alice', name: 'alice' },
      device: { id: 'device-laptop', name: 'Laptop' },
      color: presenceColor('user-alice'),
      openRequestId: 'request-1',
      at: 1_700_000_000_000,
    })
    expect(readPresenceState(state)).toEqual(state)
  })

  it('gives a person the same colour on every device, from the palette', () => {
    expect(presenceColor('user-alice')).toBe(presenceStateOf(aliceOnPhone, null).color)
    const colours = new Set(Array.from({ length: 40 }, (_, index) => presenceColor(`user-${index}`)))
    expect([...colours].every(colour => (PRESENCE_COLORS as readonly string[]).includes(colour))).toBe(true)
    expect(colours.size).toBeGreaterThan(4)
  })

  it('names a device with no name rather than sending an empty one', () => {
    expect(presenceStateOf({ ...alice, deviceName: '  ' }, null).device.name).toBe('Another device')
  })
})

describe('reading the others', () => {
  it('shows what the other tab has open, and follows it when it opens another request', () => {
    const [laptop, phone] = twoTabs()
    const onLaptop = sharePresence(laptop, alice)
    const onPhone = sharePresence(phone, aliceOnPhone, 'request-1')
    const seen: string[] = []
    onLaptop.onPeers(peers => seen.push(peers.map(peer => `${peer.device.name}:${peer.openRequestId}`).join(',')))

    expect(onLaptop.peers()).toMatchObject([{ clientId: phone.clientID, device: { name: 'Phone' }, openRequestId: 'request-1' }])
    expect(onPhone.peers()).toMatchObject([{ clientId: laptop.clientID, device: { name: 'Laptop' }, openRequestId: null }])

    onPhone.setOpenRequest('request-2')
    expect(onLaptop.peers()[0].openRequestId).toBe('request-2')
    expect(seen.at(-1)).toBe('Phone:request-2')
  })

  it('sees a tab leave at once when it withdraws its presence', () => {
    const [laptop, phone] = twoTabs()
    const onLaptop = sharePresence(laptop, alice)
    const onPhone = sharePresence(phone, bob, 'request-1')
    expect(onLaptop.peers()).toHaveLength(1)
    onPhone.leave()
    expect(onLaptop.peers()).toEqual([])
    expect(phone.getLocalState()).toBeNull()
  })

  it('ignores malformed states from others and keeps showing the good ones', () => {
    const [laptop, phone] = twoTabs()
    const onLaptop = sharePresence(laptop, alice)
    sharePresence(phone, bob, 'request-1')
    const good = presenceStateOf(bob, null)
    const bad: unknown[] = [
      {}, // what a bare y-websocket client announces
      { ...good, user: { id: 'x' } },
      { ...good, color: 'red; background: url(evil)' },
      { ...good, openRequestId: 42 },
      { ...good, at: 'yesterday' },
      { ...good, device: { id: 'd', name: 'x'.repeat(5_000) } },
      'a string',
      [1, 2, 3],
    ]
    for (const state of bad)
      sendRaw(laptop, state)
    expect(laptop.getStates().size).toBe(2 + bad.length)
    expect(onLaptop.peers().map(peer => peer.user.name)).toEqual(['bob.stone'])
  })

  it('lists peers as plain objects, oldest visit first, never including this tab', () => {
    const states = new Map<number, unknown>([
      [1, presenceStateOf(alice, null, 30)],
      [2, presenceStateOf(bob, 'r', 10)],
      [3, presenceStateOf(aliceOnPhone, null, 20)],
    ])
    const peers = readPeers(states, 1)
    expect(peers.map(peer => peer.clientId)).toEqual([2, 3])
    expect(JSON.parse(JSON.stringify(peers))).toEqual(peers)
  })
})

describe('how the avatars name people', () => {
  const me = { userId: alice.userId, deviceId: alice.deviceId }

  it('names others with their device, and the signed-in person as "you on <device>"', () => {
    expect(whoIs({ clientId: 1, ...presenceStateOf(bob, null) }, me)).toBe('bob.stone (Chrome on Linux)')
    expect(whoIs({ clientId: 2, ...presenceStateOf(aliceOnPhone, null) }, me)).toBe('you on Phone')
    expect(whoIs({ clientId: 3, ...presenceStateOf(alice, null) }, me)).toBe('you in another tab')
  })

  it('says what they are viewing', () => {
    expect(titleOf('alice (Laptop)', 'Get order', true)).toBe('alice (Laptop) — viewing Get order')
    expect(titleOf('alice (Laptop)', null, false)).toBe('alice (Laptop) — in this workspace')
    expect(titleOf('alice (Laptop)', null, true)).toMatch(/viewing a request this device does not have yet/)
  })

  it('makes initials from the username', () => {
    expect(initialsOf('alice')).toBe('A')
    expect(initialsOf('bob.stone')).toBe('BS')
    expect(initialsOf('')).toBe('?')
  })
})
