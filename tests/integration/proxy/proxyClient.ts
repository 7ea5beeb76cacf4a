/**
 * Test helpers that talk to /api/proxy the way the Server agent does, but
 * raw, so tests can also send what a broken or hostile client would send.
 */
import type { PreparedRequest } from '../../../src/domain/prepared'
import type { ProxyResponseMeta } from '../../../src/agents/proxyWire'
import { decodeProxyResponse, PROXY_REQUEST_TYPE, PROXY_RESPONSE_TYPE } from '../../../src/agents/proxyWire'
import type { EchoBody } from '../../support/targetServer'

export interface ProxyAnswer {
  /** The proxy's own HTTP status (200 when it reached the target). */
  httpStatus: number
  meta?: ProxyResponseMeta
  body: Uint8Array
  error?: { error: string, message: string }
}

export interface CallOptions {
  /** Extra headers on the call to the proxy (Origin, Host …). */
  headers?: Record<string, string>
  contentType?: string
}

/** Posts a proxy request: `meta` as the JSON line (or a raw string), then `body` when given. */
export async function callProxy(pigeonUrl: string, meta: object | string, body?: Uint8Array | string | null, options: CallOptions = {}): Promise<ProxyAnswer> {
  const line = typeof meta === 'string' ? meta : JSON.stringify(meta)
  const payload = body === undefined || body === null ? line : Buffer.concat([Buffer.from(`${line}\n`), Buffer.from(body)])
  const response = await fetch(`${pigeonUrl}/api/proxy`, {
    method: 'POST',
    headers: { 'content-type': options.contentType ?? PROXY_REQUEST_TYPE, ...options.headers },
    body: payload,
  })
  const bytes = new Uint8Array(await response.arrayBuffer())
  if ((response.headers.get('content-type') ?? '').startsWith(PROXY_RESPONSE_TYPE)) {
    const { meta: answerMeta, body: answerBody } = decodeProxyResponse(bytes)
    return { httpStatus: response.status, meta: answerMeta, body: answerBody }
  }
  return { httpStatus: response.status, body: bytes, error: JSON.parse(new TextDecoder().decode(bytes)) as ProxyAnswer['error'] }
}

export function text(answer: { body: Uint8Array }): string {
  return new TextDecoder().decode(answer.body)
}

/** The /echo answer inside a proxied response. */
export function echoOf(answer: { body: Uint8Array }): EchoBody {
  return JSON.parse(text(answer)) as EchoBody
}

/** A prepared request with sensible defaults; tests override what they care about. */
export function aRequest(overrides: Partial<PreparedRequest> = {}): PreparedRequest {
  return {
    method: 'GET',
    url: 'http://127.0.0.1:9/echo',
    headers: [],
    body: { kind: 'none' },
    timeoutMs: 10_000,
    followRedirects: true,
    maxRedirects: 10,
    ...overrides,
  }
}

/** Header pairs from a raw header list [name, value, name, value, …]. */
export function headerPairs(rawHeaders: string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = []
  for (let i = 0; i + 1 < rawHeaders.length; i += 2)
    pairs.push([rawHeaders[i]!, rawHeaders[i + 1]!])
  return pairs
}
