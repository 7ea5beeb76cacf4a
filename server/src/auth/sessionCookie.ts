/** The session cookie: httpOnly, SameSite=Strict, Path=/, Secure over HTTPS. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Config } from '../config.js'
import { readCookie, serializeCookie } from '../http/cookies.js'
import { isSecureRequest } from '../http/origin.js'
import { isSecretTokenShape } from './tokens.js'

export const SESSION_COOKIE = 'pigeon_session'

export function readSessionToken(req: IncomingMessage): string | null {
  const token = readCookie(req, SESSION_COOKIE)
  return token && isSecretTokenShape(token) ? token : null
}

export function setSessionCookie(req: IncomingMessage, res: ServerResponse, config: Config, token: string): void {
  res.setHeader('set-cookie', serializeCookie(SESSION_COOKIE, token, {
    maxAgeSeconds: config.sessionTtlMs / 1000,
    secure: isSecureRequest(req, config),
  }))
}

export function clearSessionCookie(req: IncomingMessage, res: ServerResponse, config: Config): void {
  res.setHeader('set-cookie', serializeCookie(SESSION_COOKIE, '', { maxAgeSeconds: 0, secure: isSecureRequest(req, config) }))
}
