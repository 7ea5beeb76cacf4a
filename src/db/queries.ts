/**
 * Reads for the UI. Every row passes its schema from the domain model; a row
 * that fails is skipped and set aside in quarantine (see `listQuarantine`).
 * Use them directly, or inside `observe` (live.ts) to follow changes.
 */
import { z } from 'zod/mini'
import {
  Collection,
  CollectionRun,
  Environment,
  Example,
  Folder,
  Globals,
  GLOBALS_ID,
  HeaderPreset,
  HistoryEntry,
  Request,
  Workspace,
} from '../domain/model'
import type { PigeonDb } from './schema'
import { parseRows } from './quarantine'
import { whenStagedRowsStored } from './stagedProjection'

export { listQuarantine, type QuarantinedRecord } from './quarantine'

/** What the sidebar tree needs of a request: cheap to read and check for 10,000 of them. */
export const RequestTreeRow = z.pick(Request, { id: true, parentId: true, collectionId: true, sortKey: true, name: true, method: true, url: true })
export type RequestTreeRow = z.infer<typeof RequestTreeRow>

function bySortKey<T extends { sortKey: string, id: string }>(a: T, b: T): number {
  return a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** Workspaces on this device, by name (the Scratch Pad included). */
export async function listWorkspaces(db: PigeonDb): Promise<Workspace[]> {
  const rows = parseRows(db, 'workspaces', Workspace, await db.workspaces.toArray())
  return rows.sort((a, b) => a.name.localeCompare(b.name))
}

/** Collections of a workspace, in sidebar order. */
export async function listCollections(db: PigeonDb, workspaceId: string): Promise<Collection[]> {
  const rows = await db.collections.where('workspaceId').equals(workspaceId).toArray()
  return parseRows(db, 'collections', Collection, rows).sort(bySortKey)
}

/** Folders of a workspace (all levels), in sortKey order. */
export async function listFolders(db: PigeonDb, workspaceId: string): Promise<Folder[]> {
  const rows = await db.folders.where('workspaceId').equals(workspaceId).toArray()
  return parseRows(db, 'folders', Folder, rows).sort(bySortKey)
}

/**
 * The light rows of every request of a workspace, for the tree and its
 * filter. Read from `requestTree`, so a live read of it does not re-run
 * while someone edits a request's body, headers or scripts.
 */
export async function listRequestTreeRows(db: PigeonDb, workspaceId: string): Promise<RequestTreeRow[]> {
  const rows = await db.requestTree.where('workspaceId').equals(workspaceId).toArray()
  return parseRows(db, 'requestTree', RequestTreeRow, rows).sort(bySortKey)
}

/** Requests directly under a collection or folder, complete, in order. */
export async function listRequestsIn(db: PigeonDb, workspaceId: string, parentId: string): Promise<Request[]> {
  const rows = await db.requests.where('[workspaceId+parentId]').equals([workspaceId, parentId]).toArray()
  return parseRows(db, 'requests', Request, rows).sort(bySortKey)
}

/** One request, complete, or null when it does not exist (or was set aside). */
export async function getRequest(db: PigeonDb, workspaceId: string, requestId: string): Promise<Request | null> {
  const row = await db.requests.get([workspaceId, requestId])
  return row ? parseRows(db, 'requests', Request, [row])[0] ?? null : null
}

/**
 * One request, complete, for opening it: while a large change is stored in
 * stages (the first sign-in's restore) its tree row can be on screen before
 * its whole row, so a missing row waits for those stages. Not for live reads.
 */
export async function getRequestOnceStored(db: PigeonDb, workspaceId: string, requestId: string): Promise<Request | null> {
  const request = await getRequest(db, workspaceId, requestId)
  return request ?? (await whenStagedRowsStored(db, workspaceId) ? getRequest(db, workspaceId, requestId) : null)
}

/** One collection, or null. */
export async function getCollection(db: PigeonDb, workspaceId: string, collectionId: string): Promise<Collection | null> {
  const row = await db.collections.get([workspaceId, collectionId])
  return row ? parseRows(db, 'collections', Collection, [row])[0] ?? null : null
}

/** One folder, or null. */
export async function getFolder(db: PigeonDb, workspaceId: string, folderId: string): Promise<Folder | null> {
  const row = await db.folders.get([workspaceId, folderId])
  return row ? parseRows(db, 'folders', Folder, [row])[0] ?? null : null
}

/** Saved examples of a request, oldest first. */
export async function listExamples(db: PigeonDb, workspaceId: string, requestId: string): Promise<Example[]> {
  const rows = await db.examples.where('[workspaceId+requestId]').equals([workspaceId, requestId]).toArray()
  return parseRows(db, 'examples', Example, rows).sort((a, b) => a.createdAt - b.createdAt)
}

/** One example, or null. */
export async function getExample(db: PigeonDb, workspaceId: string, exampleId: string): Promise<Example | null> {
  const row = await db.examples.get([workspaceId, exampleId])
  return row ? parseRows(db, 'examples', Example, [row])[0] ?? null : null
}

/** Header presets, by name. */
export async function listPresets(db: PigeonDb, workspaceId: string): Promise<HeaderPreset[]> {
  const rows = await db.presets.where('workspaceId').equals(workspaceId).toArray()
  return parseRows(db, 'presets', HeaderPreset, rows).sort((a, b) => a.name.localeCompare(b.name))
}

/** Environments, in their order. */
export async function listEnvironments(db: PigeonDb, workspaceId: string): Promise<Environment[]> {
  const rows = await db.environments.where('workspaceId').equals(workspaceId).toArray()
  return parseRows(db, 'environments', Environment, rows).sort(bySortKey)
}

/** The workspace's globals; an empty set when none were saved yet. */
export async function getGlobals(db: PigeonDb, workspaceId: string): Promise<Globals> {
  const row = await db.globals.get([workspaceId, GLOBALS_ID])
  const parsed = row ? parseRows(db, 'globals', Globals, [row])[0] : undefined
  return parsed ?? Globals.parse({ id: GLOBALS_ID })
}

/** History entries, newest first, at most `limit`. */
export async function listHistory(db: PigeonDb, workspaceId: string, limit = 100): Promise<HistoryEntry[]> {
  const rows = await db.history
    .where('[workspaceId+sentAt]')
    .between([workspaceId, -Infinity], [workspaceId, Infinity])
    .reverse()
    .limit(limit)
    .toArray()
  return parseRows(db, 'history', HistoryEntry, rows)
}

/** Collection runs, newest first, at most `limit`. */
export async function listRuns(db: PigeonDb, workspaceId: string, limit = 100): Promise<CollectionRun[]> {
  const rows = await db.runs
    .where('[workspaceId+startedAt]')
    .between([workspaceId, -Infinity], [workspaceId, Infinity])
    .reverse()
    .limit(limit)
    .toArray()
  return parseRows(db, 'runs', CollectionRun, rows)
}
