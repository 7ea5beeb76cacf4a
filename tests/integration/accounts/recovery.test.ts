import type { PigeonServer } from '../../support/pigeonServer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPigeonServer } from '../../support/pigeonServer'
import { Device, mailsTo, resetCodeIn, signedUpUser, waitForNewMail } from './support'

let server: PigeonServer

beforeAll(async () => {
  server = await startPigeonServer({ env: { TRUST_PROXY: '1' } })
})
afterAll(() => server?.stop())

describe('password recovery through the outbox', () => {
  it('mails a reset code that sets a new password, signs every device out and works once', async () => {
    const { device: laptop, account } = await signedUpUser(server.url)
    const phone = new Device(server.url)
    await phone.signIn(account.email, account.password)

    const asked = await new Device(server.url).post('/api/auth/forgot-password', { login: account.username })
    expect(asked.status).toBe(202)
    const mail = await waitForNewMail(server.dataDir, account.email)
    expect(mail).toContain('Subject: Reset your Pigeon password')
    expect(server.output()).toMatch(/"event":"mail_outbox","path":"[^"]+outbox\/[^"]+\.eml"/)
    const code = resetCodeIn(mail)
    expect(server.output()).not.toContain(code)

    const stranger = new Device(server.url)
    const reset = await stranger.post('/api/auth/reset-password', { token: code, password: 'a brand new password' })
    expect(reset.status).toBe(200)
    expect(reset.body.message).toMatch(/password is changed.*Sign in with the new password/)
    expect((await laptop.get('/api/auth/me')).status).toBe(401)
    expect((await phone.get('/api/auth/me')).status).toBe(401)

    expect((await new Device(server.url).signIn(account.username, account.password)).status).toBe(401)
    expect((await new Device(server.url).signIn(account.username, 'a brand new password')).status).toBe(200)

    const again = await stranger.post('/api/auth/reset-password', { token: code, password: 'yet another password' })
    expect(again.status).toBe(400)
    expect(again.body).toMatchObject({ error: 'invalid_token', message: expect.stringMatching(/wrong, used or expired.*Ask for a new one/) })
  })

  it('asks for a better password before using up the code', async () => {
    const { account } = await signedUpUser(server.url)
    await new Device(server.url).post('/api/auth/forgot-password', { login: account.email })
    const code = resetCodeIn(await waitForNewMail(server.dataDir, account.email))
    const weak = await new Device(server.url).post('/api/auth/reset-password', { token: code, password: 'short' })
    expect(weak.status).toBe(400)
    expect(weak.body.message).toMatch(/too short/)
    expect((await new Device(server.url).post('/api/auth/reset-password', { token: code, password: 'long enough now' })).status).toBe(200)
  })

  it('uses up every earlier code of the account with the one that worked', async () => {
    const { account } = await signedUpUser(server.url)
    const device = new Device(server.url)
    await device.post('/api/auth/forgot-password', { login: account.email })
    const first = resetCodeIn(await waitForNewMail(server.dataDir, account.email, 0))
    await device.post('/api/auth/forgot-password', { login: account.username })
    const second = resetCodeIn(await waitForNewMail(server.dataDir, account.email, 1))
    expect(second).not.toBe(first)
    expect((await device.post('/api/auth/reset-password', { token: second, password: 'the newest password' })).status).toBe(200)
    expect((await device.post('/api/auth/reset-password', { token: first, password: 'an older request' })).body.error).toBe('invalid_token')
  })

  it('refuses a made-up code', async () => {
    const answer = await new Device(server.url).post('/api/auth/reset-password', { token: 'A'.repeat(43), password: 'long enough now' })
    expect(answer.status).toBe(400)
    expect(answer.body.error).toBe('invalid_token')
  })

  it('mails a username reminder to the address of the account', async () => {
    const { account } = await signedUpUser(server.url)
    const answer = await new Device(server.url).post('/api/auth/forgot-username', { email: account.email.toUpperCase() })
    expect(answer.status).toBe(202)
    const mail = await waitForNewMail(server.dataDir, account.email)
    expect(mail).toContain('Subject: Your Pigeon username')
    expect(mail).toContain(`Username: ${account.username}`)
  })

  it('answers the same for an existing and an unknown account, and mails only the existing one', async () => {
    const { account } = await signedUpUser(server.url)
    const device = new Device(server.url)
    const known = await device.post('/api/auth/forgot-password', { login: account.username })
    const unknown = await device.post('/api/auth/forgot-password', { login: 'nobody-by-this-name' })
    expect(unknown.status).toBe(known.status)
    expect(unknown.body).toEqual(known.body)

    const knownEmail = await device.post('/api/auth/forgot-username', { email: account.email })
    const unknownEmail = await device.post('/api/auth/forgot-username', { email: 'nobody@example.com' })
    expect(unknownEmail.status).toBe(knownEmail.status)
    expect(unknownEmail.body).toEqual(knownEmail.body)

    await waitForNewMail(server.dataDir, account.email, 1)
    expect(await mailsTo(server.dataDir, 'nobody@example.com')).toEqual([])
  })

  it('takes about as long for an unknown account as for an existing one', async () => {
    const { account } = await signedUpUser(server.url)
    const device = new Device(server.url)
    const time = async (login: string): Promise<number> => {
      const started = performance.now()
      await device.post('/api/auth/forgot-password', { login })
      return performance.now() - started
    }
    const known: number[] = []
    const unknown: number[] = []
    for (let i = 0; i < 6; i++) {
      known.push(await time(account.email))
      unknown.push(await time(`ghost${i}@example.com`))
    }
    const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]
    // Both answers come before any database write or mail; allow for scheduling noise on a busy machine.
    expect(Math.abs(median(known) - median(unknown))).toBeLessThan(40)
  })
})

describe('an expired reset code', () => {
  it('no longer works after its lifetime (RESET_TOKEN_TTL_MS)', async () => {
    const shortLived = await startPigeonServer({ env: { TRUST_PROXY: '1', RESET_TOKEN_TTL_MS: '1500' } })
    try {
      const { account } = await signedUpUser(shortLived.url)
      const asked = await new Device(shortLived.url).post('/api/auth/forgot-password', { login: account.email })
      expect(asked.body.message).toMatch(/within 2 seconds/)
      const mail = await waitForNewMail(shortLived.dataDir, account.email)
      expect(mail).toMatch(/works once, within 2 seconds/)
      await new Promise(resolve => setTimeout(resolve, 1600))
      const late = await new Device(shortLived.url).post('/api/auth/reset-password', { token: resetCodeIn(mail), password: 'too late for this' })
      expect(late.status).toBe(400)
      expect(late.body.error).toBe('invalid_token')
      expect((await new Device(shortLived.url).signIn(account.username, account.password)).status).toBe(200)
    }
    finally {
      await shortLived.stop()
    }
  })
})
