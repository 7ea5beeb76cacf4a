/**
 * Reacts to access changes announced by the accounts module: open sockets
 * close (signed out, removed, deleted) or turn read-only at once, and a
 * deleted workspace's documents are removed and tombstoned so no old copy
 * can bring them back.
 */
import type { ServerEventBus } from '../events.js'
import type { Logger } from '../log.js'
import type { SyncHub } from './syncHub.js'
import { CLOSE_DEVICE_LIMIT, CLOSE_FORBIDDEN, CLOSE_NOT_FOUND, CLOSE_REASONS, CLOSE_UNAUTHORIZED, workspaceDocumentNames } from '../../../src/domain/syncProtocol.js'
import { isReadOnly } from './authorize.js'

export function followAccessEvents(events: ServerEventBus, hub: SyncHub, log: Logger): void {
  const failed = (event: string) => (error: unknown): void => {
    log.error('sync_event_failed', { event, error: (error as Error).message })
  }

  events.on('sessionRevoked', ({ sessionId, reason }) => {
    hub.revokedSessions.add(sessionId)
    const [code, sentence] = revocationClose(reason)
    for (const connection of hub.connectionsWhere(c => c.caller?.sessionId === sessionId))
      connection.close(code, sentence)
  })

  events.on('accountDeleted', ({ userId }) => {
    for (const connection of hub.connectionsWhere(c => c.caller?.userId === userId))
      connection.close(CLOSE_UNAUTHORIZED, CLOSE_REASONS.signedOut)
    void deleteHistoriesOf(hub, userId).catch(failed('accountDeleted'))
  })

  events.on('workspaceDeleted', ({ workspaceId }) => {
    hub.deletedWorkspaces.add(workspaceId)
    void deleteWorkspaceDocuments(hub, workspaceId).catch(failed('workspaceDeleted'))
  })

  events.on('memberRemoved', ({ workspaceId, userId }) => {
    for (const connection of hub.connectionsWhere(c => c.caller?.userId === userId && c.document?.workspaceId === workspaceId))
      connection.close(CLOSE_FORBIDDEN, CLOSE_REASONS.notMember)
  })

  events.on('roleChanged', ({ workspaceId, userId, role }) => {
    for (const connection of hub.connectionsWhere(c => c.caller?.userId === userId && c.document?.workspaceId === workspaceId))
      connection.setReadOnly(isReadOnly(connection.document!, role))
  })
}

/**
 * The close for a revoked session: 4409 when it was signed out to make room
 * on an account at its device limit (reason `device_limit`), else 4401.
 */
export function revocationClose(reason: string): [number, string] {
  return reason === 'device_limit'
    ? [CLOSE_DEVICE_LIMIT, CLOSE_REASONS.deviceLimit]
    : [CLOSE_UNAUTHORIZED, CLOSE_REASONS.signedOut]
}

/** Closes every socket on the workspace's documents with 4404, then deletes and tombstones them. */
async function deleteWorkspaceDocuments(hub: SyncHub, workspaceId: string): Promise<void> {
  const historyPrefix = `history/${workspaceId}/`
  for (const connection of hub.connectionsWhere(c => c.document?.workspaceId === workspaceId))
    connection.close(CLOSE_NOT_FOUND, CLOSE_REASONS.notFound)
  for (const name of [...workspaceDocumentNames(workspaceId), ...hub.actorNames(historyPrefix)])
    hub.actor(name)?.markDeleted()
  const names = new Set([...workspaceDocumentNames(workspaceId), ...await hub.store.list(historyPrefix)])
  for (const name of names)
    await hub.store.delete(name)
}

/** A deleted account's history documents go with it. */
async function deleteHistoriesOf(hub: SyncHub, userId: string): Promise<void> {
  const names = (await hub.store.list('history/')).filter(name => name.endsWith(`/${userId}`))
  for (const name of names) {
    hub.actor(name)?.markDeleted()
    await hub.store.delete(name)
  }
}
