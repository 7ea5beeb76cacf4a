/**
 * Sessions: a signed-in app on one device. Creates them within the device
 * limit, resolves the cookie of a request (with sliding renewal at most once
 * a minute), revokes them and announces every ending on the event bus so the
 * sync module closes that session's sockets at once.
 */
import type { IncomingMessage } from 'node:http'
import type { Config } from '../config.js'
import type { ServerEventBus, ServerEvents } from '../events.js'
import type { AccountStore, CreateSessionResult, SessionRecord } from '../storage/accountsStore.js'
import { hashToken, newPublicId, newSecretToken } from './tokens.js'
import { readSessionToken } from './sessionCookie.js'

type RevokeReason = ServerEvents['sessionRevoked'][0]['reason']

/** Renew a session's expiry and last-seen time at most this often. */
export const RENEW_INTERVAL_MS = 60_000

export interface DeviceInfo {
  deviceId: string
  deviceName: string
  userAgent: string
}

export type SignInResult =
  | { kind: 'signed_in', token: string, session: SessionRecord }
  | { kind: 'device_limit', devices: SessionRecord[] }

export interface ResolvedSession {
  session: SessionRecord
  /** The expiry moved: the cookie should be sent again with a fresh Max-Age. */
  renewed: boolean
}

export class SessionService {
  constructor(
    private readonly store: AccountStore,
    private readonly config: Config,
    private readonly events: ServerEventBus,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts a session for `userId` on `device`, unless the account has no free device slot. */
  async start(userId: string, device: DeviceInfo, signOutSessionId?: string): Promise<SignInResult> {
    const now = this.now()
    const token = newSecretToken()
    const session: SessionRecord = {
      id: newPublicId(),
      userId,
      deviceId: device.deviceId,
      deviceName: device.deviceName,
      userAgent: device.userAgent,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + this.config.sessionTtlMs,
    }
    const result: CreateSessionResult = await this.store.createSession({
      session: { ...session, tokenHash: hashToken(token) },
      maxDevices: this.config.maxDevices,
      signOutSessionId,
      now,
    })
    if (result.kind === 'device_limit')
      return result
    for (const old of result.replaced)
      this.announce(old, 'replaced')
    for (const old of result.signedOut)
      this.announce(old, 'device_limit')
    return { kind: 'signed_in', token, session }
  }

  /** The live session of the request's cookie, renewed when its last renewal is a minute old. */
  async resolve(req: IncomingMessage): Promise<ResolvedSession | null> {
    const token = readSessionToken(req)
    if (!token)
      return null
    const session = await this.store.findSessionByTokenHash(hashToken(token))
    if (!session)
      return null
    const now = this.now()
    if (session.expiresAt <= now) {
      await this.end(session.id, 'expired')
      return null
    }
    if (now - session.lastSeenAt < RENEW_INTERVAL_MS)
      return { session, renewed: false }
    const renewed = { ...session, lastSeenAt: now, expiresAt: now + this.config.sessionTtlMs }
    await this.store.touchSession(session.id, renewed.lastSeenAt, renewed.expiresAt)
    return { session: renewed, renewed: true }
  }

  /** Ends one session (if it still exists) and tells open sockets. */
  async end(sessionId: string, reason: RevokeReason): Promise<SessionRecord | null> {
    const session = await this.store.deleteSession(sessionId)
    if (session)
      this.announce(session, reason)
    return session
  }

  /** Ends every session of the account (password reset). */
  async endAll(userId: string, reason: RevokeReason): Promise<void> {
    for (const session of await this.store.deleteSessionsOfUser(userId))
      this.announce(session, reason)
  }

  /** Removes expired sessions and closes their sockets; run periodically. */
  async sweepExpired(): Promise<number> {
    const expired = await this.store.deleteExpiredSessions(this.now())
    for (const session of expired)
      this.announce(session, 'expired')
    return expired.length
  }

  announce(session: SessionRecord, reason: RevokeReason): void {
    this.events.emit('sessionRevoked', { sessionId: session.id, userId: session.userId, reason })
  }
}
