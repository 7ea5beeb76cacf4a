import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { decodeBody } from '../../../server/src/proxy/decode'
import { ProxyError } from '../../../server/src/proxy/errors'

const json = Buffer.from(JSON.stringify({ hello: 'world', list: [1, 2, 3] }))

describe('decoding compressed response bodies', () => {
  it.each([
    ['gzip', gzipSync(json)],
    ['br', brotliCompressSync(json)],
    ['deflate', deflateSync(json)],
    ['deflate', deflateRawSync(json)],
  ])('decodes %s', async (encoding, body) => {
    expect(await decodeBody(body, encoding, 1024)).toEqual(json)
  })

  it('undoes several encodings, last applied first', async () => {
    expect(await decodeBody(brotliCompressSync(gzipSync(json)), 'gzip, br', 1024)).toEqual(json)
  })

  it('keeps bodies it cannot decode as they came', async () => {
    expect(await decodeBody(json, 'gzip', 1024)).toEqual(json)
    expect(await decodeBody(json, 'zstd-someday', 1024)).toEqual(json)
  })

  it('refuses a small body that expands past the cap (a zip bomb)', async () => {
    const bomb = gzipSync(Buffer.alloc(10 * 1024 * 1024))
    expect(bomb.length).toBeLessThan(64 * 1024)
    const err = await decodeBody(bomb, 'gzip', 1024 * 1024).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ProxyError)
    expect((err as ProxyError).kind).toBe('too_large')
  })
})
