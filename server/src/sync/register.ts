/**
 * The sync endpoint: `GET /sync/<document>` upgrades to a WebSocket speaking
 * y-websocket's protocol plus Pigeon's durable ack (docs/sync.md). The socket
 * is accepted first so refusals carry a close code the browser can read; the
 * Origin, the session and the membership are checked before any message
 * reaches a document.
 */
import type { IncomingMessage } from 'node:http'
import type { WebSocket } from 'ws'
import type { AppContext } from '../app.js'
import type { Authorization } from './authorize.js'
import { randomUUID } from 'node:crypto'
import { WebSocketServer } from 'ws'
import {
  CLOSE_INTERNAL_ERROR,
  CLOSE_NOT_FOUND,
  CLOSE_REASONS,
  CLOSE_SERVICE_RESTART,
  CLOSE_TOO_MANY_DOCUMENTS,
  CLOSE_UNAUTHORIZED,
  CLOSE_FORBIDDEN,
  documentNameOf,
  parseDocumentName,
} from '../../../src/domain/syncProtocol.js'
import { isAllowedOrigin } from '../http/origin.js'
import { createSqliteDocumentStore } from '../storage/documentsSqlite.js'
import { followAccessEvents } from './accessEvents.js'
import { authorizeDocument } from './authorize.js'
import { SyncConnection } from './connection.js'
import { loadSyncConfig } from './syncConfig.js'
import { SyncHub } from './syncHub.js'
import { workspaceSummaryRoute } from './workspaceSummary.js'

const PREFIX = '/sync/'
/** Sockets that miss a ping for this long are dropped, so dead peers do not hold documents. */
const PING_INTERVAL_MS = 30_000

export function registerSync(context: AppContext): SyncHub {
  const { log } = context
  const config = loadSyncConfig(context.config)
  if (config.unsafeAckBeforeCommit)
    log.warn('sync_unsafe_ack_before_commit', { message: 'SYNC_UNSAFE_ACK_BEFORE_COMMIT is set: acks do NOT mean durable. Test use only.' })
  const hub = new SyncHub(createSqliteDocumentStore(context.sqlite), config, log)
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxMessageBytes, perMessageDeflate: false, clientTracking: false })
  const alive = new Map<WebSocket, boolean>()
  let accepting = true
  followAccessEvents(context.events, hub, log)
  context.router.add(workspaceSummaryRoute(context, hub.store, (name, read) => hub.actor(name)?.readLoaded(read) ?? null))

  /** Decides whether this upgrade may open its document, and how. */
  async function authorize(req: IncomingMessage, connection: SyncConnection): Promise<Authorization> {
    if (!isAllowedOrigin(req, context.config))
      return { ok: false, code: CLOSE_FORBIDDEN, reason: CLOSE_REASONS.foreignOrigin }
    const doc = parseDocumentName((req.url ?? '').split('?')[0].slice(PREFIX.length))
    if (!doc)
      return { ok: false, code: CLOSE_NOT_FOUND, reason: CLOSE_REASONS.badName }
    connection.document = doc
    connection.documentName = documentNameOf(doc)
    const caller = await context.caller(req)
    if (!caller || hub.revokedSessions.has(caller.sessionId))
      return { ok: false, code: CLOSE_UNAUTHORIZED, reason: CLOSE_REASONS.signedOut }
    connection.caller = caller
    const decision = authorizeDocument(caller, doc, await context.access.workspaceAccess(caller.userId, doc.workspaceId))
    // Checked again after the lookups: a revocation or deletion may have happened meanwhile.
    if (hub.revokedSessions.has(caller.sessionId))
      return { ok: false, code: CLOSE_UNAUTHORIZED, reason: CLOSE_REASONS.signedOut }
    if (hub.deletedWorkspaces.has(doc.workspaceId))
      return { ok: false, code: CLOSE_NOT_FOUND, reason: CLOSE_REASONS.notFound }
    if (decision.ok && hub.countForSession(caller.sessionId) > config.maxSocketsPerSession)
      return { ok: false, code: CLOSE_TOO_MANY_DOCUMENTS, reason: CLOSE_REASONS.tooManyDocuments }
    return decision
  }

  async function accept(ws: WebSocket, req: IncomingMessage): Promise<void> {
    const connection = new SyncConnection(randomUUID(), ws, config)
    const openedAt = Date.now()
    let socketError = ''
    hub.connections.add(connection)
    alive.set(ws, true)
    ws.on('pong', () => alive.set(ws, true))
    ws.on('message', (data, isBinary) => connection.receive(data as Buffer, isBinary))
    // ws reports oversized and invalid frames here and closes the socket itself (1009, 1002, 1007).
    ws.on('error', (error: Error & { code?: string }) => { socketError = error.code ?? error.message })
    ws.on('close', (peerCode) => {
      connection.closed = true
      alive.delete(ws)
      hub.connections.delete(connection)
      hub.actor(connection.documentName)?.detach(connection)
      log.info('sync_close', {
        connectionId: connection.id,
        document: connection.documentName || undefined,
        userId: connection.caller?.userId,
        sessionId: connection.caller?.sessionId,
        deviceId: connection.caller?.deviceId,
        code: connection.closeCode ?? peerCode,
        by: connection.closeCode === null ? 'client' : 'server',
        socketError: socketError || undefined,
        ms: Date.now() - openedAt,
      })
    })

    let decision: Authorization
    try {
      decision = await authorize(req, connection)
    }
    catch (error) {
      log.error('sync_authorize_failed', { connectionId: connection.id, error: (error as Error).message })
      decision = { ok: false, code: CLOSE_INTERNAL_ERROR, reason: CLOSE_REASONS.storageFailed }
    }
    if (connection.closed)
      return
    if (!decision.ok) {
      connection.close(decision.code, decision.reason)
      return
    }
    log.info('sync_open', {
      connectionId: connection.id,
      document: connection.documentName,
      userId: connection.caller!.userId,
      sessionId: connection.caller!.sessionId,
      deviceId: connection.caller!.deviceId,
      readOnly: decision.readOnly,
    })
    if (decision.readOnly)
      connection.setReadOnly(true)
    hub.join(connection)
  }

  context.onUpgrade(PREFIX, (req, socket, head) => {
    if (!accepting) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      accept(ws, req).catch((error: Error) => {
        log.error('sync_accept_failed', { error: error.message })
        ws.close(CLOSE_INTERNAL_ERROR, CLOSE_REASONS.storageFailed)
      })
    })
  })

  const pinger = setInterval(() => {
    for (const [ws, answered] of alive) {
      if (!answered) {
        ws.terminate()
        continue
      }
      alive.set(ws, false)
      ws.ping()
    }
  }, PING_INTERVAL_MS)
  pinger.unref()

  context.onShutdown(async () => {
    // Stop taking work, let every document commit and answer what it has, then ask clients to reconnect elsewhere.
    accepting = false
    clearInterval(pinger)
    for (const connection of hub.connections)
      connection.stopReceiving()
    await hub.drain()
    for (const connection of hub.connections)
      connection.close(CLOSE_SERVICE_RESTART, CLOSE_REASONS.restarting)
    // Give the close frames a moment to leave before the listener drops the sockets.
    await new Promise(resolve => setTimeout(resolve, 100))
  })

  return hub
}
