/**
 * Origin checks. Browsers send Origin on cross-site requests and on every
 * WebSocket upgrade; only the server's own origin and ALLOWED_ORIGINS may use
 * the API, so another website cannot drive a local Pigeon (its proxy, its sockets).
 */
import type { IncomingMessage } from 'node:http'
import type { Config } from '../config.js'

export function requestOrigin(req: IncomingMessage, config: Config): string {
  const forwardedProto = config.trustProxy ? String(req.headers['x-forwarded-proto'] ?? '').split(',')[0].trim() : ''
  const forwardedHost = config.trustProxy ? String(req.headers['x-forwarded-host'] ?? '').split(',')[0].trim() : ''
  const proto = forwardedProto || ((req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http')
  const host = forwardedHost || req.headers.host || `${config.host}:${config.port}`
  return `${proto}://${host}`
}

/** True when the caller is the app itself (same origin), an allowed origin, or not a browser (no Origin). */
export function isAllowedOrigin(req: IncomingMessage, config: Config): boolean {
  const origin = req.headers.origin
  if (!origin)
    return true
  if (origin === requestOrigin(req, config))
    return true
  return config.allowedOrigins.includes(origin)
}

/** Whether the connection came over HTTPS (directly or via a trusted proxy): cookies get Secure then. */
export function isSecureRequest(req: IncomingMessage, config: Config): boolean {
  return requestOrigin(req, config).startsWith('https://')
}
