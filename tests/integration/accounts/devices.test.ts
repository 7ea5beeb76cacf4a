import type { PigeonServer } from '../../support/pigeonServer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPigeonServer } from '../../support/pigeonServer'
import { Device, signedUpUser } from './support'

let server: PigeonServer

beforeAll(async () => {
  server = await startPigeonServer({ env: { TRUST_PROXY: '1' } })
})
afterAll(() => server?.stop())

const firefox = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0'

describe('devices and sessions', () => {
  it('refuses a fourth device with the list of the other three, and continues after signing one out', async () => {
    const { device: laptop, account } = await signedUpUser(server.url)
    const phone = new Device(server.url, { deviceName: 'Phone', userAgent: firefox })
    const tablet = new Device(server.url, { deviceName: 'Tablet' })
    expect((await phone.signIn(account.username, account.password)).status).toBe(200)
    expect((await tablet.signIn(account.email, account.password)).status).toBe(200)

    const desktop = new Device(server.url, { deviceName: 'Desktop' })
    const refused = await desktop.signIn(account.username, account.password)
    expect(refused.status).toBe(409)
    expect(refused.body.error).toBe('device_limit')
    expect(refused.body.message).toMatch(/signed in on 3 devices.*Sign one of them out/)
    expect(refused.body.devices.map((d: { deviceName: string }) => d.deviceName).sort()).toEqual(['Phone', 'Tablet', laptop.deviceName].sort())
    const phoneEntry = refused.body.devices.find((d: { deviceName: string }) => d.deviceName === 'Phone')
    expect(phoneEntry).toEqual({ sessionId: expect.any(String), deviceName: 'Phone', browser: 'Firefox 133 on Windows', lastSeenAt: expect.any(Number) })
    expect(desktop.sessionCookie).toBeUndefined()
    // The refusal signed nobody out.
    expect((await phone.get('/api/auth/me')).status).toBe(200)

    const continued = await desktop.signIn(account.username, account.password, { signOutSessionId: phoneEntry.sessionId })
    expect(continued.status).toBe(200)
    expect((await desktop.get('/api/auth/me')).status).toBe(200)
    expect((await phone.get('/api/auth/me')).status).toBe(401)
    expect((await laptop.get('/api/auth/me')).status).toBe(200)
  })

  it('replaces the session of a device that signs in again, without using a slot', async () => {
    const { device: laptop, account } = await signedUpUser(server.url)
    const before = laptop.sessionCookie
    const oldCopy = new Device(server.url)
    oldCopy.copyCookiesFrom(laptop)

    expect((await laptop.signIn(account.username, account.password)).status).toBe(200)
    expect(laptop.sessionCookie).not.toBe(before)
    expect((await oldCopy.get('/api/auth/me')).status).toBe(401)

    const sessions = await laptop.get('/api/auth/sessions')
    expect(sessions.body.sessions).toHaveLength(1)
    for (const name of ['Second', 'Third'])
      expect((await new Device(server.url, { deviceName: name }).signIn(account.username, account.password)).status).toBe(200)
    // Three devices, and the first may still sign in again on its own slot.
    expect((await laptop.signIn(account.username, account.password)).status).toBe(200)
  })

  it('lists my sessions, renames this device and revokes another one', async () => {
    const { device: laptop, account } = await signedUpUser(server.url)
    const phone = new Device(server.url, { deviceName: 'Phone', userAgent: firefox })
    await phone.signIn(account.username, account.password)

    const list = await laptop.get('/api/auth/sessions')
    expect(list.status).toBe(200)
    expect(list.body.sessions).toHaveLength(2)
    const mine = list.body.sessions.find((s: { current: boolean }) => s.current)
    const theirs = list.body.sessions.find((s: { current: boolean }) => !s.current)
    expect(mine).toMatchObject({ deviceId: laptop.deviceId, deviceName: laptop.deviceName, browser: 'Chrome 131 on Linux' })
    expect(theirs).toMatchObject({ deviceId: phone.deviceId, deviceName: 'Phone', browser: 'Firefox 133 on Windows' })
    for (const key of ['createdAt', 'lastSeenAt', 'expiresAt'])
      expect(typeof mine[key]).toBe('number')

    const renamed = await laptop.patch('/api/auth/sessions/current', { deviceName: '  Work laptop ' })
    expect(renamed.status).toBe(200)
    expect(renamed.body.session.deviceName).toBe('Work laptop')
    expect((await laptop.get('/api/auth/me')).body.session.deviceName).toBe('Work laptop')
    expect((await laptop.patch('/api/auth/sessions/current', { deviceName: '   ' })).status).toBe(400)

    const revoked = await laptop.delete(`/api/auth/sessions/${theirs.sessionId}`)
    expect(revoked.status).toBe(204)
    expect((await phone.get('/api/auth/me')).status).toBe(401)
    expect((await laptop.get('/api/auth/sessions')).body.sessions).toHaveLength(1)
  })

  it('does not let anyone revoke a session of another account', async () => {
    const alice = await signedUpUser(server.url)
    const bob = await signedUpUser(server.url)
    const bobSession = (await bob.device.get('/api/auth/me')).body.session.sessionId
    const answer = await alice.device.delete(`/api/auth/sessions/${bobSession}`)
    expect(answer.status).toBe(404)
    expect((await bob.device.get('/api/auth/me')).status).toBe(200)
  })

  it('revoking my own current session signs me out', async () => {
    const { device } = await signedUpUser(server.url)
    const mine = (await device.get('/api/auth/me')).body.session.sessionId
    expect((await device.delete(`/api/auth/sessions/${mine}`)).status).toBe(204)
    expect(device.sessionCookie).toBeUndefined()
  })
})
