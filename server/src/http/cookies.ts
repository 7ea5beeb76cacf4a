/** Reading and writing the Cookie / Set-Cookie headers. */
import type { IncomingMessage } from 'node:http'

/** The value of cookie `name` on the request, or null. */
export function readCookie(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie
  if (!header)
    return null
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0)
      continue
    if (part.slice(0, eq).trim() !== name)
      continue
    const raw = part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1')
    try {
      return decodeURIComponent(raw)
    }
    catch {
      return null
    }
  }
  return null
}

export interface CookieOptions {
  /** Lifetime in seconds; 0 deletes the cookie. */
  maxAgeSeconds: number
  secure: boolean
  httpOnly?: boolean
  sameSite?: 'Strict' | 'Lax'
  path?: string
}

/** One Set-Cookie header value. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${options.path ?? '/'}`,
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
    `SameSite=${options.sameSite ?? 'Strict'}`,
  ]
  if (options.maxAgeSeconds <= 0)
    parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT')
  if (options.httpOnly ?? true)
    parts.push('HttpOnly')
  if (options.secure)
    parts.push('Secure')
  return parts.join('; ')
}
