import { createServer } from 'node:http'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { forgetServerProbes, isServerAgentUsable } from '../../../src/agents/autoAgent'
import { send } from '../../../src/agents/send'
import { ServerAgentUnavailableError } from '../../../src/agents/serverAgent'
import type { PreparedRequest } from '../../../src/domain/prepared'
import { SendError } from '../../../src/domain/prepared'
import type { PigeonServer } from '../../support/pigeonServer'
import { startPigeonServer } from '../../support/pigeonServer'
import type { TargetServer } from '../../support/targetServer'
import { startTargetServer, TINY_PNG } from '../../support/targetServer'
import { aRequest, echoOf } from './proxyClient'

let pigeon: PigeonServer
let target: TargetServer

/** The device's blob store, as the agents see it. */
const blobs = new Map<string, Blob>([
  ['png', new Blob([TINY_PNG], { type: 'image/png' })],
  ['notes', new Blob(['line one\nline two'], { type: 'text/plain' })],
])
const readFile = async (blobId: string): Promise<Blob | undefined> => blobs.get(blobId)

beforeAll(async () => {
  ;[pigeon, target] = await Promise.all([startPigeonServer(), startTargetServer({ cors: true })])
})
afterAll(async () => {
  await Promise.all([pigeon?.stop(), target?.close()])
})
beforeEach(() => forgetServerProbes())

function viaServer(prepared: PreparedRequest, signal?: AbortSignal) {
  return send(prepared, { agent: 'server', readFile, baseUrl: pigeon.url, signal })
}

async function sendError(promise: Promise<unknown>): Promise<SendError> {
  const err = await promise.then(() => undefined, (e: unknown) => e)
  expect(err).toBeInstanceOf(SendError)
  return err as SendError
}

describe('the Server agent, from the app to the real proxy', () => {
  it('sends a request and returns status, headers, body, size and timings', async () => {
    const response = await viaServer(aRequest({ url: `${target.url}/json` }))
    expect(response.agent).toBe('server')
    expect(response.status).toBe(200)
    expect(JSON.parse(new TextDecoder().decode(response.body))).toMatchObject({ name: 'Pigeon' })
    expect(response.size).toBe(response.body.length)
    expect(response.timeMs).toBeGreaterThan(0)
    expect(response.timings?.firstByte).toBeGreaterThanOrEqual(0)
    expect(response.url).toBe(`${target.url}/json`)
  })

  it('encodes a multipart form with text and file parts, boundary included', async () => {
    const response = await viaServer(aRequest({
      method: 'POST',
      url: `${target.url}/echo`,
      headers: [['Content-Type', 'multipart/form-data']],
      body: {
        kind: 'formdata',
        parts: [
          { kind: 'text', name: 'title', value: 'Hello' },
          { kind: 'text', name: 'meta', value: '{"a":1}', contentType: 'application/json' },
          { kind: 'file', name: 'avatar', blobId: 'png', fileName: 'avatar.png' },
        ],
      },
    }))
    const echo = echoOf(response)
    const boundary = /boundary=(.+)$/.exec(echo.contentType ?? '')?.[1]
    expect(boundary).toBeTruthy()
    expect(echo.body).toContain(`--${boundary}`)
    expect(echo.body).toContain('name="title"\r\n\r\nHello')
    expect(echo.body).toMatch(/name="meta"[^\r]*\r\nContent-Type: application\/json\r\n\r\n\{"a":1\}/)
    expect(echo.body).toContain('name="avatar"; filename="avatar.png"\r\nContent-Type: image/png')
    expect(Buffer.from(echo.bodyBase64, 'base64').includes(TINY_PNG)).toBe(true)
  })

  it('sends a binary file as the body with the file\'s type', async () => {
    const response = await viaServer(aRequest({ method: 'PUT', url: `${target.url}/echo`, body: { kind: 'binary', blobId: 'png', name: 'avatar.png' } }))
    const echo = echoOf(response)
    expect(Buffer.from(echo.bodyBase64, 'base64')).toEqual(TINY_PNG)
    expect(echo.contentType).toBe('image/png')
  })

  it('sends text bodies as UTF-8', async () => {
    const response = await viaServer(aRequest({ method: 'POST', url: `${target.url}/echo`, headers: [['Content-Type', 'text/plain; charset=utf-8']], body: { kind: 'text', text: 'Grüße 🐦' } }))
    expect(echoOf(response).body).toBe('Grüße 🐦')
  })

  it('says a file is missing from this device instead of sending half a request', async () => {
    const err = await sendError(viaServer(aRequest({ method: 'PUT', url: `${target.url}/echo`, body: { kind: 'binary', blobId: 'gone', name: 'report.pdf' } })))
    expect(err.message).toBe('The file "report.pdf" is no longer on this device. Choose it again in the Body tab and send the request again.')
  })

  it('turns the proxy\'s error kinds into SendErrors with the proxy\'s sentence', async () => {
    const dns = await sendError(viaServer(aRequest({ url: 'http://nowhere.invalid/' })))
    expect(dns.kind).toBe('dns')
    expect(dns.message).toMatch(/^Could not find host nowhere\.invalid\./)
    const timeout = await sendError(viaServer(aRequest({ url: `${target.url}/delay/3000`, timeoutMs: 200 })))
    expect(timeout.kind).toBe('timeout')
    const redirects = await sendError(viaServer(aRequest({ url: `${target.url}/redirect/3`, maxRedirects: 1 })))
    expect(redirects.kind).toBe('redirects')
  })

  it('rejects an invalid URL without asking the server', async () => {
    const err = await sendError(send(aRequest({ url: 'not a url' }), { agent: 'server', readFile, baseUrl: 'http://127.0.0.1:9' }))
    expect(err.kind).toBe('invalid_url')
    expect(err.message).toBe('"not a url" is not a valid URL. It should start with http:// or https://, like https://example.com/path.')
  })

  it('cancels: the app gets "cancelled" and the proxy drops the upstream request', async () => {
    let upstreamClosed: () => void = () => {}
    const closed = new Promise<void>((resolve) => { upstreamClosed = resolve })
    let arrived: () => void = () => {}
    const reached = new Promise<void>((resolve) => { arrived = resolve })
    // A target that never answers, and notices when the proxy hangs up on it.
    const hanging = createServer((req) => {
      arrived()
      req.socket.on('close', () => upstreamClosed())
    })
    await new Promise<void>(resolve => hanging.listen(0, '127.0.0.1', () => resolve()))
    try {
      const controller = new AbortController()
      const pending = sendError(viaServer(aRequest({ url: `http://127.0.0.1:${(hanging.address() as { port: number }).port}/` }), controller.signal))
      await reached
      controller.abort()
      const err = await pending
      expect(err.kind).toBe('aborted')
      await closed
    }
    finally {
      hanging.closeAllConnections()
      await new Promise<void>(resolve => hanging.close(() => resolve()))
    }
  })

  it('says the Pigeon server cannot be reached when it is not running', async () => {
    const err = await sendError(send(aRequest({ url: `${target.url}/json` }), { agent: 'server', readFile, baseUrl: 'http://127.0.0.1:9' }))
    expect(err).toBeInstanceOf(ServerAgentUnavailableError)
    expect(err.message).toBe('Could not reach the Pigeon server to send this request. Check that it is running, or switch to the Browser agent in Settings.')
  })
})

describe('the Browser agent, with fetch from here', () => {
  it('sends a request and returns the response', async () => {
    const response = await send(aRequest({ method: 'PATCH', url: `${target.url}/echo`, headers: [['X-Trace', '1']], body: { kind: 'text', text: 'hi' } }), { agent: 'browser', readFile })
    expect(response.agent).toBe('browser')
    const echo = echoOf(response)
    expect(echo.method).toBe('PATCH')
    expect(echo.body).toBe('hi')
    expect(echo.headers['x-trace']).toBe('1')
  })

  it('sends multipart through FormData with the browser\'s boundary', async () => {
    const response = await send(aRequest({
      method: 'POST',
      url: `${target.url}/echo`,
      headers: [['Content-Type', 'multipart/form-data']],
      body: { kind: 'formdata', parts: [{ kind: 'file', name: 'notes', blobId: 'notes', fileName: 'notes.txt' }] },
    }), { agent: 'browser', readFile })
    const echo = echoOf(response)
    expect(echo.contentType).toMatch(/^multipart\/form-data; boundary=/)
    expect(echo.body).toContain('filename="notes.txt"\r\nContent-Type: text/plain\r\n\r\nline one\nline two')
  })

  it('times out after the request\'s timeout', async () => {
    const err = await sendError(send(aRequest({ url: `${target.url}/delay/3000`, timeoutMs: 200 }), { agent: 'browser', readFile }))
    expect(err.kind).toBe('timeout')
    expect(err.message).toBe(`127.0.0.1:${target.port} did not answer within 200 ms. Try again, or raise the request timeout in Settings.`)
  })

  it('is cancelled by the user\'s signal', async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    const err = await sendError(send(aRequest({ url: `${target.url}/delay/3000` }), { agent: 'browser', readFile, signal: controller.signal }))
    expect(err.kind).toBe('aborted')
  })

  it('refuses a body on GET with a sentence that points to the Server agent', async () => {
    const err = await sendError(send(aRequest({ url: `${target.url}/echo`, body: { kind: 'text', text: 'x' } }), { agent: 'browser', readFile }))
    expect(err.message).toMatch(/switch to the Server agent in Settings\.$/)
  })
})

describe('the Auto agent', () => {
  it('uses the server when a Pigeon server answers /healthz', async () => {
    expect(await isServerAgentUsable(pigeon.url)).toBe(true)
    const response = await send(aRequest({ url: `${target.url}/json` }), { agent: 'auto', readFile, baseUrl: pigeon.url })
    expect(response.agent).toBe('server')
  })

  it('uses the browser when no Pigeon server is there', async () => {
    // The target answers /healthz with 404: a host that is not Pigeon.
    expect(await isServerAgentUsable(target.url)).toBe(false)
    const response = await send(aRequest({ url: `${target.url}/json` }), { agent: 'auto', readFile, baseUrl: target.url })
    expect(response.agent).toBe('browser')
    expect(response.status).toBe(200)
  })
})
