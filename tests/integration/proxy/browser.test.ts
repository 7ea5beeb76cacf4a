/**
 * The agents in Debian's Chromium, where CORS, offline and same-origin rules
 * are real: a page served by the Pigeon server loads src/agents and sends to
 * target servers on another origin.
 */
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PreparedRequest } from '../../../src/domain/prepared'
import type { Device } from '../../e2e/support/browser'
import { openDevice } from '../../e2e/support/browser'
import type { PigeonServer } from '../../support/pigeonServer'
import { startPigeonServer } from '../../support/pigeonServer'
import type { TargetServer } from '../../support/targetServer'
import { startTargetServer } from '../../support/targetServer'
import { buildAgentsPage } from './agentsBundle'
import { aRequest } from './proxyClient'

type Outcome =
  | { ok: true, status: number, statusText: string, agent: string, body: string, size: number, timeMs: number, headers: Array<[string, string]>, timings?: Record<string, number | undefined> }
  | { ok: false, kind: string, message: string }

let pigeon: PigeonServer
let withCors: TargetServer
let withoutCors: TargetServer
let device: Device
let staticDir: string

beforeAll(async () => {
  staticDir = await buildAgentsPage()
  ;[pigeon, withCors, withoutCors, device] = await Promise.all([
    startPigeonServer({ env: { STATIC_DIR: staticDir } }),
    startTargetServer({ cors: true }),
    startTargetServer(),
    openDevice(),
  ])
  await device.page.goto(pigeon.url)
  await device.page.waitForFunction(() => 'PigeonAgents' in window)
})
afterAll(async () => {
  await Promise.all([device?.close(), pigeon?.stop(), withCors?.close(), withoutCors?.close()])
  if (staticDir)
    rmSync(staticDir, { recursive: true, force: true })
})

/** Sends from inside the page, with a file "notes" on the device, and reports what the user would see. */
function sendInPage(prepared: PreparedRequest, agent: 'auto' | 'browser' | 'server', cancelAfterMs?: number): Promise<Outcome> {
  return device.page.evaluate(async ({ prepared, agent, cancelAfterMs }) => {
    const agents = (window as unknown as { PigeonAgents: typeof import('../../../src/agents/send') }).PigeonAgents
    const files: Record<string, Blob> = { notes: new Blob(['hello from a file'], { type: 'text/plain' }) }
    const controller = new AbortController()
    if (cancelAfterMs !== undefined)
      setTimeout(() => controller.abort(), cancelAfterMs)
    try {
      const response = await agents.send(prepared, { agent, signal: controller.signal, readFile: async id => files[id] })
      const { status, statusText, agent: usedAgent, size, timeMs, headers, timings } = response
      return { ok: true as const, status, statusText, agent: usedAgent, body: new TextDecoder().decode(response.body), size, timeMs, headers, timings }
    }
    catch (err) {
      return { ok: false as const, kind: (err as { kind: string }).kind, message: (err as Error).message }
    }
  }, { prepared, agent, cancelAfterMs })
}

describe('the Browser agent in Chromium', () => {
  it('sends a cross-origin PUT with a custom header to a target that allows CORS', async () => {
    const outcome = await sendInPage(aRequest({ method: 'PUT', url: `${withCors.url}/echo`, headers: [['X-Trace', 'abc'], ['Content-Type', 'text/plain']], body: { kind: 'text', text: 'hello' } }), 'browser')
    expect(outcome.ok).toBe(true)
    if (!outcome.ok)
      return
    const echo = JSON.parse(outcome.body) as { method: string, body: string, headers: Record<string, string> }
    expect(outcome.agent).toBe('browser')
    expect(echo.method).toBe('PUT')
    expect(echo.body).toBe('hello')
    expect(echo.headers['x-trace']).toBe('abc')
    expect(outcome.timeMs).toBeGreaterThan(0)
  })

  it('reports timings and the compressed size when the target allows it (Timing-Allow-Origin)', async () => {
    const outcome = await sendInPage(aRequest({ url: `${withCors.url}/gzip` }), 'browser')
    expect(outcome.ok).toBe(true)
    if (!outcome.ok)
      return
    expect(JSON.parse(outcome.body)).toMatchObject({ gzipped: true })
    // The size on the wire is the gzip stream's, not the decoded JSON's.
    const declared = Number(outcome.headers.find(([name]) => name === 'content-length')?.[1])
    expect(outcome.size).toBe(declared)
    expect(outcome.size).not.toBe(outcome.body.length)
    expect(outcome.timings?.firstByte).toBeGreaterThanOrEqual(0)
  })

  it('shows a redirect it was told not to follow as not followed', async () => {
    const outcome = await sendInPage(aRequest({ url: `${withCors.url}/redirect/1`, followRedirects: false }), 'browser')
    expect(outcome.ok && outcome.status).toBe(0)
    expect(outcome.ok && outcome.statusText).toMatch(/^Redirect not followed/)
  })

  it('sends a multipart form with a file from the device', async () => {
    const outcome = await sendInPage(aRequest({
      method: 'POST',
      url: `${withCors.url}/echo`,
      headers: [['Content-Type', 'multipart/form-data']],
      body: { kind: 'formdata', parts: [{ kind: 'text', name: 'a', value: '1' }, { kind: 'file', name: 'notes', blobId: 'notes', fileName: 'notes.txt' }] },
    }), 'browser')
    expect(outcome.ok).toBe(true)
    if (!outcome.ok)
      return
    const echo = JSON.parse(outcome.body) as { body: string, contentType: string }
    expect(echo.contentType).toMatch(/^multipart\/form-data; boundary=/)
    expect(echo.body).toContain('filename="notes.txt"\r\nContent-Type: text/plain\r\n\r\nhello from a file')
  })

  it('says the browser blocked a target without CORS and suggests the Server agent', async () => {
    const outcome = await sendInPage(aRequest({ url: `${withoutCors.url}/json` }), 'browser')
    expect(outcome).toEqual({
      ok: false,
      kind: 'cors',
      message: `The browser blocked the request to 127.0.0.1:${withoutCors.port} or could not reach it. The server may not allow cross-origin requests (CORS), or it may be down. Switch to the Server agent in Settings to send it without CORS, and check that the URL is right.`,
    })
  })

  it('says the user is offline when the browser is', async () => {
    await device.context.setOffline(true)
    try {
      const outcome = await sendInPage(aRequest({ url: `${withCors.url}/json` }), 'browser')
      expect(outcome).toEqual({ ok: false, kind: 'offline', message: 'You are offline, so the request could not be sent. Reconnect and send it again.' })
    }
    finally {
      await device.context.setOffline(false)
    }
  })

  it('is cancelled by the user', async () => {
    const outcome = await sendInPage(aRequest({ url: `${withCors.url}/delay/3000` }), 'browser', 50)
    expect(outcome).toEqual({ ok: false, kind: 'aborted', message: 'The request was cancelled.' })
  })
})

describe('the Server agent in Chromium', () => {
  it('reaches a target without CORS through the same-origin proxy, Set-Cookie included', async () => {
    const outcome = await sendInPage(aRequest({ url: `${withoutCors.url}/set-cookie` }), 'server')
    expect(outcome.ok).toBe(true)
    if (!outcome.ok)
      return
    expect(outcome.agent).toBe('server')
    expect(outcome.status).toBe(200)
    expect(outcome.headers.filter(([name]) => name.toLowerCase() === 'set-cookie')).toHaveLength(3)
  })

  it('is what Auto picks when the page comes from a Pigeon server', async () => {
    const outcome = await sendInPage(aRequest({ url: `${withoutCors.url}/json` }), 'auto')
    expect(outcome.ok && outcome.agent).toBe('server')
  })

  it('is cancelled by the user too', async () => {
    const outcome = await sendInPage(aRequest({ url: `${withoutCors.url}/delay/3000` }), 'server', 100)
    expect(outcome).toEqual({ ok: false, kind: 'aborted', message: 'The request was cancelled.' })
  })
})
