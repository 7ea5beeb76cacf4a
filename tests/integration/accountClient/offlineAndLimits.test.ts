import type { PigeonServer } from '../../support/pigeonServer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiError, createAccountsApi, createApiClient, ServerUnreachableError, UNREACHABLE_MESSAGE } from '../../../src/api'
import { closedPort } from '../../support/closedPort'
import { startPigeonServer } from '../../support/pigeonServer'
import { newAccount, openApp } from './support'

let server: PigeonServer

beforeAll(async () => {
  // The real rate limits, as in production.
  server = await startPigeonServer({ env: { AUTH_RATE_LIMIT_FACTOR: '1' } })
})
afterAll(() => server?.stop())

describe('when the server cannot be reached', () => {
  it('says so in words and that local work is safe', async () => {
    const api = createAccountsApi(createApiClient({ baseUrl: `http://127.0.0.1:${await closedPort()}` }))
    const error = await api.signIn({ login: 'ada', password: 'correct horse battery' }, { deviceId: 'd1', deviceName: 'Laptop' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ServerUnreachableError)
    expect((error as Error).message).toBe(UNREACHABLE_MESSAGE)
    expect(UNREACHABLE_MESSAGE).toBe('Can\'t reach the Pigeon server. Check your connection; your local work is safe.')
  })

  it('keeps the last known user at startup, says offline, and never signs out by itself', async () => {
    const own = await startPigeonServer()
    try {
      const account = newAccount()
      const app = openApp(own.url)
      await app.store.signUp(account)
      await own.stop()

      const offline = app.reload()
      await offline.store.restore()
      expect(offline.store.status).toBe('signed-in')
      expect(offline.store.user?.username).toBe(account.username)
      expect(offline.store.offline).toBe(true)
      expect(offline.store.offlineReason).toBe(UNREACHABLE_MESSAGE)
      await expect(offline.store.listSessions()).rejects.toThrow(UNREACHABLE_MESSAGE)
      expect(offline.store.status).toBe('signed-in')

      // Same port, same data: the app looks again and is back online, still signed in.
      const back = await own.restart()
      await offline.store.refresh()
      expect(offline.store.offline).toBe(false)
      expect(offline.store.status).toBe('signed-in')
      expect(offline.store.user?.username).toBe(account.username)
      await back.stop()
    }
    finally {
      await own.stop()
    }
  })
})

describe('rate limits', () => {
  it('keeps retryAfter and the server\'s sentence after too many wrong passwords', async () => {
    const account = newAccount()
    await openApp(server.url).store.signUp(account)
    const app = openApp(server.url)
    let limited: ApiError | null = null
    for (let attempt = 0; attempt < 12 && !limited; attempt++) {
      const error = await app.store.signIn(account.username, 'wrong password here').catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ApiError)
      if ((error as ApiError).status === 429)
        limited = error as ApiError
    }
    expect(limited).not.toBeNull()
    expect(limited!.code).toBe('rate_limited')
    expect(limited!.retryAfter).toBeGreaterThan(0)
    expect(limited!.message).toBe(`Too many attempts. Try again in ${limited!.retryAfter} s.`)
  })
})
