/**
 * `GET /api/workspaces/:workspaceId/summary`: how many entities the server's
 * copy of a workspace holds, how many history entries the caller has in it,
 * and how many collection runs it keeps. A device restoring the workspace on first sign-in divides what it has
 * projected by these totals for its progress bar (docs/api.md).
 *
 * Counted in the document actor's copy when one is in memory (a device has
 * it open), else in the stored documents (snapshot plus update log). Lives in the sync module because it reads sync documents; access
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
  /** Collection runs of the workspace's runs document. */
  runs: number
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

/** Reads a document in memory, or null when it is not loaded (the sync hub's actors). */
export type ReadInMemory = <T>(name: string, read: (doc: Y.Doc) => T) => T | null

/** Counts in the copy in memory when there is one, else in a copy loaded from storage (0 when never written). */
async function countIn(store: DocumentStore, inMemory: ReadInMemory, name: string, count: (doc: Y.Doc) => number): Promise<number> {
  const live = inMemory(name, count)
  if (live !== null)
    return live
  const doc = await loadDoc(store, name)
  if (!doc)
    return 0
  try {
    return count(doc)
  }
  finally {
    doc.destroy()
  }
}

/**
 * Counts a workspace's entities, `userId`'s history entries and the
 * workspace's collection runs. A document
 * a device has open is counted in memory: loading a second copy of a large
 * one kept the server busy while that device waited for its first sync.
 */
export async function summarizeWorkspace(store: DocumentStore, workspaceId: string, userId: string, inMemory: ReadInMemory = () => null): Promise<WorkspaceSummary> {
  const [entities, history, runs] = await Promise.all([
    countIn(store, inMemory, documentNameOf({ kind: 'ws', workspaceId }), doc => ENTITY_KINDS.reduce((sum, kind) => sum + doc.getMap(kind).size, 0)),
    countIn(store, inMemory, documentNameOf({ kind: 'history', workspaceId, userId }), doc => doc.getMap('history').size),
    countIn(store, inMemory, documentNameOf({ kind: 'runs', workspaceId }), doc => doc.getMap('runs').size),
  ])
  return { entities, history, runs }
}

/** The route; members only, with the same 401 and 404 as `GET /api/workspaces/:workspaceId`. */
export function workspaceSummaryRoute(context: AppContext, store: DocumentStore, inMemory: ReadInMemory): Route {
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
      sendJson(ctx.res, 200, await summarizeWorkspace(store, ctx.params.workspaceId, caller.userId, inMemory))
    },
  }
}
