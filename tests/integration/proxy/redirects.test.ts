import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PigeonServer } from '../../support/pigeonServer'
import { startPigeonServer } from '../../support/pigeonServer'
import type { TargetServer } from '../../support/targetServer'
import { startTargetServer } from '../../support/targetServer'
import { callProxy, echoOf } from './proxyClient'

let pigeon: PigeonServer
let target: TargetServer

beforeAll(async () => {
  ;[pigeon, target] = await Promise.all([startPigeonServer(), startTargetServer()])
})
afterAll(async () => {
  await Promise.all([pigeon?.stop(), target?.close()])
})

function redirectTo(path: string, status: number): string {
  return `${target.url}/redirect-to?status=${status}&url=${encodeURIComponent(path)}`
}

describe('the server proxy follows redirects like a browser', () => {
  it('follows a chain of redirects and reports the final URL and the count', async () => {
    const answer = await callProxy(pigeon.url, { method: 'GET', url: `${target.url}/redirect/3` })
    expect(answer.meta!.status).toBe(200)
    expect(answer.meta!.url).toBe(`${target.url}/echo`)
    expect(answer.meta!.redirects).toBe(3)
  })

  it('shows the redirect itself when following is off', async () => {
    const answer = await callProxy(pigeon.url, { method: 'GET', url: `${target.url}/redirect/2`, followRedirects: false })
    expect(answer.meta!.status).toBe(302)
    expect(answer.meta!.headers).toContainEqual(['location', '/redirect/1'])
    expect(answer.meta!.redirects).toBe(0)
  })

  it('stops at the redirect limit with a sentence', async () => {
    const answer = await callProxy(pigeon.url, { method: 'GET', url: `${target.url}/redirect/4`, maxRedirects: 3 })
    expect(answer.httpStatus).toBe(502)
    expect(answer.error!.error).toBe('redirects')
    expect(answer.error!.message).toMatch(/^Stopped after 3 redirects/)
  })

  it('follows exactly as many redirects as the limit allows', async () => {
    const answer = await callProxy(pigeon.url, { method: 'GET', url: `${target.url}/redirect/3`, maxRedirects: 3 })
    expect(answer.meta!.status).toBe(200)
  })

  it('turns a POST into a GET without body after a 303', async () => {
    const answer = await callProxy(pigeon.url, { method: 'POST', url: redirectTo('/echo', 303), headers: [['Content-Type', 'text/plain']] }, 'payload')
    const echo = echoOf(answer)
    expect(echo.method).toBe('GET')
    expect(echo.body).toBe('')
    expect(echo.contentType).toBeNull()
  })

  it('turns a POST into a GET after a 302 and a 301', async () => {
    for (const status of [301, 302]) {
      const answer = await callProxy(pigeon.url, { method: 'POST', url: redirectTo('/echo', status) }, 'payload')
      expect(echoOf(answer).method).toBe('GET')
    }
  })

  it('keeps a PUT a PUT after a 302', async () => {
    const answer = await callProxy(pigeon.url, { method: 'PUT', url: redirectTo('/echo', 302) }, 'payload')
    expect(echoOf(answer).method).toBe('PUT')
  })

  it('keeps the method and the body after a 307 and a 308', async () => {
    for (const status of [307, 308]) {
      const answer = await callProxy(pigeon.url, { method: 'POST', url: redirectTo('/echo', status), headers: [['Content-Type', 'text/plain']] }, 'payload')
      const echo = echoOf(answer)
      expect(echo.method).toBe('POST')
      expect(echo.body).toBe('payload')
      expect(echo.contentType).toBe('text/plain')
    }
  })

  it('does not carry credentials to another origin', async () => {
    const elsewhere = `http://localhost:${target.port}/echo`
    const answer = await callProxy(pigeon.url, { method: 'GET', url: redirectTo(elsewhere, 302), headers: [['Authorization', 'Bearer secret'], ['X-Keep', 'yes']] })
    const echo = echoOf(answer)
    expect(echo.headers.authorization).toBeUndefined()
    expect(echo.headers['x-keep']).toBe('yes')
    expect(echo.headers.host).toBe(`localhost:${target.port}`)
  })

  it('keeps credentials on a same-origin redirect', async () => {
    const answer = await callProxy(pigeon.url, { method: 'GET', url: redirectTo('/echo', 302), headers: [['Authorization', 'Bearer secret']] })
    expect(echoOf(answer).headers.authorization).toBe('Bearer secret')
  })

  it('refuses to follow a redirect to a non-http URL', async () => {
    const answer = await callProxy(pigeon.url, { method: 'GET', url: redirectTo('file:///etc/passwd', 302) })
    expect(answer.error!.error).toBe('invalid_url')
    expect(answer.error!.message).toMatch(/Turn off "Follow redirects"/)
  })
})
