/**
 * The client side of the /api/proxy wire format (docs/proxy.md; the server's
 * half is server/src/proxy/wire.ts): a JSON metadata line, a newline, then
 * the raw body bytes, in both directions.
 */
export const PROXY_REQUEST_TYPE = 'application/vnd.pigeon.proxy-request'
export const PROXY_RESPONSE_TYPE = 'application/vnd.pigeon.proxy-response'

export interface ProxyRequestMeta {
  method: string
  url: string
  headers: Array<[string, string]>
  /** Left out: the server's default (PROXY_TIMEOUT_MS). */
  timeoutMs?: number
  followRedirects: boolean
  maxRedirects: number
}

export interface ProxyResponseMeta {
  status: number
  statusText: string
  headers: Array<[string, string]>
  url: string
  redirects: number
  size: number
  timings: { dns?: number, connect?: number, tls?: number, firstByte?: number, download?: number, total: number }
}

/** The proxy request payload; without a body there is no newline at all. */
export function encodeProxyRequest(meta: ProxyRequestMeta, body: Uint8Array | null): Blob {
  const line = JSON.stringify(meta)
  return body === null ? new Blob([line]) : new Blob([`${line}\n`, body as Uint8Array<ArrayBuffer>])
}

/** Splits a proxy response into its metadata and a body of its own (not a view into the payload). */
export function decodeProxyResponse(payload: Uint8Array): { meta: ProxyResponseMeta, body: Uint8Array } {
  const newline = payload.indexOf(0x0A)
  if (newline === -1)
    throw new Error('The proxy answer has no metadata line.')
  const meta = JSON.parse(new TextDecoder().decode(payload.subarray(0, newline))) as ProxyResponseMeta
  return { meta, body: payload.slice(newline + 1) }
}
