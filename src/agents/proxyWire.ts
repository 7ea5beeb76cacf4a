/**
 * The app's half of the /api/proxy wire format: the contract is
 * src/domain/proxyWire.ts (shared with the server); here the payload is
 * encoded as a Blob and the answer split into metadata and body.
 */
import type { ProxyRequestMeta, ProxyResponseMeta } from '../domain/proxyWire'

export { PROXY_REQUEST_TYPE, PROXY_RESPONSE_TYPE } from '../domain/proxyWire'
export type { ProxyRequestMeta, ProxyResponseMeta } from '../domain/proxyWire'

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
