/**
 * Knobs of the accounts module that only it reads (from the environment, like
 * config.ts and sync/syncConfig.ts), with defaults that need no setting.
 */

export interface AccountsConfig {
  /**
   * Multiplies every rate limit (AUTH_RATE_LIMIT_FACTOR, default 1). Test
   * suites that sign up many accounts from one loopback address raise it;
   * production leaves it alone.
   */
  rateLimitFactor: number
  /** How long a password reset code works (RESET_TOKEN_TTL_MS, default 30 minutes). */
  resetTokenTtlMs: number
  /** How often expired sessions are swept and their sockets closed (SESSION_SWEEP_MS, default 1 minute). */
  sweepIntervalMs: number
}

function positive(value: string | undefined, fallback: number): number {
  const n = Number(value)
  return value === undefined || value === '' || !Number.isFinite(n) || n <= 0 ? fallback : n
}

export function loadAccountsConfig(env: NodeJS.ProcessEnv = process.env): AccountsConfig {
  return {
    rateLimitFactor: positive(env.AUTH_RATE_LIMIT_FACTOR, 1),
    resetTokenTtlMs: Math.trunc(positive(env.RESET_TOKEN_TTL_MS, 30 * 60_000)),
    sweepIntervalMs: Math.trunc(positive(env.SESSION_SWEEP_MS, 60_000)),
  }
}
