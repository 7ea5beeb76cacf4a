/**
 * Server configuration, read once from environment variables. Every knob has
 * a safe default so `npm start` needs nothing; tests override what they need.
 */
import path from 'node:path'

export interface Config {
  /** TCP port of the one HTTP + WebSocket listener. */
  port: number
  /** Address to bind. Loopback by default: private targets are then allowed for the proxy. */
  host: string
  /** Where SQLite, the outbox and other server files live. */
  dataDir: string
  /** The built app (vite build output). */
  staticDir: string
  /** Origins besides the server's own that may call the API and open sync sockets. */
  allowedOrigins: string[]
  /** Trust X-Forwarded-* from a TLS-terminating reverse proxy. */
  trustProxy: boolean
  /** scrypt cost parameter N as log2 (17 → N=2^17). Tests lower it. */
  passwordCostLog2: number
  /** SMTP connection URL for recovery mail; unset writes mail to DATA_DIR/outbox. */
  smtpUrl: string
  mailFrom: string
  /** Largest sync message and document, in bytes. */
  maxMessageBytes: number
  maxDocumentBytes: number
  /** Proxy limits. */
  proxyMaxResponseBytes: number
  proxyDefaultTimeoutMs: number
  proxyMaxRedirects: number
  /** CIDR ranges a public deployment still lets the proxy reach (self-hosted admins). */
  proxyAllowedRanges: string[]
  /** Postgres and Redis for scale-out; unset means embedded SQLite. */
  databaseUrl: string
  redisUrl: string
  /** Session lifetime (sliding) in milliseconds. */
  sessionTtlMs: number
  /** Largest number of parallel apps (sessions on distinct devices) per account. */
  maxDevices: number
}

function int(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '')
    return fallback
  const n = Number(value)
  if (!Number.isFinite(n))
    throw new Error(`Expected a number but got "${value}"`)
  return Math.trunc(n)
}

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map(s => s.trim()).filter(Boolean)
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.')
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const root = path.resolve(import.meta.dirname, '..', '..')
  return {
    port: int(env.PORT, 8080),
    host: env.HOST || '127.0.0.1',
    dataDir: path.resolve(env.DATA_DIR || path.join(root, 'data')),
    staticDir: path.resolve(env.STATIC_DIR || path.join(root, 'dist')),
    allowedOrigins: list(env.ALLOWED_ORIGINS),
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    passwordCostLog2: int(env.PASSWORD_COST_LOG2, 17),
    smtpUrl: env.SMTP_URL || '',
    mailFrom: env.MAIL_FROM || 'Pigeon <no-reply@localhost>',
    maxMessageBytes: int(env.MAX_MESSAGE_BYTES, 8 * 1024 * 1024),
    maxDocumentBytes: int(env.MAX_DOCUMENT_BYTES, 64 * 1024 * 1024),
    proxyMaxResponseBytes: int(env.PROXY_MAX_RESPONSE_BYTES, 50 * 1024 * 1024),
    proxyDefaultTimeoutMs: int(env.PROXY_TIMEOUT_MS, 30_000),
    proxyMaxRedirects: int(env.PROXY_MAX_REDIRECTS, 10),
    proxyAllowedRanges: list(env.PROXY_ALLOWED_RANGES),
    databaseUrl: env.DATABASE_URL || '',
    redisUrl: env.REDIS_URL || '',
    sessionTtlMs: int(env.SESSION_TTL_MS, 30 * 24 * 3600 * 1000),
    maxDevices: int(env.MAX_DEVICES, 3),
  }
}
