/**
 * Wires the one server process: static app, JSON API, request proxy and the
 * sync socket on one HTTP listener. Each feature is a module with a
 * `register(app)` function; this file only lists them.
 */
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Config } from './config.js'
import type { Logger } from './log.js'
import { createServer } from 'node:http'
import { randomUUID } from 'node:crypto'
import { Router } from './http/router.js'
import { sendJson } from './http/respond.js'
import { serveStatic } from './http/static.js'
import { log as defaultLog } from './log.js'
import { registerHealth } from './http/health.js'
import { registerProxy } from './proxy/routes.js'
import { registerAccounts } from './accounts/register.js'
import { registerSync } from './sync/register.js'
import type { DocumentAccess } from './sync/access.js'
import { ServerEventBus } from './events.js'
import type { SqliteDatabase } from './storage/sqlite.js'
import { openSqlite } from './storage/sqlite.js'

/** Who is calling, when the caller has a valid session. */
export interface Caller {
  userId: string
  sessionId: string
  deviceId: string
}

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void

/** What feature modules get to plug themselves into the server. */
export interface AppContext {
  config: Config
  log: Logger
  router: Router
  /** Handle WebSocket upgrades whose path starts with `prefix`. */
  onUpgrade: (prefix: string, handler: UpgradeHandler) => void
  /** Run on graceful shutdown, after the listener stops accepting. */
  onShutdown: (fn: () => Promise<void> | void) => void
  /** Readiness checks for /readyz (storage reachable …). */
  onReadyCheck: (fn: () => Promise<void> | void) => void
  /** Resolves the caller's session, once the accounts module is registered. */
  caller: (req: IncomingMessage) => Promise<Caller | null>
  setCallerResolver: (fn: (req: IncomingMessage) => Promise<Caller | null>) => void
  /** Access changes announced by the accounts module, acted on by the sync module. */
  events: ServerEventBus
  /** Membership and role lookups for sync documents, set by the accounts module. */
  access: DocumentAccess
  /** The embedded database (one file in DATA_DIR), shared by the feature modules' stores. */
  sqlite: SqliteDatabase
}

export interface App {
  context: AppContext
  listen: () => Promise<{ port: number }>
  close: () => Promise<void>
}

export function createApp(config: Config, logger: Logger = defaultLog): App {
  const router = new Router()
  const upgrades: Array<[string, UpgradeHandler]> = []
  const shutdownHooks: Array<() => Promise<void> | void> = []
  const readyChecks: Array<() => Promise<void> | void> = []
  let callerResolver: (req: IncomingMessage) => Promise<Caller | null> = async () => null

  const context: AppContext = {
    config,
    log: logger,
    router,
    onUpgrade: (prefix, handler) => upgrades.push([prefix, handler]),
    onShutdown: fn => shutdownHooks.push(fn),
    onReadyCheck: fn => readyChecks.push(fn),
    caller: req => callerResolver(req),
    setCallerResolver: (fn) => { callerResolver = fn },
    events: new ServerEventBus(),
    access: { workspaceAccess: async () => ({ kind: 'missing' }) },
    sqlite: openSqlite(config.dataDir),
  }
  context.onReadyCheck(() => { context.sqlite.prepare('SELECT 1').get() })

  // Feature modules, in order: accounts first (it sets the caller resolver and access).
  registerHealth(context, readyChecks)
  registerAccounts(context)
  registerProxy(context)
  registerSync(context)

  const server = createServer(async (req, res) => {
    const started = performance.now()
    const requestId = randomUUID()
    res.setHeader('x-request-id', requestId)
    res.on('finish', () => {
      logger.info('http', {
        requestId,
        method: req.method,
        path: (req.url ?? '').split('?')[0],
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
      })
    })
    try {
      const url = new URL(req.url ?? '/', 'http://pigeon.invalid')
      if (await router.handle(req, res, url))
        return
      if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/sync/')) {
        sendJson(res, 404, { error: 'not_found', message: `There is no ${url.pathname} on this server.` })
        return
      }
      await serveStatic(req, res, url, config.staticDir)
    }
    catch (err) {
      logger.error('http_error', { requestId, error: (err as Error).message })
      if (!res.headersSent)
        sendJson(res, 500, { error: 'internal', message: 'The server failed to answer this request. Try again; if it keeps failing, check the server log.' })
      else
        res.destroy()
    }
  })

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy())
    const path = (req.url ?? '').split('?')[0]
    const match = upgrades.find(([prefix]) => path.startsWith(prefix))
    if (!match) {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n')
      return
    }
    try {
      match[1](req, socket, head)
    }
    catch (err) {
      logger.error('upgrade_error', { error: (err as Error).message })
      socket.destroy()
    }
  })

  // A client that opens connections and never finishes its headers must not hold them.
  server.headersTimeout = 20_000
  server.requestTimeout = 0

  return {
    context,
    listen: () => new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(config.port, config.host, () => {
        const address = server.address()
        const port = typeof address === 'object' && address ? address.port : config.port
        logger.info('listening', { host: config.host, port, dataDir: config.dataDir })
        resolve({ port })
      })
    }),
    close: async () => {
      // Stop accepting, let feature modules finish commits and close their sockets, then drop the rest.
      const closed = new Promise<void>(resolve => server.close(() => resolve()))
      server.closeIdleConnections()
      for (const hook of shutdownHooks.reverse())
        await hook()
      server.closeAllConnections()
      await closed
      context.sqlite.close()
    },
  }
}
