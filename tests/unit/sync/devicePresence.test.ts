/**
 * One avatar per person and device: how the tabs of one browser become one
 * presence state, how the states of one device are folded together by a
 * reader, and how the avatar's tooltip names several open requests.
 */
import { describe, expect, it } from 'vitest'
import { mergePeersByDevice, mergeTabStates } from '../../../src/sync/remote/devicePresence'
import { OPEN_REQUESTS_LIMIT, type PresencePeer, presenceStateOf, readPresenceState, requestsOpenIn } from '../../../src/sync/remote/presence'
import { namesOfRequests } from '../../../src/stores/presence'

const alice = { userId: 'user-alice', username: 'alice', deviceId: 'device-laptop', deviceName: 'Laptop' }
const aliceOnPhone = { ...alice, deviceId: 'device-phone', deviceName: 'Phone' }
const bob = { userId: 'user-bob', username: 'bob', deviceId: 'device-bob', deviceName: 'Desktop' }

const peer = (clientId: number, ...state: Parameters<typeof presenceStateOf>): PresencePeer => ({ clientId, ...presenceStateOf(...state) })

describe('one state for all the tabs of a browser', () => {
  it('announces every request open in any tab, the most recently changed tab\'s first', () => {
    const merged = mergeTabStates([
      presenceStateOf(alice, 'request-a', 100),
      presenceStateOf(alice, 'request-b', 300),
      presenceStateOf(alice, null, 200),
    ])
    expect(merged).toEqual({ ...presenceStateOf(alice, 'request-b', 300), openRequestIds: ['request-b', 'request-a'] })
    expect(readPresenceState(merged)).toEqual(merged)
  })

  it('names the request of an older tab when the newest tab has none open', () => {
    const merged = mergeTabStates([presenceStateOf(alice, 'request-a', 100), presenceStateOf(alice, null, 300)])
    expect(merged?.openRequestId).toBe('request-a')
    expect(merged?.openRequestIds).toEqual(['request-a'])
  })

  it('lists a request open in two tabs once', () => {
    expect(mergeTabStates([presenceStateOf(alice, 'request-a', 1), presenceStateOf(alice, 'request-a', 2)])?.openRequestIds).toEqual(['request-a'])
  })

  it('announces nothing while no tab shares a valid state, and skips tabs that do not', () => {
    expect(mergeTabStates([])).toBeNull()
    expect(mergeTabStates([null, {}, { user: 'x' }])).toBeNull()
    expect(mergeTabStates([null, presenceStateOf(alice, 'request-a', 5)])?.openRequestIds).toEqual(['request-a'])
  })

  it('keeps the list within what a valid state may carry, however many tabs are open', () => {
    const tabs = Array.from({ length: OPEN_REQUESTS_LIMIT + 10 }, (_, index) => presenceStateOf(alice, `request-${index}`, index))
    const merged = mergeTabStates(tabs)
    expect(merged?.openRequestIds).toHaveLength(OPEN_REQUESTS_LIMIT)
    expect(readPresenceState(merged)).not.toBeNull()
  })
})

describe('reading the requests a state has open', () => {
  it('reads one request from a single tab\'s state or an older client, and the list from a device\'s', () => {
    expect(requestsOpenIn(presenceStateOf(alice, 'request-a'))).toEqual(['request-a'])
    expect(requestsOpenIn(presenceStateOf(alice, null))).toEqual([])
    expect(requestsOpenIn({ ...presenceStateOf(alice, 'request-a'), openRequestIds: ['request-a', 'request-b'] })).toEqual(['request-a', 'request-b'])
    expect(requestsOpenIn({ ...presenceStateOf(alice, 'request-c'), openRequestIds: ['request-a'] })).toEqual(['request-c', 'request-a'])
  })

  it('ignores a state whose list is not a list of ids', () => {
    expect(readPresenceState({ ...presenceStateOf(alice, null), openRequestIds: 'request-a' })).toBeNull()
    expect(readPresenceState({ ...presenceStateOf(alice, null), openRequestIds: [''] })).toBeNull()
  })
})

describe('one avatar per person and device', () => {
  it('folds two states of one device into one, under the newest state\'s client id, and keeps other devices apart', () => {
    const peers = [
      peer(1, alice, 'request-a', 10),
      peer(2, bob, 'request-x', 20),
      peer(3, alice, 'request-b', 30),
      peer(4, aliceOnPhone, null, 40),
    ]
    const merged = mergePeersByDevice(peers)
    expect(merged.map(each => [each.clientId, each.device.name, requestsOpenIn(each).join(',')])).toEqual([
      [2, 'Desktop', 'request-x'],
      [3, 'Laptop', 'request-b,request-a'],
      [4, 'Phone', ''],
    ])
  })

  it('leaves a lone state as it came', () => {
    const lone = peer(7, bob, 'request-x', 5)
    expect(mergePeersByDevice([lone])).toEqual([lone])
  })
})

describe('how the tooltip names open requests', () => {
  it('names one or two, then counts the rest, and says so for a request this device does not have', () => {
    expect(namesOfRequests([])).toBeNull()
    expect(namesOfRequests(['Get order'])).toBe('Get order')
    expect(namesOfRequests(['Get order', 'List orders'])).toBe('Get order and List orders')
    expect(namesOfRequests(['Get order', 'List orders', 'Pay', 'Refund'])).toBe('Get order, List orders and 2 more')
    expect(namesOfRequests([null])).toBe('a request this device does not have yet')
  })
})
