/**
 * The /api/proxy wire format (docs/proxy.md). Both directions are one JSON
 * line of metadata, a newline, then the raw body bytes, so a 50 MiB body
 * travels as bytes, not base64. JSON never contains a raw newline, so the
 * first "\n" always ends the metadata.
 */
import { z } from 'zod'
import { HttpError } from '../http/respond.js'

export const PROXY_REQUEST_TYPE = 'application/vnd.pigeon.proxy-request'
export const PROXY_RESPONSE_TYPE = 'application/vnd.pigeon.proxy-response'

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
// Header values may hold any visible byte and tabs, never CR, LF or NUL (request smuggling).
const HEADER_VALUE = /^[^\r\n\0]*$/

const HeaderPair = z.tuple([
  z.string().regex(TOKEN, 'a header name may only hold letters, digits and !#$%&\'*+.^_`|~-'),
  z.string().regex(HEADER_VALUE, 'a header value may not hold line breaks'),
])

export const ProxyRequestMeta = z.object({
  method: z.string().regex(TOKEN, 'the method must be one word like GET or PROPFIND').max(64),
  url: z.string().min(1).max(64 * 1024),
  headers: z.array(HeaderPair).max(1000).default([]),
  timeoutMs: z.number().int().positive().max(24 * 3600 * 1000).optional(),
  followRedirects: z.boolean().default(true),
  maxRedirects: z.number().int().min(0).max(1000).optional(),
})
export type ProxyRequestMeta = z.infer<typeof ProxyRequestMeta>

export interface ProxyTimings {
  dns?: number
  connect?: number
  tls?: number
  firstByte?: number
  download?: number
  total: number
}

/** The metadata line of a proxied response. */
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
  /** Phases of the last hop and the total over all hops, in ms. */
  timings: ProxyTimings
}

export interface ParsedProxyRequest {
  meta: ProxyRequestMeta
  /** null: send no body; a Buffer (maybe empty): send it with its Content-Length. */
  body: Buffer | null
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? issue.path.join('.') : 'the request'
  return `${where}: ${issue.message}`
}

/** Splits and validates a proxy request payload; throws HttpError 400 with a sentence. */
export function parseProxyRequest(payload: Buffer): ParsedProxyRequest {
  const newline = payload.indexOf(0x0A)
  const metaText = (newline === -1 ? payload : payload.subarray(0, newline)).toString('utf8')
  let json: unknown
  try {
    json = JSON.parse(metaText)
  }
  catch {
    throw new HttpError(400, 'The proxy request must start with a JSON line like {"method":"GET","url":"https://example.com"}. See docs/proxy.md.', 'bad_request')
  }
  const parsed = ProxyRequestMeta.safeParse(json)
  if (!parsed.success)
    throw new HttpError(400, `The proxy request is not valid (${parsed.error.issues.slice(0, 3).map(describeIssue).join('; ')}). See docs/proxy.md.`, 'bad_request')
  return { meta: parsed.data, body: newline === -1 ? null : payload.subarray(newline + 1) }
}

/** The metadata line that starts a proxied response. */
export function encodeResponseHead(meta: ProxyResponseMeta): Buffer {
  return Buffer.from(`${JSON.stringify(meta)}\n`, 'utf8')
}
