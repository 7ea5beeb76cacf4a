/**
 * Why the proxy could not send a request, as a kind the client agent maps to
 * its SendError kinds (src/domain/prepared.ts) and a sentence for the user.
 */
import type { SendErrorKind } from '../../../src/domain/prepared.js'

/** The kinds the proxy answers with; a subset of SendErrorKind. */
export type ProxyErrorKind = Extract<SendErrorKind, 'invalid_url' | 'dns' | 'refused' | 'tls' | 'timeout' | 'too_large' | 'forbidden_target' | 'redirects' | 'aborted' | 'unknown'>

/** HTTP status the proxy answers with for each kind. */
export const PROXY_ERROR_STATUS: Record<ProxyErrorKind, number> = {
  invalid_url: 400,
  forbidden_target: 403,
  dns: 502,
  refused: 502,
  tls: 502,
  too_large: 502,
  redirects: 502,
  unknown: 502,
  aborted: 499,
  timeout: 504,
}

export class ProxyError extends Error {
  constructor(readonly kind: ProxyErrorKind, message: string) {
    super(message)
    this.name = 'ProxyError'
  }
}

const TLS_CODES = new Set([
  'EPROTO',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'HOSTNAME_MISMATCH',
])

function isTlsCode(code: string): boolean {
  return TLS_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')
}

/** Turns a socket or DNS error from node:http into a ProxyError with a sentence about `url`. */
export function proxyErrorFrom(err: unknown, url: URL): ProxyError {
  if (err instanceof ProxyError)
    return err
  const code = String((err as NodeJS.ErrnoException)?.code ?? '')
  const detail = (err as Error)?.message ?? String(err)
  const host = url.hostname
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL' || code === 'ENODATA')
    return new ProxyError('dns', `Could not find host ${host}. Check the URL for typos, or check that this host exists on the network the Pigeon server is on.`)
  if (code === 'ECONNREFUSED')
    return new ProxyError('refused', `${host} refused the connection on port ${port}. Check that the service is running and listening on that port.`)
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL')
    return new ProxyError('refused', `${host} could not be reached from the Pigeon server (${code}). Check the address and the network.`)
  if (code === 'ECONNRESET' || code === 'EPIPE')
    return new ProxyError('unknown', `${host} closed the connection before answering. Try again; if it keeps happening, check the service's logs.`)
  if (code.startsWith('HPE_'))
    return new ProxyError('unknown', `${host} did not answer with valid HTTP (${detail}). Check that the URL's scheme (http or https) and port are right.`)
  if (isTlsCode(code))
    return new ProxyError('tls', `The secure connection to ${host} failed: ${detail}. Check that the URL's scheme (http or https) and port are right and that the certificate is valid.`)
  return new ProxyError('unknown', `The request to ${host} failed: ${detail}.`)
}

export function timeoutError(timeoutMs: number, url: URL): ProxyError {
  return new ProxyError('timeout', `${url.hostname} did not answer within ${timeoutMs} ms. Try again, or raise the request timeout in Settings.`)
}

export function tooLargeError(maxBytes: number): ProxyError {
  const mib = Math.round((maxBytes / 1024 / 1024) * 10) / 10
  return new ProxyError('too_large', `The response is larger than ${mib} MiB, the most the Pigeon server will download. Ask for a smaller response (a page, a range or a filter).`)
}
