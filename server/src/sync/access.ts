/**
 * What the sync endpoint needs to know about accounts, implemented by the
 * accounts module and registered on the app context.
 */
import type { WorkspaceRole } from '../events.js'

export type WorkspaceAccess =
  | { kind: 'member', role: WorkspaceRole }
  | { kind: 'not_member' }
  /** No such workspace, or it was deleted (tombstone). */
  | { kind: 'missing' }

export interface DocumentAccess {
  workspaceAccess: (userId: string, workspaceId: string) => Promise<WorkspaceAccess>
}
