/**
 * `GET /api/workspaces/:workspaceId/summary`: how many entities the server's
 * copy of a workspace holds, and how many history entries the caller has in
 * it. A device restoring the workspace on first sign-in divides what it has
 * projected by these totals for its progress bar (docs/api.md).
 *
 * Counted from the stored documents (snapshot plus update log), which are
 * always at least as new as the copy in memory: an actor commits before it
 * applies. Lives in the sync module because it reads sync documents; access
 * is the accounts module's, through `context.access`.
 */
import type { AppContext } from '../app.js'
import type { Route } from '../http/router.js'
import type { DocumentStore } from '../storage/documents.js'
import * as Y from 'yjs'
import { ENTITY_KINDS } from '../../../src/domain/model.js'
import { documentNameOf } from '../../../src/domain/syncProtocol.js'
import { HttpError, sendJson } from '../http/respond.js'

export interface WorkspaceSummary {
  /** Live entities of the workspace document: collections, folders, requests, examples, presets, environments, globals. */
  entities: number
  /** Entries of the caller's own history document of this workspace. */
  history: number
}

/** The stored document as a Y.Doc, or null when it was never written or was deleted. */
async function loadDoc(store: DocumentStore, name: string): Promise<Y.Doc | null> {
  const stored = await store.load(name)
  if (!stored || (stored.snapshot === null && stored.updates.length === 0))
    return null
  const doc = new Y.Doc()
  Y.transact(doc, () => {
    for (const update of stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates) {
      try {
        Y.applyUpdate(doc, update)
      }
      catch {
        // A bad stored row is skipped here as the document actor skips it on load.
      }
    }
  })
  return doc
}

/** Counts a workspace's entities and `userId`'s history entries in stored documents. */
export async function summarizeWorkspace(store: DocumentStore, workspaceId: string, userId: string): Promise<WorkspaceSummary> {
  const [workspace, history] = await Promise.all([
    loadDoc(store, documentNameOf({ kind: 'ws', workspaceId })),
    loadDoc(store, documentNameOf({ kind: 'history', workspaceId, userId })),
  ])
  const entities = workspace ? ENTITY_KINDS.reduce((sum, kind) => sum + workspace.getMap(kind).size, 0) : 0
  const summary = { entities, history: history?.getMap('history').size ?? 0 }
  workspace?.destroy()
  history?.destroy()
  return summary
}

/** The route; members only, with the same 401 and 404 as `GET /api/workspaces/:workspaceId`. */
export function workspaceSummaryRoute(context: AppContext, store: DocumentStore): Route {
  return {
    method: 'GET',
    path: '/api/workspaces/:workspaceId/summary',
    handler: async (ctx) => {
      const caller = await context.caller(ctx.req)
      if (!caller)
        throw new HttpError(401, 'You are not signed in, or your session has ended. Sign in again.', 'not_signed_in')
      const access = await context.access.workspaceAccess(caller.userId, ctx.params.workspaceId)
      if (access.kind !== 'member')
        throw new HttpError(404, 'There is no workspace with this id, or you are not a member of it.', 'no_such_workspace')
      sendJson(ctx.res, 200, await summarizeWorkspace(store, ctx.params.workspaceId, caller.userId))
    },
  }
}
