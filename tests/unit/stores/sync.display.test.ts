/**
 * What the top bar's sync status says for each situation: the state in
 * words, the sentence for the tooltip and, for an error, what to do.
 */
import { describe, expect, it } from 'vitest'
import { displayOf, signedOutDisplay } from '../../../src/stores/sync'
import { initialSyncFacts, reduceSync, statusOf, type SyncEvent } from '../../../src/sync/remote/status'
import { CLOSE_DEVICE_LIMIT } from '../../../src/domain/syncProtocol'

/** The status after `events`, starting signed in and online. */
function statusAfter(...events: SyncEvent[]) {
  return statusOf(events.reduce(reduceSync, initialSyncFacts({ signedIn: true })))
}

const failedAttempt = (at: number): SyncEvent => ({ type: 'closed', code: null, reason: '', at, wasOpen: false })

describe('sync status in words', () => {
  it('names the open workspace and says nothing syncs while signed out', () => {
    expect(signedOutDisplay('Scratch Pad')).toMatchObject({ state: 'offline', label: 'Scratch Pad — not synced', syncs: false, action: null })
    expect(signedOutDisplay(null).sentence).toMatch(/Sign in to sync/)
  })

  it('says In sync once every change is acked', () => {
    const display = displayOf(statusAfter({ type: 'connect' }, { type: 'opened' }, { type: 'serverStateReceived' }, { type: 'acked', unacked: 0 }))
    expect(display).toMatchObject({ state: 'inSync', label: 'In sync', unacked: 0, action: null })
  })

  it('counts changes kept on the device while offline', () => {
    const display = displayOf(statusAfter({ type: 'connect' }, { type: 'browserOnline', online: false }, { type: 'localChange' }, { type: 'localChange' }))
    expect(display).toMatchObject({ state: 'offline', label: 'Offline', unacked: 2 })
    expect(display.sentence).toMatch(/2 changes kept on this device/)
  })

  it('tells since when the server is unreachable, and that Pigeon keeps trying', () => {
    const since = new Date(2026, 0, 5, 14, 30).getTime()
    const display = displayOf(statusAfter({ type: 'connect' }, failedAttempt(since), failedAttempt(since + 1000), failedAttempt(since + 2000)))
    expect(display).toMatchObject({ state: 'error', label: 'Error' })
    expect(display.sentence).toMatch(/cannot reach the server/)
    expect(display.sentence).toMatch(/unreachable since/)
    expect(display.action).toMatch(/keeps trying/)
  })

  it('says to free a device slot when the server refuses a fourth device', () => {
    const display = displayOf(statusAfter({ type: 'connect' }, { type: 'closed', code: CLOSE_DEVICE_LIMIT, reason: '', at: 0, wasOpen: false }))
    expect(display.state).toBe('error')
    expect(display.action).toMatch(/Sign out one of your other devices/)
  })
})
