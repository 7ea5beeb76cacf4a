/**
 * Events between server modules: the accounts module tells the sync module
 * when access changes, so open sockets close or turn read-only at once.
 */
import { EventEmitter } from 'node:events'

export interface ServerEvents {
  /** A session ended (sign-out, revoked from another device, replaced, expired). */
  sessionRevoked: [{ sessionId: string, userId: string, reason: 'signed_out' | 'revoked' | 'replaced' | 'expired' | 'account_deleted' | 'device_limit' }]
  /** The account is gone: close everything it has open. */
  accountDeleted: [{ userId: string }]
  /** The workspace is deleted (tombstoned): close every socket on its documents with 4404. */
  workspaceDeleted: [{ workspaceId: string }]
  /** A member was removed or left: close that user's sockets on the workspace with 4403. */
  memberRemoved: [{ workspaceId: string, userId: string }]
  /** A member's role changed: sockets follow the new role (viewer = read-only). */
  roleChanged: [{ workspaceId: string, userId: string, role: WorkspaceRole }]
}

export type WorkspaceRole = 'owner' | 'editor' | 'viewer'

export class ServerEventBus extends EventEmitter<ServerEvents> {}
