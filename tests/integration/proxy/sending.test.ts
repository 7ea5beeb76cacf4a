import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PigeonServer } from '../../support/pigeonServer'
import { startPigeonServer } from '../../support/pigeonServer'
import type { TargetServer } from '../../support/targetServer'
import { SAMPLE_JSON, startTargetServer, TINY_PNG } from '../../support/targetServer'
import { callProxy, echoOf, headerPairs, text } from './proxyClient'

let pigeon: PigeonServer
let target: TargetServer

beforeAll(async () => {
  ;[pigeon, target] = await Promise.all([startPigeonServer(), startTargetServer()])
})
afterAll(async () => {
  await Promise.all([pigeon?.stop(), target?.close()])
})

describe('the server proxy sends requests for the user', () => {
  it('sends a GET and sees the JSON body, status and headers', async () => {
    const answer = await callProxy(pigeon.url, { method: 'GET', url: `${target.url}/json` })
    expect(answer.httpStatus).toBe(200)
    expect(answer.meta!.status).toBe(200)
    expect(answer.meta!.statusText).toBe('OK')
    expect(answer.meta!.url).toBe(`${target.url}/json`)
    expect(answer.meta!.headers).toContainEqual(['content-type', 'application/json; charset=utf-8'])
    expect(JSON.parse(text(answer))).toEqual(SAMPLE_JSON)
    expect(answer.meta!.size).toBe(answer.body.length)
  })

  it.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND'])('sends a %s request with that method', async (method) => {
    const answer = await callProxy(pigeon.url, { method, url: `${target.url}/echo/path?q=1&q=2` })
    expect(answer.meta!.status).toBe(200)
    const echo = echoOf(answer)
    expect(echo.method).toBe(method)
    expect(echo.path).toBe('/echo/path')
    expect(echo.query).toEqual({ q: ['1', '2'] })
  })

  it('sends a HEAD request and gets headers without a body', async () => {
    const answer = await callProxy(pigeon.url, { method: 'HEAD', url: `${target.url}/echo` })
    expect(answer.meta!.status).toBe(200)
    expect(answer.meta!.headers.find(([name]) => name === 'content-length')?.[1]).not.toBe('0')
    expect(answer.body.length).toBe(0)
  })

  it('sends a raw JSON body with its content type', async () => {
    const json = JSON.stringify({ hello: 'wörld' })
    const answer = await callProxy(pigeon.url, { method: 'POST', url: `${target.url}/echo`, headers: [['Content-Type', 'application/json']] }, json)
    const echo = echoOf(answer)
    expect(echo.body).toBe(json)
    expect(echo.contentType).toBe('application/json')
    expect(echo.headers['content-length']).toBe(String(Buffer.byteLength(json)))
  })

  it('sends an urlencoded body as written', async () => {
    const form = 'name=Pigeon&tags=a%20b&tags=c'
    const answer = await callProxy(pigeon.url, { method: 'POST', url: `${target.url}/echo`, headers: [['Content-Type', 'application/x-www-form-urlencoded']] }, form)
    expect(echoOf(answer).body).toBe(form)
  })

  it('sends a multipart body byte for byte', async () => {
    const boundary = '----pigeon42'
    const multipart = `--${boundary}\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--${boundary}--\r\n`
    const answer = await callProxy(pigeon.url, { method: 'POST', url: `${target.url}/echo`, headers: [['Content-Type', `multipart/form-data; boundary=${boundary}`]] }, multipart)
    const echo = echoOf(answer)
    expect(echo.body).toBe(multipart)
    expect(echo.contentType).toBe(`multipart/form-data; boundary=${boundary}`)
  })

  it('sends a binary body unchanged, every byte value included', async () => {
    const bytes = new Uint8Array(256).map((_, i) => i)
    const answer = await callProxy(pigeon.url, { method: 'PUT', url: `${target.url}/echo`, headers: [['Content-Type', 'application/octet-stream']] }, bytes)
    expect(Buffer.from(echoOf(answer).bodyBase64, 'base64')).toEqual(Buffer.from(bytes))
  })

  it('sends an empty body with Content-Length 0 on a POST', async () => {
    const answer = await callProxy(pigeon.url, { method: 'POST', url: `${target.url}/echo` })
    const echo = echoOf(answer)
    expect(echo.headers['content-length']).toBe('0')
    expect(echo.headers['transfer-encoding']).toBeUndefined()
  })

  it('sends headers in the user\'s order, repeated names kept, Host first', async () => {
    const headers = [['X-First', '1'], ['X-Repeat', 'a'], ['Accept', 'application/json'], ['X-Repeat', 'b'], ['x-last', 'z']]
    const answer = await callProxy(pigeon.url, { method: 'GET', url: `${target.url}/echo`, headers })
    const sent = headerPairs(echoOf(answer).rawHeaders)
    expect(sent[0]).toEqual(['Host', `127.0.0.1:${target.port}`])
    const userSent = sent.filter(([name]) => headers.some(([n]) => n === name))
    expect(userSent).toEqual(headers)
    // Defaults only fill what the user did not set.
    expect(sent.filter(([name]) => name.toLowerCase() === 'accept')).toEqual([['Accept', 'application/json']])
    expect(sent).toContainEqual(['User-Agent', 'Pigeon/0.1'])
  })

  it('keeps repeated response headers such as Set-Cookie apart', async () => {
    const answer = await callProxy(pigeon.url, { method: 'GET', url: `${target.url}/set-cookie` })
    const cookies = answer.meta!.headers.filter(([name]) => name.toLowerCase() === 'set-cookie').map(([, value]) => value)
    expect(cookies).toEqual(['session=abc123; Path=/; HttpOnly', 'theme=dark; Max-Age=3600', 'lang=en; Path=/; SameSite=Lax'])
  })

  it('decodes a gzip body and reports the compressed size', async () => {
    const answer = await callProxy(pigeon.url, { method: 'GET', url: `${target.url}/gzip` })
    expect(JSON.parse(text(answer))).toEqual({ ...SAMPLE_JSON, gzipped: true })
    expect(answer.meta!.headers).toContainEqual(['content-encoding', 'gzip'])
    expect(answer.meta!.size).toBeLessThan(answer.body.length + 40)
    expect(answer.meta!.size).toBe(Number(answer.meta!.headers.find(([name]) => name === 'content-length')![1]))
  })

  it('returns an image\'s bytes untouched', async () => {
    const answer = await callProxy(pigeon.url, { method: 'GET', url: `${target.url}/image.png` })
    expect(Buffer.from(answer.body)).toEqual(TINY_PNG)
  })

  it('passes the target\'s error statuses through as responses', async () => {
    const answer = await callProxy(pigeon.url, { method: 'GET', url: `${target.url}/status/418` })
    expect(answer.httpStatus).toBe(200)
    expect(answer.meta!.status).toBe(418)
    expect(text(answer)).toBe('status 418')
  })

  it('reports a timing breakdown for the exchange', async () => {
    const answer = await callProxy(pigeon.url, { method: 'GET', url: `http://localhost:${target.port}/delay/30` })
    const timings = answer.meta!.timings
    expect(timings.dns).toBeGreaterThanOrEqual(0)
    expect(timings.connect).toBeGreaterThanOrEqual(0)
    expect(timings.tls).toBeUndefined()
    expect(timings.firstByte).toBeGreaterThanOrEqual(25)
    expect(timings.download).toBeGreaterThanOrEqual(0)
    expect(timings.total).toBeGreaterThanOrEqual(timings.firstByte!)
  })

  it('downloads a large body in full', async () => {
    const answer = await callProxy(pigeon.url, { method: 'GET', url: `${target.url}/bytes/${5 * 1024 * 1024}` })
    expect(answer.body.length).toBe(5 * 1024 * 1024)
    expect(answer.meta!.size).toBe(5 * 1024 * 1024)
  })
})
