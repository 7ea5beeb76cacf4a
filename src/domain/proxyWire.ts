/**
 * The /api/proxy wire contract (docs/proxy.md), shared by the app's server
 * agent and the server: both directions are one JSON line of metadata, a
 * newline, then the raw body bytes, so a 50 MiB body travels as bytes, not
 * base64. JSON never contains a raw newline, so the first "\n" always ends
 * the metadata. The server validates the request line with
 * `ProxyRequestMetaSchema`; the app builds it from the same type.
 */
import { z } from 'zod/mini'
import './schemaIssueWords'

export const PROXY_REQUEST_TYPE = 'application/vnd.pigeon.proxy-request'
export const PROXY_RESPONSE_TYPE = 'application/vnd.pigeon.proxy-response'

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
// Header values may hold any visible byte and tabs, never CR, LF or NUL (request smuggling).
const HEADER_VALUE = /^[^\r\n\0]*$/

const HeaderPair = z.tuple([
  z.string().check(z.regex(TOKEN, 'a header name may only hold letters, digits and !#$%&\'*+.^_`|~-')),
  z.string().check(z.regex(HEADER_VALUE, 'a header value may not hold line breaks')),
])

/** The metadata line of a proxy request; a missing `timeoutMs` means the server's PROXY_TIMEOUT_MS. */
export const ProxyRequestMetaSchema = z.object({
  method: z.string().check(z.regex(TOKEN, 'the method must be one word like GET or PROPFIND'), z.maxLength(64)),
  url: z.string().check(z.minLength(1), z.maxLength(64 * 1024)),
  headers: z._default(z.array(HeaderPair).check(z.maxLength(1000)), []),
  timeoutMs: z.optional(z.int().check(z.positive(), z.maximum(24 * 3600 * 1000))),
  followRedirects: z._default(z.boolean(), true),
  maxRedirects: z.optional(z.int().check(z.minimum(0), z.maximum(1000))),
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
