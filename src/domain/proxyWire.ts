/**
 * The /api/proxy wire contract (docs/proxy.md), shared by the app's server
 * agent and the server: both directions are one JSON line of metadata, a
 * newline, then the raw body bytes, so a 50 MiB body travels as bytes, not
 * base64. JSON never contains a raw newline, so the first "\n" always ends
 * the metadata. The server validates the request line with
 * `ProxyRequestMetaSchema`; the app builds it from the same type.
 */
import { z } from 'zod'

export const PROXY_REQUEST_TYPE = 'application/vnd.pigeon.proxy-request'
export const PROXY_RESPONSE_TYPE = 'application/vnd.pigeon.proxy-response'

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
// Header values may hold any visible byte and tabs, never CR, LF or NUL (request smuggling).
const HEADER_VALUE = /^[^\r\n\0]*$/

const HeaderPair = z.tuple([
  z.string().regex(TOKEN, 'a header name may only hold letters, digits and !#$%&\'*+.^_`|~-'),
  z.string().regex(HEADER_VALUE, 'a header value may not hold line breaks'),
])

/** The metadata line of a proxy request; a missing `timeoutMs` means the server's PROXY_TIMEOUT_MS. */
export const ProxyRequestMetaSchema = z.object({
  method: z.string().regex(TOKEN, 'the method must be one word like GET or PROPFIND').max(64),
  url: z.string().min(1).max(64 * 1024),
  headers: z.array(HeaderPair).max(1000).default([]),
  timeoutMs: z.number().int().positive().max(24 * 3600 * 1000).optional(),
  followRedirects: z.boolean().default(true),
  maxRedirects: z.number().int().min(0).max(1000).optional(),
})
export type ProxyRequestMeta = z.infer<typeof ProxyRequestMetaSchema>

/** Phases of the last hop and the total over all hops, in ms. */
export interface ProxyTimings {
  dns?: number
  connect?: number
  tls?: number
  firstByte?: number
  download?: number
  total: number
}

/** The metadata line that starts a proxied response. */
export interface ProxyResponseMeta {
  status: number
  statusText: string
  /** Response headers as received, in order, names as the target wrote them. */
  headers: Array<[string, string]>
  /** Final URL after redirects. */
  url: string
  redirects: number
  /** Body bytes on the wire (before content decoding). */
  size: number
  timings: ProxyTimings
}
