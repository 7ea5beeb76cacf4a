import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAddressPolicy, isSpecialAddress } from '../../../server/src/proxy/addressPolicy'
import { ProxyError } from '../../../server/src/proxy/errors'
import { runProxyJob } from '../../../server/src/proxy/proxyRequest'
import type { PigeonServer } from '../../support/pigeonServer'
import { startPigeonServer } from '../../support/pigeonServer'
import type { TargetServer } from '../../support/targetServer'
import { startTargetServer } from '../../support/targetServer'
import { send } from '../../../src/agents/send'
import { aRequest, callProxy } from './proxyClient'

let target: TargetServer

beforeAll(async () => {
  target = await startTargetServer()
})
afterAll(async () => {
  await target?.close()
})

const publicServer = (allowedRanges: string[] = []) => createAddressPolicy({ loopbackBound: false, allowedRanges })

function job(url: string) {
  return { method: 'GET', url, headers: [], body: null, timeoutMs: 5000, followRedirects: true, maxRedirects: 5 }
}

async function failureOf(promise: Promise<unknown>): Promise<ProxyError> {
  const err = await promise.then(() => undefined, (e: unknown) => e)
  expect(err).toBeInstanceOf(ProxyError)
  return err as ProxyError
}

describe('which addresses count as private', () => {
  it.each([
    '127.0.0.1', '127.255.0.9', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '100.64.0.1',
    '169.254.169.254', '0.0.0.0', '::1', '::', 'fd00::1', 'fc00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '224.0.0.1',
  ])('%s is private, loopback, link-local or special', (address) => {
    expect(isSpecialAddress(address)).toBe(true)
  })

  it('treats anything that is not a plain IP address as private (fails closed)', () => {
    expect(isSpecialAddress('fe80::1%eth0')).toBe(true)
    expect(isSpecialAddress('example.com')).toBe(true)
  })

  it.each(['1.1.1.1', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])('%s is public', (address) => {
    expect(isSpecialAddress(address)).toBe(false)
  })

  it('lets a loopback-bound server reach everything', () => {
    const check = createAddressPolicy({ loopbackBound: true, allowedRanges: [] })
    expect(check('127.0.0.1')).toBe(true)
    expect(check('169.254.169.254')).toBe(true)
  })

  it('lets a public server reach only public addresses and the allowed ranges', () => {
    const check = publicServer(['10.20.0.0/16', 'fd12::/16'])
    expect(check('8.8.8.8')).toBe(true)
    expect(check('10.20.5.5')).toBe(true)
    expect(check('10.21.5.5')).toBe(false)
    expect(check('fd12::5')).toBe(true)
    expect(check('fd13::5')).toBe(false)
    expect(check('169.254.169.254')).toBe(false)
  })

  it('refuses a malformed allowed range with a sentence', () => {
    expect(() => publicServer(['10.0.0.0/33'])).toThrow('"10.0.0.0/33" in PROXY_ALLOWED_RANGES is not a CIDR range like 10.0.0.0/8 or fd00::/8. Fix the setting and start the server again.')
    expect(() => publicServer(['localhost'])).toThrow(/is not a CIDR range/)
  })
})

describe('a public server refuses private targets at connect time', () => {
  it('refuses a loopback IP literal before connecting', async () => {
    const err = await failureOf(runProxyJob(job(`${target.url}/json`), { maxResponseBytes: 1024 * 1024, checkAddress: publicServer() }))
    expect(err.kind).toBe('forbidden_target')
    expect(err.message).toMatch(/^This Pigeon server does not send requests to 127\.0\.0\.1: private, loopback and link-local addresses are off limits/)
  })

  it('refuses a name that resolves to loopback, checked on the resolved address', async () => {
    const err = await failureOf(runProxyJob(job(`http://localhost:${target.port}/json`), { maxResponseBytes: 1024 * 1024, checkAddress: publicServer() }))
    expect(err.kind).toBe('forbidden_target')
    expect(err.message).toContain('localhost (127.0.0.1)')
  })

  it('refuses the cloud metadata address', async () => {
    const err = await failureOf(runProxyJob(job('http://169.254.169.254/latest/meta-data/'), { maxResponseBytes: 1024, checkAddress: publicServer() }))
    expect(err.kind).toBe('forbidden_target')
  })

  it('reaches a private target inside PROXY_ALLOWED_RANGES', async () => {
    const result = await runProxyJob(job(`http://localhost:${target.port}/json`), { maxResponseBytes: 1024 * 1024, checkAddress: publicServer(['127.0.0.0/8']) })
    expect(result.meta.status).toBe(200)
  })

  it('checks every redirect hop again', async () => {
    // 127.0.0.1 is allowed, 127.0.0.2 is not: the second hop must be refused.
    const hop = `${target.url}/redirect-to?url=${encodeURIComponent(`http://127.0.0.2:${target.port}/echo`)}`
    const err = await failureOf(runProxyJob(job(hop), { maxResponseBytes: 1024 * 1024, checkAddress: publicServer(['127.0.0.1/32']) }))
    expect(err.kind).toBe('forbidden_target')
    expect(err.message).toContain('127.0.0.2')
  })
})

describe('a server bound to a public address', () => {
  let pigeon: PigeonServer
  beforeAll(async () => {
    pigeon = await startPigeonServer({ env: { HOST: '0.0.0.0', PROXY_ALLOWED_RANGES: '127.0.0.0/8' } })
  })
  afterAll(async () => {
    await pigeon?.stop()
  })

  it('does not proxy for a caller who is not signed in', async () => {
    const answer = await callProxy(pigeon.url, { method: 'GET', url: `${target.url}/json` })
    expect(answer.httpStatus).toBe(401)
    expect(answer.error).toEqual({ error: 'unauthorized', message: 'Sign in to send requests through this Pigeon server, or switch to the Browser agent in Settings.' })
  })

  it('leaves the Auto agent to send with the browser for a signed-out user', async () => {
    const response = await send(aRequest({ url: `${target.url}/json` }), { agent: 'auto', readFile: async () => undefined, baseUrl: pigeon.url })
    expect(response.agent).toBe('browser')
    expect(response.status).toBe(200)
  })
})

describe('a server with a malformed PROXY_ALLOWED_RANGES', () => {
  it('does not start and says which range is wrong', async () => {
    const failed = await startPigeonServer({ env: { PROXY_ALLOWED_RANGES: '10.0.0.0/8,not-a-range' } }).then(s => s.stop().then(() => 'started'), (err: Error) => err.message)
    expect(failed).toContain('"not-a-range" in PROXY_ALLOWED_RANGES is not a CIDR range')
  })
})
