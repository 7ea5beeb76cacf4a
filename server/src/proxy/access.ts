/**
 * Who may use the proxy. A proxy is a powerful thing to hand out: another
 * website must never drive a local Pigeon (Origin check, and Host check
 * against DNS rebinding), and a public server only sends for signed-in users.
 */
import type { IncomingMessage } from 'node:http'
import type { AppContext } from '../app.js'
import type { Config } from '../config.js'
import { isAllowedOrigin } from '../http/origin.js'
import { HttpError } from '../http/respond.js'
import { isLoopbackHost } from '../config.js'

/**
 * A personal server: bound to loopback and not published through a reverse
 * proxy. It may reach private targets and needs no session.
 */
export function isPersonalServer(config: Config): boolean {
  return isLoopbackHost(config.host) && !config.trustProxy
}

function hostnameOf(hostHeader: string): string {
  try {
    return new URL(`http://${hostHeader}`).hostname
  }
  catch {
    return ''
  }
}

/**
 * A page on evil.example whose name re-resolves to 127.0.0.1 (DNS rebinding)
 * is "same origin" with a local Pigeon; its Host header still says
 * evil.example, so a personal server only answers to loopback host names.
 */
function isLoopbackHostHeader(req: IncomingMessage, config: Config): boolean {
  const hostname = hostnameOf(req.headers.host ?? '')
  if (hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname))
    return true
  return config.allowedOrigins.some(origin => hostnameOf(origin.replace(/^[a-z]+:\/\//i, '')) === hostname)
}

/** Throws an HttpError with a sentence unless this caller may use the proxy. */
export async function assertMayUseProxy(app: AppContext, req: IncomingMessage): Promise<void> {
  const { config } = app
  if (!isAllowedOrigin(req, config))
    throw new HttpError(403, `The web page at ${req.headers.origin} tried to use this Pigeon server as a proxy; only Pigeon itself may. If that page is your own Pigeon app, add its origin to ALLOWED_ORIGINS.`, 'forbidden_origin')
  if (isPersonalServer(config)) {
    if (!isLoopbackHostHeader(req, config))
      throw new HttpError(403, `This Pigeon server only proxies requests that reach it as localhost, not as ${req.headers.host ?? 'an unnamed host'}. Open Pigeon at http://localhost:${req.socket.localPort}, or add the address to ALLOWED_ORIGINS.`, 'forbidden_host')
    return
  }
  if (!(await app.caller(req)))
    throw new HttpError(401, 'Sign in to send requests through this Pigeon server, or switch to the Browser agent in Settings.', 'unauthorized')
}

/** CORS headers for an allowed foreign origin (ALLOWED_ORIGINS); none for the app itself. */
export function corsHeadersFor(req: IncomingMessage, config: Config): Record<string, string> {
  const origin = req.headers.origin
  if (!origin || !config.allowedOrigins.includes(origin))
    return {}
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    'vary': 'Origin',
  }
}
