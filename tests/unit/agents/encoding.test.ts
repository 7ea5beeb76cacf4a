import { describe, expect, it } from 'vitest'
import { decodeProxyResponse, encodeProxyRequest } from '../../../src/agents/proxyWire'
import { readLimited } from '../../../src/agents/readLimited'
import { encodeBody, withEncodedContentType } from '../../../src/agents/requestBody'
import { sendSignal } from '../../../src/agents/signals'
import { targetUrl } from '../../../src/agents/browserAgent'
import { SendError } from '../../../src/domain/prepared'

const files = new Map<string, Blob>([['doc', new Blob(['%PDF-1.7 bytes'], { type: 'application/pdf' })]])
const readFile = async (id: string) => files.get(id)

const meta = { method: 'POST', url: 'https://example.com/x', headers: [['A', '1']] as Array<[string, string]>, timeoutMs: 1000, followRedirects: true, maxRedirects: 5 }

describe('encoding a request for the proxy', () => {
  it('writes the metadata line, a newline and the raw body bytes', async () => {
    const body = new Uint8Array([0, 10, 255, 10])
    const payload = new Uint8Array(await encodeProxyRequest(meta, body).arrayBuffer())
    const newline = payload.indexOf(10)
    expect(JSON.parse(new TextDecoder().decode(payload.subarray(0, newline)))).toEqual(meta)
    expect([...payload.subarray(newline + 1)]).toEqual([0, 10, 255, 10])
  })

  it('writes no newline at all when there is no body', async () => {
    const payload = await encodeProxyRequest(meta, null).text()
    expect(payload).toBe(JSON.stringify(meta))
  })

  it('reads the proxy\'s answer back into metadata and a body of its own', () => {
    const head = { status: 201, statusText: 'Created', headers: [], url: 'https://example.com', redirects: 0, size: 3, timings: { total: 5 } }
    const payload = new Uint8Array([...new TextEncoder().encode(`${JSON.stringify(head)}\n`), 1, 10, 3])
    const { meta: decoded, body } = decodeProxyResponse(payload)
    expect(decoded).toEqual(head)
    expect([...body]).toEqual([1, 10, 3])
    expect(body.buffer.byteLength).toBe(3)
  })
})

describe('encoding request bodies as bytes', () => {
  it('encodes text as UTF-8 and "none" as no body at all', async () => {
    expect([...(await encodeBody({ kind: 'text', text: 'é' }, readFile)).bytes!]).toEqual([0xC3, 0xA9])
    expect((await encodeBody({ kind: 'none' }, readFile)).bytes).toBeNull()
  })

  it('encodes a form the way a browser would, boundary in the content type', async () => {
    const encoded = await encodeBody({ kind: 'formdata', parts: [{ kind: 'text', name: 'a', value: '1' }, { kind: 'file', name: 'f', blobId: 'doc', fileName: 'doc.pdf' }] }, readFile)
    const boundary = /boundary=(.+)$/.exec(encoded.contentType!)![1]
    const text = new TextDecoder().decode(encoded.bytes!)
    expect(text.startsWith(`--${boundary}\r\n`)).toBe(true)
    expect(text).toContain('Content-Disposition: form-data; name="f"; filename="doc.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7 bytes')
    expect(text.trimEnd().endsWith(`--${boundary}--`)).toBe(true)
  })

  it('replaces a bare multipart Content-Type with the one that has the boundary', () => {
    const headers: Array<[string, string]> = [['Content-Type', 'multipart/form-data'], ['X-A', '1']]
    expect(withEncodedContentType(headers, { kind: 'formdata', parts: [] }, 'multipart/form-data; boundary=xyz')).toEqual([['X-A', '1'], ['Content-Type', 'multipart/form-data; boundary=xyz']])
  })

  it('uses a file\'s type for a binary body only when the user set none', () => {
    const body = { kind: 'binary' as const, blobId: 'doc', name: 'doc.pdf' }
    expect(withEncodedContentType([], body, 'application/pdf')).toEqual([['Content-Type', 'application/pdf']])
    expect(withEncodedContentType([['content-type', 'application/octet-stream']], body, 'application/pdf')).toEqual([['content-type', 'application/octet-stream']])
  })

  it('says which file is missing', async () => {
    const err = await encodeBody({ kind: 'binary', blobId: 'nope', name: 'photo.jpg' }, readFile).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SendError)
    expect((err as SendError).message).toContain('"photo.jpg" is no longer on this device')
  })
})

describe('limits and signals', () => {
  it('stops reading a response past the limit', async () => {
    const err = await readLimited(new Response(new Uint8Array(2048)), 1024).catch((e: unknown) => e)
    expect((err as SendError).kind).toBe('too_large')
    expect([...await readLimited(new Response(new Uint8Array([1, 2, 3])), 1024)]).toEqual([1, 2, 3])
  })

  it('tells a timeout from a cancel', async () => {
    const timed = sendSignal(10)
    await new Promise(resolve => setTimeout(resolve, 30))
    expect(timed.signal.aborted && timed.timedOut() && !timed.cancelled()).toBe(true)

    const user = new AbortController()
    const cancelled = sendSignal(10_000, user.signal)
    user.abort()
    expect(cancelled.signal.aborted && cancelled.cancelled() && !cancelled.timedOut()).toBe(true)
    cancelled.dispose()
  })

  it('never times out when the timeout is 0', async () => {
    const open = sendSignal(0)
    await new Promise(resolve => setTimeout(resolve, 20))
    expect(open.signal.aborted).toBe(false)
    open.dispose()
  })

  it('accepts http and https URLs only', () => {
    expect(targetUrl('https://example.com/a?b=1').host).toBe('example.com')
    expect(() => targetUrl('example.com')).toThrow(SendError)
    expect(() => targetUrl('javascript:alert(1)')).toThrow(/http:\/\/ and https:\/\//)
  })
})
