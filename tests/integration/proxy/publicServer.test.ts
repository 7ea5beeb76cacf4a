/**
 * The request proxy on a public Pigeon server (bound to 0.0.0.0), end to end:
 * real server processes, real accounts, real session cookies. The servers are
 * reached through 127.0.0.1 only, and every target is on loopback, so the
 * "public" targets are stood in for by loopback ranges an admin allowed
 * (PROXY_ALLOWED_RANGES).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProxyRequestMeta } from '../../../src/agents/proxyWire'
import type { PigeonServer } from '../../support/pigeonServer'
import { startPigeonServer } from '../../support/pigeonServer'
import type { TargetServer } from '../../support/targetServer'
import { startTargetServer } from '../../support/targetServer'
import { Device, newAccount } from '../accounts/support'
import { callProxy, echoOf } from './proxyClient'

const SIGN_IN_SENTENCE = 'Sign in to send requests through this Pigeon server, or switch to the Browser agent in Settings.'

/** The sentence docs/proxy.md promises when the address policy refuses `shown`. */
function forbiddenTargetSentence(shown: string): string {
  return `This Pigeon server does not send requests to ${shown}: private, loopback and link-local addresses are off limits on a public server. Use the Browser agent for local targets, or ask the server's admin to allow the range (PROXY_ALLOWED_RANGES).`
}

/** A Pigeon server bound to every interface, i.e. not a personal one. */
function startPublicServer(allowedRanges?: string): Promise<PigeonServer> {
  return startPigeonServer({ env: { HOST: '0.0.0.0', ...(allowedRanges ? { PROXY_ALLOWED_RANGES: allowedRanges } : {}) } })
}

/** The server's base URL over IPv4 loopback: the only way these tests reach it. */
function loopbackUrl(server: PigeonServer): string {
  return `http://127.0.0.1:${server.port}`
}

/** A proxy request line with the defaults the Server agent sends. */
function aProxyRequest(url: string, overrides: Partial<ProxyRequestMeta> = {}): ProxyRequestMeta {
  return { method: 'GET', url, headers: [], timeoutMs: 5000, followRedirects: true, maxRedirects: 10, ...overrides }
}

/** Signs up on one device, then signs in on another: the second is the caller. */
async function signedInDevice(baseUrl: string): Promise<Device> {
  const account = newAccount()
  const signUp = await new Device(baseUrl).signUp(account)
  if (signUp.status !== 201)
    throw new Error(`Sign-up failed: ${signUp.status} ${JSON.stringify(signUp.body)}`)
  const device = new Device(baseUrl)
  const signIn = await device.signIn(account.username, account.password)
  if (signIn.status !== 200 || !device.sessionCookie)
    throw new Error(`Sign-in failed: ${signIn.status} ${JSON.stringify(signIn.body)}`)
  return device
}

/** What the app's Server agent sends along: the session cookie, from Pigeon's own page. */
function asTheApp(device: Device): Record<string, string> {
  return { cookie: `pigeon_session=${device.sessionCookie}`, origin: device.baseUrl }
}

let target: TargetServer
let noRanges: PigeonServer
let loopbackRange: PigeonServer
let onlyFirstLoopback: PigeonServer

beforeAll(async () => {
  ;[target, noRanges, loopbackRange, onlyFirstLoopback] = await Promise.all([
    startTargetServer(),
    startPublicServer(),
    startPublicServer('127.0.0.0/8'),
    startPublicServer('127.0.0.1/32'),
  ])
})
afterAll(async () => {
  await Promise.all([target?.close(), noRanges?.stop(), loopbackRange?.stop(), onlyFirstLoopback?.stop()])
})

describe('a public Pigeon server that allows no private ranges', () => {
  let base: string
  let caller: Device
  beforeAll(async () => {
    base = loopbackUrl(noRanges)
    caller = await signedInDevice(base)
  })

  it('tells a signed-out caller to sign in', async () => {
    const answer = await callProxy(base, aProxyRequest(`${target.url}/echo`), null, { headers: { origin: base } })
    expect(answer.httpStatus).toBe(401)
    expect(answer.error).toEqual({ error: 'unauthorized', message: SIGN_IN_SENTENCE })
  })

  it('tells a caller with a made-up session cookie to sign in', async () => {
    const answer = await callProxy(base, aProxyRequest(`${target.url}/echo`), null, { headers: { origin: base, cookie: 'pigeon_session=not-a-real-session-token' } })
    expect(answer.httpStatus).toBe(401)
    expect(answer.error).toEqual({ error: 'unauthorized', message: SIGN_IN_SENTENCE })
  })

  it('lets a signed-in caller through, then refuses a loopback target with a sentence', async () => {
    const answer = await callProxy(base, aProxyRequest(`${target.url}/echo`), null, { headers: asTheApp(caller) })
    expect(answer.httpStatus).toBe(403)
    expect(answer.error).toEqual({ error: 'forbidden_target', message: forbiddenTargetSentence('127.0.0.1') })
  })

  it('refuses a host name that resolves to loopback, naming the address it resolved to', async () => {
    const answer = await callProxy(base, aProxyRequest(`http://localhost:${target.port}/echo`), null, { headers: asTheApp(caller) })
    expect(answer.httpStatus).toBe(403)
    expect(answer.error!.error).toBe('forbidden_target')
    // localhost may resolve to 127.0.0.1 or ::1 depending on the machine; either is named.
    expect(answer.error!.message).toMatch(/^This Pigeon server does not send requests to localhost \((127\.0\.0\.1|::1)\): /)
  })

  it('refuses the signed-in caller\'s cookie when another website sends it', async () => {
    const answer = await callProxy(base, aProxyRequest(`${target.url}/echo`), null, { headers: { ...asTheApp(caller), origin: 'http://evil.example' } })
    expect(answer.httpStatus).toBe(403)
    expect(answer.error!.error).toBe('forbidden_origin')
    expect(answer.error!.message).toContain('http://evil.example')
  })

  it('asks the caller to sign in again after they signed out', async () => {
    const leaving = await signedInDevice(base)
    const headers = asTheApp(leaving)
    expect((await leaving.post('/api/auth/signout')).status).toBe(204)
    const answer = await callProxy(base, aProxyRequest(`${target.url}/echo`), null, { headers })
    expect(answer.httpStatus).toBe(401)
    expect(answer.error).toEqual({ error: 'unauthorized', message: SIGN_IN_SENTENCE })
  })
})

describe('a public Pigeon server whose admin allowed 127.0.0.0/8', () => {
  let base: string
  let caller: Device
  beforeAll(async () => {
    base = loopbackUrl(loopbackRange)
    caller = await signedInDevice(base)
  })

  it('sends a signed-in caller\'s request and returns the target\'s answer', async () => {
    const meta = aProxyRequest(`${target.url}/echo?from=public`, { method: 'POST', headers: [['Content-Type', 'application/json']] })
    const answer = await callProxy(base, meta, '{"hello":"pigeon"}', { headers: asTheApp(caller) })
    expect(answer.httpStatus).toBe(200)
    expect(answer.meta!.status).toBe(200)
    expect(answer.meta!.url).toBe(`${target.url}/echo?from=public`)
    const echo = echoOf(answer)
    expect(echo.method).toBe('POST')
    expect(echo.query).toEqual({ from: 'public' })
    expect(echo.contentType).toBe('application/json')
    expect(echo.body).toBe('{"hello":"pigeon"}')
    // The session cookie is for Pigeon, never forwarded to the target.
    expect(echo.headers.cookie).toBeUndefined()
  })

  it('still tells a signed-out caller to sign in', async () => {
    const answer = await callProxy(base, aProxyRequest(`${target.url}/echo`), null, { headers: { origin: base } })
    expect(answer.httpStatus).toBe(401)
    expect(answer.error).toEqual({ error: 'unauthorized', message: SIGN_IN_SENTENCE })
  })

  it('refuses, at the hop, a redirect from the allowed target to ::1', async () => {
    const hop = `${target.url}/redirect-to?url=${encodeURIComponent(`http://[::1]:${target.port}/echo`)}`
    const answer = await callProxy(base, aProxyRequest(hop), null, { headers: asTheApp(caller) })
    expect(answer.httpStatus).toBe(403)
    expect(answer.error).toEqual({ error: 'forbidden_target', message: forbiddenTargetSentence('::1') })
  })
})

describe('a public Pigeon server whose admin allowed only 127.0.0.1/32', () => {
  let base: string
  let caller: Device
  beforeAll(async () => {
    base = loopbackUrl(onlyFirstLoopback)
    caller = await signedInDevice(base)
  })

  it('follows redirects that stay on the allowed address', async () => {
    const answer = await callProxy(base, aProxyRequest(`${target.url}/redirect/2`), null, { headers: asTheApp(caller) })
    expect(answer.httpStatus).toBe(200)
    expect(answer.meta!.redirects).toBe(2)
    expect(answer.meta!.url).toBe(`${target.url}/echo`)
  })

  it('refuses, at the hop, a redirect to 127.0.0.2 with the forbidden_target sentence', async () => {
    const hop = `${target.url}/redirect-to?url=${encodeURIComponent(`http://127.0.0.2:${target.port}/echo`)}`
    const answer = await callProxy(base, aProxyRequest(hop), null, { headers: asTheApp(caller) })
    expect(answer.httpStatus).toBe(403)
    expect(answer.error).toEqual({ error: 'forbidden_target', message: forbiddenTargetSentence('127.0.0.2') })
  })
})
