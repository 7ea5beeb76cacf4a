/**
 * In-memory sliding-window rate limits (sign-in, sign-up, recovery), keyed by
 * account identifier and by client address. One process holds the state; a
 * scaled-out deployment would move it to Redis behind the same class shape.
 */
import type { IncomingMessage } from 'node:http'
import type { Config } from '../config.js'
import { HttpError } from './respond.js'

export interface RateLimitRule {
  /** Most attempts allowed within `windowMs`. */
  limit: number
  windowMs: number
}

export class SlidingWindowLimiter {
  private hits = new Map<string, number[]>()

  constructor(readonly rule: RateLimitRule, private readonly now: () => number = Date.now) {}

  private recent(key: string): number[] {
    const since = this.now() - this.rule.windowMs
    const times = (this.hits.get(key) ?? []).filter(t => t > since)
    if (times.length === 0)
      this.hits.delete(key)
    else
      this.hits.set(key, times)
    return times
  }

  /** Seconds until `key` may try again, or 0 when it may try now. */
  retryAfterSeconds(key: string): number {
    const times = this.recent(key)
    if (times.length < this.rule.limit)
      return 0
    const freesAt = times[times.length - this.rule.limit] + this.rule.windowMs
    return Math.max(1, Math.ceil((freesAt - this.now()) / 1000))
  }

  /** Counts one attempt for `key`. */
  hit(key: string): void {
    const times = this.recent(key)
    times.push(this.now())
    this.hits.set(key, times)
  }

  /** Drops keys whose attempts all left the window, so memory stays bounded by recent traffic. */
  prune(): void {
    for (const key of [...this.hits.keys()])
      this.recent(key)
  }
}

/** The 429 a user sees when a limit is reached, with the wait in seconds. */
export function tooManyAttempts(retryAfter: number): HttpError {
  return new HttpError(429, `Too many attempts. Try again in ${retryAfter} s.`, 'rate_limited', { retryAfter })
}

/** Throws the 429 when any of the (limiter, key) pairs is over its limit. */
export function enforceLimits(checks: Array<[SlidingWindowLimiter, string]>): void {
  const wait = Math.max(0, ...checks.map(([limiter, key]) => limiter.retryAfterSeconds(key)))
  if (wait > 0)
    throw tooManyAttempts(wait)
}

/**
 * The caller's address: the socket peer, or, behind a trusted reverse proxy
 * (TRUST_PROXY), the last X-Forwarded-For entry, which that proxy appended.
 */
export function clientAddress(req: IncomingMessage, config: Config): string {
  if (config.trustProxy) {
    const forwarded = String(req.headers['x-forwarded-for'] ?? '').split(',').map(s => s.trim()).filter(Boolean)
    if (forwarded.length > 0)
      return forwarded[forwarded.length - 1]
  }
  return req.socket.remoteAddress ?? 'unknown'
}
