import { createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PigeonServer } from '../../support/pigeonServer'
import { startPigeonServer } from '../../support/pigeonServer'
import type { TargetServer } from '../../support/targetServer'
import { startTargetServer } from '../../support/targetServer'
import { closedPort } from '../../support/closedPort'
import { callProxy } from './proxyClient'

let pigeon: PigeonServer
let target: TargetServer

beforeAll(async () => {
  // A small response cap keeps the oversized-response test quick.
  ;[pigeon, target] = await Promise.all([
    startPigeonServer({ env: { PROXY_MAX_RESPONSE_BYTES: String(1024 * 1024) } }),
    startTargetServer(),
  ])
})
afterAll(async () => {
  await Promise.all([pigeon?.stop(), target?.close()])
})

async function stillServes(): Promise<void> {
  const answer = await callProxy(pigeon.url, { method: 'GET', url: `${target.url}/json` })
  expect(answer.meta!.status).toBe(200)
}

describe('when a request cannot be sent, the proxy says why in a sentence', () => {
  it('times out a slow target after the request\'s timeout', async () => {
    const started = Date.now()
    const answer = await callProxy(pigeon.url, { method: 'GET', url: `${target.url}/delay/5000`, timeoutMs: 300 })
    expect(Date.now() - started).toBeLessThan(3000)
    expect(answer.httpStatus).toBe(504)
    expect(answer.error).toEqual({ error: 'timeout', message: '127.0.0.1 did not answer within 300 ms. Try again, or raise the request timeout in Settings.' })
  })

  it('refuses a response larger than the cap, announced by Content-Length', async () => {
    const answer = await callProxy(pigeon.url, { method: 'GET', url: `${target.url}/bytes/${2 * 1024 * 1024}` })
    expect(answer.error!.error).toBe('too_large')
    expect(answer.error!.message).toMatch(/^The response is larger than 1 MiB/)
  })

  it('stops downloading a response past the cap when no Content-Length announced it', async () => {
    const answer = await callProxy(pigeon.url, { method: 'GET', url: `${target.url}/bytes/${3 * 1024 * 1024}?chunked=1` })
    expect(answer.error!.error).toBe('too_large')
  })

  it('accepts a response exactly at the cap', async () => {
    const answer = await callProxy(pigeon.url, { method: 'GET', url: `${target.url}/bytes/${1024 * 1024}` })
    expect(answer.body.length).toBe(1024 * 1024)
  })

  it('refuses to upload a body larger than the cap', async () => {
    const answer = await callProxy(pigeon.url, { method: 'POST', url: `${target.url}/echo` }, new Uint8Array(3 * 1024 * 1024))
    expect(answer.httpStatus).toBe(413)
    expect(answer.error).toEqual({ error: 'too_large', message: 'The request body is larger than 1 MiB, the most the Pigeon server will send. Send a smaller body.' })
  })

  it('reports a refused connection', async () => {
    const port = await closedPort()
    const answer = await callProxy(pigeon.url, { method: 'GET', url: `http://127.0.0.1:${port}/` })
    expect(answer.error).toEqual({ error: 'refused', message: `127.0.0.1 refused the connection on port ${port}. Check that the service is running and listening on that port.` })
  })

  it('reports a host that does not exist', async () => {
    const answer = await callProxy(pigeon.url, { method: 'GET', url: 'http://no-such-host.invalid/' })
    expect(answer.error!.error).toBe('dns')
    expect(answer.error!.message).toMatch(/^Could not find host no-such-host\.invalid\. Check the URL/)
  })

  it('reports a TLS failure when https:// meets a plain-http port', async () => {
    const answer = await callProxy(pigeon.url, { method: 'GET', url: `https://127.0.0.1:${target.port}/json` })
    expect(answer.error!.error).toBe('tls')
    expect(answer.error!.message).toMatch(/^The secure connection to 127\.0\.0\.1 failed/)
  })

  it('reports a target that does not speak HTTP', async () => {
    const notHttp = createServer(socket => socket.on('data', () => socket.end('SSH-2.0-OpenSSH\r\n\r\n')))
    await new Promise<void>(resolve => notHttp.listen(0, '127.0.0.1', () => resolve()))
    try {
      const answer = await callProxy(pigeon.url, { method: 'GET', url: `http://127.0.0.1:${(notHttp.address() as { port: number }).port}/` })
      expect(answer.error!.error).toBe('unknown')
      expect(answer.error!.message).toMatch(/^127\.0\.0\.1 did not answer with valid HTTP \(.+\)\. Check that the URL's scheme/)
    }
    finally {
      await new Promise<void>(resolve => notHttp.close(() => resolve()))
    }
  })

  it('reports an invalid URL and a scheme it cannot send', async () => {
    const invalid = await callProxy(pigeon.url, { method: 'GET', url: 'http//missing-colon' })
    expect(invalid.httpStatus).toBe(400)
    expect(invalid.error).toEqual({ error: 'invalid_url', message: '"http//missing-colon" is not a valid URL. It should look like https://example.com/path.' })
    const ftp = await callProxy(pigeon.url, { method: 'GET', url: 'ftp://example.com/file' })
    expect(ftp.error!.error).toBe('invalid_url')
  })
})

describe('the proxy answers malformed requests with 400 and keeps running', () => {
  it.each([
    ['not JSON at all', 'hello'],
    ['JSON that is not an object', '[1,2,3]'],
    ['a missing URL', JSON.stringify({ method: 'GET' })],
    ['a method with a space', JSON.stringify({ method: 'G ET', url: 'http://example.com' })],
    ['a header value with a line break', JSON.stringify({ method: 'GET', url: 'http://example.com', headers: [['X-Evil', 'a\r\nHost: other']] })],
    ['headers that are not pairs', JSON.stringify({ method: 'GET', url: 'http://example.com', headers: { a: 1 } })],
    ['a negative timeout', JSON.stringify({ method: 'GET', url: 'http://example.com', timeoutMs: -1 })],
  ])('refuses %s', async (_what, meta) => {
    const answer = await callProxy(pigeon.url, meta)
    expect(answer.httpStatus).toBe(400)
    expect(answer.error!.error).toBe('bad_request')
    expect(answer.error!.message).toMatch(/See docs\/proxy\.md\.$/)
    await stillServes()
  })

  it('refuses a request that is not in the proxy format', async () => {
    const answer = await callProxy(pigeon.url, { method: 'GET', url: `${target.url}/json` }, null, { contentType: 'text/plain' })
    expect(answer.httpStatus).toBe(415)
    expect(answer.error!.message).toMatch(/^Send the proxy request as application\/vnd\.pigeon\.proxy-request/)
  })

  it('refuses a GET on /api/proxy with 405', async () => {
    const response = await fetch(`${pigeon.url}/api/proxy`)
    expect(response.status).toBe(405)
  })

  it('keeps running after a caller hangs up mid-request', async () => {
    const controller = new AbortController()
    const abandoned = fetch(`${pigeon.url}/api/proxy`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.pigeon.proxy-request' },
      body: JSON.stringify({ method: 'GET', url: `${target.url}/delay/2000` }),
      signal: controller.signal,
    }).catch(() => 'aborted')
    setTimeout(() => controller.abort(), 100)
    expect(await abandoned).toBe('aborted')
    await stillServes()
  })
})

describe('only Pigeon itself may use its proxy', () => {
  it('refuses a call from another website\'s page with 403 and a sentence', async () => {
    const answer = await callProxy(pigeon.url, { method: 'GET', url: `${target.url}/json` }, null, { headers: { origin: 'https://evil.example' } })
    expect(answer.httpStatus).toBe(403)
    expect(answer.error).toEqual({
      error: 'forbidden_origin',
      message: 'The web page at https://evil.example tried to use this Pigeon server as a proxy; only Pigeon itself may. If that page is your own Pigeon app, add its origin to ALLOWED_ORIGINS.',
    })
  })

  it('accepts a call from its own page', async () => {
    const answer = await callProxy(pigeon.url, { method: 'GET', url: `${target.url}/json` }, null, { headers: { origin: pigeon.url } })
    expect(answer.meta!.status).toBe(200)
  })

  it('refuses a same-origin call that reached it under a foreign name (DNS rebinding)', async () => {
    // fetch does not let a caller set Host, so this goes out over a raw socket.
    const { request } = await import('node:http')
    const answer = await new Promise<{ status: number, body: string }>((resolve, reject) => {
      const req = request(`${pigeon.url}/api/proxy`, {
        method: 'POST',
        headers: { 'host': `rebound.example:${pigeon.port}`, 'origin': `http://rebound.example:${pigeon.port}`, 'content-type': 'application/vnd.pigeon.proxy-request' },
      }, (res) => {
        let body = ''
        res.on('data', (chunk: Buffer) => { body += chunk.toString() })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      })
      req.on('error', reject)
      req.end(JSON.stringify({ method: 'GET', url: `${target.url}/json` }))
    })
    expect(answer.status).toBe(403)
    expect(JSON.parse(answer.body).error).toBe('forbidden_host')
  })
})
