/**
 * The server's half of the /api/proxy wire format (docs/proxy.md): the
 * contract itself is src/domain/proxyWire.ts, shared with the app; here the
 * request payload is split and validated, and the response head encoded.
 */
import type { z } from 'zod'
import { type ProxyRequestMeta, type ProxyResponseMeta, ProxyRequestMetaSchema } from '../../../src/domain/proxyWire.js'
import { HttpError } from '../http/respond.js'

export { PROXY_REQUEST_TYPE, PROXY_RESPONSE_TYPE } from '../../../src/domain/proxyWire.js'
export type { ProxyRequestMeta, ProxyResponseMeta, ProxyTimings } from '../../../src/domain/proxyWire.js'

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
  const parsed = ProxyRequestMetaSchema.safeParse(json)
  if (!parsed.success)
    throw new HttpError(400, `The proxy request is not valid (${parsed.error.issues.slice(0, 3).map(describeIssue).join('; ')}). See docs/proxy.md.`, 'bad_request')
  return { meta: parsed.data, body: newline === -1 ? null : payload.subarray(newline + 1) }
}

/** The metadata line that starts a proxied response. */
export function encodeResponseHead(meta: ProxyResponseMeta): Buffer {
  return Buffer.from(`${JSON.stringify(meta)}\n`, 'utf8')
}
