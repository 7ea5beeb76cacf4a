/**
 * The sync status state machine on its own: what a person sees for each
 * sequence of connection events (DESIGN.md §4). Pure, no server.
 */
import { describe, expect, it } from 'vitest'
import {
  CLOSE_REASONS,
  CLOSE_SERVICE_RESTART,
  CLOSE_DEVICE_LIMIT,
  CLOSE_FORBIDDEN,
  CLOSE_NOT_FOUND,
  CLOSE_UNAUTHORIZED,
  READ_ONLY_SENTENCE,
} from '../../../src/domain/syncProtocol'
import {
  type SyncEvent,
  type SyncFacts,
  UNREACHABLE_SENTENCE,
  combineStatuses,
  errorOfClose,
  initialSyncFacts,
  reduceSync,
  statusOf,
} from '../../../src/sync/remote/status'

/** Plays events from a signed-in device's starting facts. */
function play(events: SyncEvent[], start: SyncFacts = initialSyncFacts({ signedIn: true })): SyncFacts {
  return events.reduce(reduceSync, start)
}

const closed = (code: number | null, reason = '', wasOpen = true): SyncEvent => ({ type: 'closed', code, reason, at: 1_000, wasOpen })
const connected: SyncEvent[] = [{ type: 'connect' }, { type: 'connecting' }, { type: 'opened' }]

describe('the sync status', () => {
  it('is Offline with the kept changes when signed out', () => {
    const status = statusOf(play([{ type: 'unacked', count: 2 }], initialSyncFacts({ signedIn: false })))
    expect(status.state).toBe('offline')
    expect(status.unacked).toBe(2)
    expect(status.detail).toContain('2 changes kept locally')
  })

  it('is Offline when the browser is offline, even while the app wants to connect', () => {
    const status = statusOf(play([{ type: 'connect' }, { type: 'browserOnline', online: false }, { type: 'unacked', count: 1 }]))
    expect(status.state).toBe('offline')
    expect(status.detail).toBe('Offline. 1 change kept on this device; they sync when you are back online.')
  })

  it('is Connecting until the socket opens', () => {
    expect(statusOf(play([{ type: 'connect' }, { type: 'connecting' }])).state).toBe('connecting')
  })

  it('is Syncing once connected, until the server state and an ack both arrived', () => {
    expect(statusOf(play(connected)).state).toBe('syncing')
    expect(statusOf(play([...connected, { type: 'serverStateReceived' }])).state).toBe('syncing')
    expect(statusOf(play([...connected, { type: 'acked', unacked: 0 }])).state).toBe('syncing')
    expect(statusOf(play([...connected, { type: 'serverStateReceived' }, { type: 'acked', unacked: 0 }])).state).toBe('inSync')
  })

  it('is not In sync while local changes wait for their ack', () => {
    const facts = play([...connected, { type: 'serverStateReceived' }, { type: 'acked', unacked: 0 }, { type: 'unacked', count: 3 }])
    expect(statusOf(facts)).toMatchObject({ state: 'syncing', unacked: 3, detail: 'Syncing. 3 changes on this device are not saved on the server yet.' })
    expect(statusOf(reduceSync(facts, { type: 'acked', unacked: 0 })).state).toBe('inSync')
  })

  it('leaves In sync the moment a local change is made, before storage counts it', () => {
    const inSync = play([...connected, { type: 'serverStateReceived' }, { type: 'acked', unacked: 0 }])
    expect(statusOf(reduceSync(inSync, { type: 'localChange' }))).toMatchObject({ state: 'syncing', unacked: 1 })
  })

  it('needs a fresh ack after a reconnect before it is In sync again (offline edits travel then)', () => {
    const inSync = play([...connected, { type: 'serverStateReceived' }, { type: 'acked', unacked: 0 }])
    const reconnected = play([closed(1006), { type: 'unacked', count: 2 }, { type: 'connecting' }, { type: 'opened' }, { type: 'serverStateReceived' }], inSync)
    expect(statusOf(reconnected).state).toBe('syncing')
    // Even an ack that leaves nothing unacked must be on this connection.
    expect(statusOf(reduceSync(reconnected, { type: 'acked', unacked: 0 })).state).toBe('inSync')
  })

  it('shows the sign-in sentence when the session was revoked, and stays there', () => {
    const facts = play([...connected, closed(CLOSE_UNAUTHORIZED, CLOSE_REASONS.signedOut), { type: 'connecting' }])
    const status = statusOf(facts)
    expect(status.state).toBe('error')
    expect(status.error).toEqual({ code: 4401, reason: CLOSE_REASONS.signedOut, action: 'signIn', retrying: false })
    expect(status.detail).toContain('Sign in again to keep syncing.')
  })

  it('leaves the error when the app connects again on purpose (after signing in again)', () => {
    const refused = play([...connected, closed(CLOSE_UNAUTHORIZED)])
    expect(statusOf(play([{ type: 'connect' }, { type: 'connecting' }], refused)).state).toBe('connecting')
  })

  it('names the device limit, removed access and a deleted workspace', () => {
    expect(errorOfClose(CLOSE_DEVICE_LIMIT, '')).toMatchObject({ reason: CLOSE_REASONS.deviceLimit, action: 'freeDeviceSlot' })
    expect(errorOfClose(CLOSE_FORBIDDEN, '')).toMatchObject({ reason: CLOSE_REASONS.notMember, action: 'askForAccess' })
    expect(errorOfClose(CLOSE_FORBIDDEN, CLOSE_REASONS.notYourHistory)?.reason).toBe(CLOSE_REASONS.notYourHistory)
    expect(errorOfClose(CLOSE_NOT_FOUND, '')).toMatchObject({ reason: CLOSE_REASONS.notFound, retrying: false })
  })

  it('ignores a close reason it does not know and uses its own sentence', () => {
    expect(errorOfClose(CLOSE_UNAUTHORIZED, 'nope')?.reason).toBe(CLOSE_REASONS.signedOut)
  })

  it('shows a server restart as an error that retries, then recovers on reconnect', () => {
    const restarting = play([...connected, closed(CLOSE_SERVICE_RESTART, CLOSE_REASONS.restarting), { type: 'connecting' }])
    expect(statusOf(restarting)).toMatchObject({ state: 'error', error: { code: 1012, reason: CLOSE_REASONS.restarting, retrying: true } })
    expect(statusOf(reduceSync(restarting, { type: 'opened' })).state).toBe('syncing')
  })

  it('says the server cannot be reached when a restart takes long', () => {
    const down = play([...connected, closed(CLOSE_SERVICE_RESTART, CLOSE_REASONS.restarting), closed(1006, '', false), closed(1006, '', false), closed(1006, '', false)])
    expect(statusOf(down).error?.reason).toBe(UNREACHABLE_SENTENCE)
  })

  it('says the server cannot be reached after several failed attempts, and since when', () => {
    const attempts = play([...connected, closed(1006), closed(1006, '', false), closed(1006, '', false)])
    expect(statusOf(attempts).state).toBe('connecting')
    const status = statusOf(reduceSync(attempts, closed(1006, '', false)))
    expect(status).toMatchObject({ state: 'error', unreachableSince: 1_000, error: { reason: UNREACHABLE_SENTENCE, action: 'waitForServer' } })
  })

  it('is Offline, not an error, after the app disconnects on purpose', () => {
    const status = statusOf(play([...connected, { type: 'disconnect' }, closed(null)]))
    expect(status.state).toBe('offline')
  })

  it('tells a viewer that its changes are not saved', () => {
    const facts = play([...connected, { type: 'readOnly', sentence: READ_ONLY_SENTENCE }, { type: 'serverStateReceived' }, { type: 'acked', unacked: 0 }])
    expect(statusOf(facts)).toMatchObject({ state: 'inSync', detail: `${READ_ONLY_SENTENCE} You see the latest changes.` })
    expect(statusOf(reduceSync(facts, { type: 'readOnly', sentence: null })).detail).toBe('In sync: every change is saved on the server.')
  })

  it('combines several documents into the worst state and the total count', () => {
    const inSync = statusOf(play([...connected, { type: 'serverStateReceived' }, { type: 'acked', unacked: 0 }]))
    const syncing = statusOf(play([...connected, { type: 'unacked', count: 2 }]))
    expect(combineStatuses([inSync, syncing])).toMatchObject({ state: 'syncing', unacked: 2 })
    expect(combineStatuses([inSync]).state).toBe('inSync')
  })

  it('words the combined count of documents that are all offline', () => {
    const offline = (count: number) => statusOf(play([{ type: 'unacked', count }]))
    expect(combineStatuses([offline(2), offline(3)]).detail).toBe('Offline. 5 changes kept on this device; they sync when you are back online.')
  })
})
