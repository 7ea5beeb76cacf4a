/**
 * Who may open which document, and how: a pure decision from the caller, the
 * parsed name and the caller's role in the workspace.
 */
import type { Caller } from '../app.js'
import type { SyncDocumentName } from '../../../src/domain/syncProtocol.js'
import type { WorkspaceAccess } from './access.js'
import { CLOSE_FORBIDDEN, CLOSE_NOT_FOUND, CLOSE_REASONS } from '../../../src/domain/syncProtocol.js'

export type Authorization =
  | { ok: true, readOnly: boolean }
  | { ok: false, code: number, reason: string }

/**
 * Members open `ws/` (viewers read-only) and `runs/`; `history/<ws>/<user>`
 * only by that user, while a member. History and runs are writable by
 * viewers too: a viewer may send requests and run collections, and what they
 * sent or ran is theirs to record (a run is shared with the team, as in
 * Postman, where viewers can run a collection and its results are listed).
 */
export function authorizeDocument(caller: Caller, doc: SyncDocumentName, access: WorkspaceAccess): Authorization {
  if (doc.kind === 'history' && doc.userId !== caller.userId)
    return { ok: false, code: CLOSE_FORBIDDEN, reason: CLOSE_REASONS.notYourHistory }
  if (access.kind === 'missing')
    return { ok: false, code: CLOSE_NOT_FOUND, reason: CLOSE_REASONS.notFound }
  if (access.kind === 'not_member')
    return { ok: false, code: CLOSE_FORBIDDEN, reason: CLOSE_REASONS.notMember }
  return { ok: true, readOnly: isReadOnly(doc, access.role) }
}

/** Whether a member with `role` may only read `doc`. */
export function isReadOnly(doc: SyncDocumentName, role: string): boolean {
  return role === 'viewer' && doc.kind === 'ws'
}
