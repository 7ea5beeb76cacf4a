import type { PigeonServer } from '../../support/pigeonServer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPigeonServer } from '../../support/pigeonServer'
import type { ApiAnswer } from './support'
import { Device, newAccount, signedUpUser } from './support'

let server: PigeonServer

beforeAll(async () => {
  server = await startPigeonServer({ env: { TRUST_PROXY: '1', AUTH_RATE_LIMIT_FACTOR: '1' } })
})
afterAll(() => server?.stop())

function expectTooMany(answer: ApiAnswer): void {
  expect(answer.status).toBe(429)
  expect(answer.body.error).toBe('rate_limited')
  expect(answer.body.message).toMatch(/^Too many attempts\. Try again in \d+ s\.$/)
  expect(answer.body.retryAfter).toBeGreaterThan(0)
  expect(answer.body.message).toBe(`Too many attempts. Try again in ${answer.body.retryAfter} s.`)
  expect(answer.headers.get('retry-after')).toBe(String(answer.body.retryAfter))
}

describe('rate limits', () => {
  it('stops password guessing on one account from many addresses, even with the right password', async () => {
    const { account } = await signedUpUser(server.url)
    for (let i = 0; i < 10; i++)
      expect((await new Device(server.url).signIn(account.username, `guess number ${i}`)).status).toBe(401)
    const blocked = await new Device(server.url).signIn(account.username, account.password)
    expectTooMany(blocked)
    // The limit is per account: another account signs in as usual.
    const other = await signedUpUser(server.url)
    expect((await new Device(server.url).signIn(other.account.username, other.account.password)).status).toBe(200)
  })

  it('limits an unknown account exactly like an existing one', async () => {
    let last
    for (let i = 0; i < 11; i++)
      last = await new Device(server.url).signIn('ghost-account', `guess number ${i}`)
    expectTooMany(last!)
  })

  it('stops one address from trying many accounts', async () => {
    const address = '192.0.2.77'
    const answers = []
    for (let i = 0; i < 61; i++)
      answers.push(await new Device(server.url, { address }).signIn(`someone${i}`, 'whatever password'))
    expect(answers.slice(0, 60).every(a => a.status === 401)).toBe(true)
    expectTooMany(answers[60])
    expect((await new Device(server.url, { address: '192.0.2.78' }).signIn('someone', 'whatever password')).status).toBe(401)
  })

  it('limits sign-ups per address', async () => {
    const address = '192.0.2.90'
    const statuses = []
    for (let i = 0; i < 20; i++)
      statuses.push((await new Device(server.url, { address }).signUp(newAccount({ password: 'short' }))).status)
    expect(statuses.every(s => s === 400)).toBe(true)
    expectTooMany(await new Device(server.url, { address }).signUp(newAccount()))
  })

  it('limits recovery mail per account identifier, the same for known and unknown ones', async () => {
    const { account } = await signedUpUser(server.url)
    for (const login of [account.username, 'nobody-at-all']) {
      for (let i = 0; i < 5; i++)
        expect((await new Device(server.url).post('/api/auth/forgot-password', { login })).status).toBe(202)
      expectTooMany(await new Device(server.url).post('/api/auth/forgot-password', { login }))
    }
  })
})
