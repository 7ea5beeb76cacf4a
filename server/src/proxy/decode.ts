/**
 * Content decoding of a response body (gzip, deflate, br), so the user sees
 * the JSON rather than compressed bytes. The decoded size is capped too: a
 * tiny compressed body must not expand into gigabytes.
 */
import { promisify } from 'node:util'
import { brotliDecompress, gunzip, inflate, inflateRaw } from 'node:zlib'
import { tooLargeError } from './errors.js'

const decoders: Record<string, (input: Buffer, options: { maxOutputLength: number }) => Promise<Buffer>> = {
  'gzip': promisify(gunzip),
  'x-gzip': promisify(gunzip),
  'br': promisify(brotliDecompress),
  // "deflate" should be zlib-wrapped, but some servers send raw deflate.
  'deflate': async (input, options) => promisify(inflate)(input, options).catch(() => promisify(inflateRaw)(input, options)),
}

/**
 * Undoes the Content-Encoding list (last applied first). Unknown encodings
 * and bodies that fail to decode are returned as received.
 */
export async function decodeBody(body: Buffer, contentEncoding: string | undefined, maxBytes: number): Promise<Buffer> {
  if (!contentEncoding || body.length === 0)
    return body
  const encodings = contentEncoding.split(',').map(e => e.trim().toLowerCase()).filter(e => e && e !== 'identity').reverse()
  let decoded = body
  for (const encoding of encodings) {
    const decode = decoders[encoding]
    if (!decode)
      return body
    try {
      decoded = await decode(decoded, { maxOutputLength: maxBytes })
    }
    catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
        throw tooLargeError(maxBytes)
      return body
    }
  }
  return decoded
}
