/**
 * Session expiry, sliding renewal and reset-code expiry, on the real SQLite
 * store with a clock the test moves (no waiting 30 days or 30 minutes).
 */
import type { IncomingMessage } from 'node:http'
import type { ServerEvents } from '../../../server/src/events'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../../server/src/config'
import { ServerEventBus } from '../../../server/src/events'
import { openSqlite } from '../../../server/src/storage/sqlite'
import { createSqliteAccountStore } from '../../../server/src/storage/accountsSqlite'
import { RENEW_INTERVAL_MS, SessionService } from '../../../server/src/auth/sessions'
import { hashToken, newSecretToken } from '../../../server/src/auth/tokens'
import { tempDir } from '../../support/pigeonServer'

const DAY = 24 * 3600 * 1000

function world() {
  const store = createSqliteAccountStore(openSqlite(tempDir()))
  const clock = { now: Date.parse('2026-01-01T00:00:00Z') }
  const events = new ServerEventBus()
  const revoked: Array<ServerEvents['sessionRevoked'][0]> = []
  events.on('sessionRevoked', e => revoked.push(e))
  const config = loadConfig({ SESSION_TTL_MS: String(30 * DAY) })
  const sessions = new SessionService(store, config, events, () => clock.now)
  return { store, clock, sessions, revoked }
}

async function userIn(store: ReturnType<typeof createSqliteAccountStore>, id: string, now: number): Promise<void> {
  await store.createUser(
    { id, email: `${id}@example.com`, username: id, passwordHash: 'x', createdAt: now, updatedAt: now },
    { id: `${id}-personal`, name: 'Personal', kind: 'personal', ownerId: id, createdAt: now, updatedAt: now, deletedAt: null },
  )
}

const requestWith = (token: string): IncomingMessage => ({ headers: { cookie: `pigeon_session=${token}` } }) as IncomingMessage

describe('session lifetime', () => {
  it('slides the expiry forward when used, at most once a minute', async () => {
    const { store, clock, sessions } = world()
    await userIn(store, 'u1', clock.now)
    const started = await sessions.start('u1', { deviceId: 'd1', deviceName: 'Laptop', userAgent: '' })
    if (started.kind !== 'signed_in')
      throw new Error('expected a session')
    const firstExpiry = started.session.expiresAt

    clock.now += RENEW_INTERVAL_MS / 2
    const early = await sessions.resolve(requestWith(started.token))
    expect(early).toMatchObject({ renewed: false, session: { expiresAt: firstExpiry } })

    clock.now += 20 * DAY
    const later = await sessions.resolve(requestWith(started.token))
    expect(later!.renewed).toBe(true)
    expect(later!.session.expiresAt).toBe(clock.now + 30 * DAY)
    expect((await store.findSession(started.session.id))!.lastSeenAt).toBe(clock.now)

    // Used every 20 days, it outlives its first 30-day expiry.
    clock.now += 20 * DAY
    expect(await sessions.resolve(requestWith(started.token))).not.toBeNull()
  })

  it('ends an unused session at its expiry and announces it', async () => {
    const { store, clock, sessions, revoked } = world()
    await userIn(store, 'u2', clock.now)
    const a = await sessions.start('u2', { deviceId: 'd1', deviceName: 'A', userAgent: '' })
    const b = await sessions.start('u2', { deviceId: 'd2', deviceName: 'B', userAgent: '' })
    if (a.kind !== 'signed_in' || b.kind !== 'signed_in')
      throw new Error('expected sessions')
    clock.now += 31 * DAY
    expect(await sessions.resolve(requestWith(a.token))).toBeNull()
    expect(await sessions.sweepExpired()).toBe(1)
    expect(revoked.map(r => [r.sessionId, r.reason])).toEqual([[a.session.id, 'expired'], [b.session.id, 'expired']])
    expect(await store.listSessions('u2', clock.now)).toEqual([])
  })

  it('counts only live sessions toward the device limit', async () => {
    const { store, clock, sessions } = world()
    await userIn(store, 'u3', clock.now)
    for (const deviceId of ['d1', 'd2', 'd3'])
      expect((await sessions.start('u3', { deviceId, deviceName: deviceId, userAgent: '' })).kind).toBe('signed_in')
    expect((await sessions.start('u3', { deviceId: 'd4', deviceName: 'd4', userAgent: '' })).kind).toBe('device_limit')
    clock.now += 31 * DAY
    expect((await sessions.start('u3', { deviceId: 'd4', deviceName: 'd4', userAgent: '' })).kind).toBe('signed_in')
  })
})

describe('reset codes', () => {
  it('work once, and not after 30 minutes', async () => {
    const { store, clock } = world()
    await userIn(store, 'u4', clock.now)
    const fresh = newSecretToken()
    const stale = newSecretToken()
    for (const token of [fresh, stale])
      await store.createResetToken({ tokenHash: hashToken(token), userId: 'u4', createdAt: clock.now, expiresAt: clock.now + 30 * 60_000, usedAt: null })

    expect(await store.consumeResetToken(hashToken(fresh), clock.now + 29 * 60_000)).toMatchObject({ userId: 'u4' })
    expect(await store.consumeResetToken(hashToken(fresh), clock.now + 29 * 60_000)).toBeNull()
    expect(await store.consumeResetToken(hashToken(stale), clock.now + 30 * 60_000)).toBeNull()
    expect(await store.consumeResetToken(hashToken(newSecretToken()), clock.now)).toBeNull()
  })
})
