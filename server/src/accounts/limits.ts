/**
 * The rate limits of the accounts API. Per account identifier they stop
 * guessing one account's password from many addresses; per address they stop
 * one client from trying many accounts. Sign-in counts only failures per
 * account, so the owner is not locked out by their own successful sign-ins.
 */
import { SlidingWindowLimiter } from '../http/rateLimit.js'

const MINUTE = 60_000

export interface AccountLimits {
  signInPerAccount: SlidingWindowLimiter
  signInPerAddress: SlidingWindowLimiter
  signUpPerAddress: SlidingWindowLimiter
  signUpPerAccount: SlidingWindowLimiter
  recoveryPerAccount: SlidingWindowLimiter
  recoveryPerAddress: SlidingWindowLimiter
}

/** The limits, each allowance multiplied by `factor` (AUTH_RATE_LIMIT_FACTOR). */
export function createAccountLimits(factor = 1): AccountLimits {
  const rule = (limit: number, windowMs: number): SlidingWindowLimiter => new SlidingWindowLimiter({ limit: Math.max(1, Math.round(limit * factor)), windowMs })
  return {
    signInPerAccount: rule(10, 15 * MINUTE),
    signInPerAddress: rule(60, 15 * MINUTE),
    signUpPerAddress: rule(20, 60 * MINUTE),
    signUpPerAccount: rule(5, 60 * MINUTE),
    recoveryPerAccount: rule(5, 60 * MINUTE),
    recoveryPerAddress: rule(20, 60 * MINUTE),
  }
}

/** Forgets attempts that left their window. */
export function pruneAccountLimits(limits: AccountLimits): void {
  for (const limiter of Object.values(limits))
    limiter.prune()
}
