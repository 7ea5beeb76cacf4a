/**
 * Secret tokens (session cookies, password reset codes): 256 random bits in
 * base64url for the user, only their SHA-256 in storage, so a leaked
 * database does not let anyone sign in.
 */
import { createHash, randomBytes } from 'node:crypto'

/** A fresh secret token: base64url of 32 random bytes (43 characters). */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url')
}

/** Whether `text` has the shape of a secret token; anything else cannot match and need not be looked up. */
export function isSecretTokenShape(text: string): boolean {
  return /^[\w-]{43}$/.test(text)
}

/** The stored form of a token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url')
}

/** A public, non-secret id (sessions, users, workspaces). */
export function newPublicId(): string {
  return randomBytes(16).toString('base64url')
}
