import type { PigeonServer } from '../../support/pigeonServer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPigeonServer } from '../../support/pigeonServer'
import { Device, newAccount, signedUpUser } from './support'

let server: PigeonServer

beforeAll(async () => {
  server = await startPigeonServer({ env: { TRUST_PROXY: '1' } })
})
afterAll(() => server?.stop())

describe('signing up', () => {
  it('creates the account, a personal workspace and a session cookie', async () => {
    const account = newAccount()
    const device = new Device(server.url)
    const answer = await device.signUp(account)
    expect(answer.status).toBe(201)
    expect(answer.body.user).toMatchObject({ email: account.email, username: account.username })
    expect(answer.body.session).toMatchObject({ deviceId: device.deviceId, deviceName: device.deviceName, browser: 'Chrome 131 on Linux', current: true })
    expect(answer.body.workspaces).toEqual([expect.objectContaining({ name: 'Personal', kind: 'personal', role: 'owner' })])
    expect(answer.body.user).not.toHaveProperty('passwordHash')

    const cookie = answer.headers.getSetCookie().find(c => c.startsWith('pigeon_session='))!
    expect(cookie).toMatch(/^pigeon_session=[\w-]{43};/)
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Strict')
    expect(cookie).toContain('Path=/')
    expect(cookie).not.toContain('Secure')

    const me = await device.get('/api/auth/me')
    expect(me.status).toBe(200)
    expect(me.body.user.id).toBe(answer.body.user.id)
    expect(me.body.session.sessionId).toBe(answer.body.session.sessionId)
  })

  it('marks the cookie Secure when a trusted proxy says the request came over HTTPS', async () => {
    const answer = await new Device(server.url).request('POST', '/api/auth/signup', { ...newAccount(), deviceId: 'secure-device' }, { 'x-forwarded-proto': 'https' })
    expect(answer.status).toBe(201)
    expect(answer.headers.getSetCookie()[0]).toContain('Secure')
  })

  it('explains each rule a sign-up breaks', async () => {
    const device = new Device(server.url)
    const cases: Array<[Partial<ReturnType<typeof newAccount>>, RegExp]> = [
      [{ username: 'ab' }, /3 to 32 characters: lowercase letters, digits, and _ \. -/],
      [{ username: 'has space' }, /cannot be a username/],
      [{ username: 'x'.repeat(33) }, /cannot be a username/],
      [{ email: 'not-an-email' }, /email address does not look right/],
      [{ password: 'short' }, /too short\. Use at least 10 characters/],
      [{ password: 'aaaaaaaaaaaa' }, /repeats one character/],
    ]
    for (const [overrides, message] of cases) {
      const answer = await device.signUp(newAccount(overrides))
      expect(answer.status, JSON.stringify(overrides)).toBe(400)
      expect(answer.body.error).toBe('invalid_signup')
      expect(answer.body.message).toMatch(message)
    }
    const missing = await device.post('/api/auth/signup', { email: 'x@example.com' })
    expect(missing.status).toBe(400)
    expect(missing.body.message).toMatch(/The field "username" is missing/)
  })

  it('refuses a taken username or email, whatever their case', async () => {
    const { account } = await signedUpUser(server.url)
    const device = new Device(server.url)
    const sameName = await device.signUp(newAccount({ username: account.username.toUpperCase() }))
    expect(sameName.status).toBe(409)
    expect(sameName.body.error).toBe('username_taken')
    const sameEmail = await device.signUp(newAccount({ email: account.email.toUpperCase() }))
    expect(sameEmail.status).toBe(409)
    expect(sameEmail.body.error).toBe('email_taken')
  })
})

describe('signing in and out', () => {
  it('signs in with the email or the username', async () => {
    const { account, userId } = await signedUpUser(server.url)
    const byEmail = await new Device(server.url).signIn(account.email, account.password)
    expect(byEmail.status).toBe(200)
    expect(byEmail.body.user.id).toBe(userId)
    const byUsername = await new Device(server.url).signIn(` ${account.username.toUpperCase()} `, account.password)
    expect(byUsername.status).toBe(200)
    expect(byUsername.body.user.id).toBe(userId)
  })

  it('answers a wrong password and an unknown account identically', async () => {
    const { account } = await signedUpUser(server.url)
    const wrongPassword = await new Device(server.url).signIn(account.username, 'wrong password!')
    const unknownUser = await new Device(server.url).signIn('nobody-has-this-name', 'wrong password!')
    expect(wrongPassword.status).toBe(401)
    expect(unknownUser.status).toBe(wrongPassword.status)
    expect(unknownUser.body).toEqual(wrongPassword.body)
    expect(wrongPassword.body).toEqual({ error: 'wrong_credentials', message: 'Wrong email/username or password.' })
  })

  it('signs out on the server: the old cookie no longer works anywhere', async () => {
    const { device } = await signedUpUser(server.url)
    const thief = new Device(server.url)
    thief.copyCookiesFrom(device)
    expect((await thief.get('/api/auth/me')).status).toBe(200)

    const out = await device.post('/api/auth/signout')
    expect(out.status).toBe(204)
    expect(device.sessionCookie).toBeUndefined()
    const me = await thief.get('/api/auth/me')
    expect(me.status).toBe(401)
    expect(me.body.message).toMatch(/not signed in.*Sign in again/)
  })

  it('logs ids of who signed in, never the password or the cookie', async () => {
    const { device, account, userId } = await signedUpUser(server.url)
    const signedIn = await device.signIn(account.email, account.password)
    expect(signedIn.status).toBe(200)
    const log = server.output()
    expect(log).toContain(`"event":"signed_in","requestId":"${signedIn.headers.get('x-request-id')}","userId":"${userId}","sessionId":"${signedIn.body.session.sessionId}"`)
    expect(log).not.toContain(account.password)
    expect(log).not.toContain(device.sessionCookie)
  })

  it('says who is signed in only to a valid session', async () => {
    const stranger = new Device(server.url)
    expect((await stranger.get('/api/auth/me')).status).toBe(401)
    const forged = await stranger.request('GET', '/api/auth/me', undefined, { cookie: `pigeon_session=${'A'.repeat(43)}` })
    expect(forged.status).toBe(401)
  })
})

describe('cross-site protection', () => {
  it('refuses a state-changing request from a foreign Origin', async () => {
    const account = newAccount()
    const device = new Device(server.url)
    const answer = await device.request('POST', '/api/auth/signup', { ...account, deviceId: device.deviceId }, { origin: 'https://evil.example' })
    expect(answer.status).toBe(403)
    expect(answer.body.error).toBe('forbidden_origin')
    const sameOrigin = await device.request('POST', '/api/auth/signup', { ...account, deviceId: device.deviceId }, { origin: server.url })
    expect(sameOrigin.status).toBe(201)
  })

  it('refuses a state-changing request that is not JSON (a plain HTML form)', async () => {
    const { device } = await signedUpUser(server.url)
    const answer = await device.request('POST', '/api/auth/signout', undefined, { 'content-type': 'application/x-www-form-urlencoded' })
    expect(answer.status).toBe(415)
    expect(answer.body.message).toMatch(/Content-Type: application\/json/)
    expect((await device.get('/api/auth/me')).status).toBe(200)
  })
})
