/**
 * Helpers for the data-layer tests: a fresh fake-indexeddb database per
 * test, an open workspace, and plain views of the projection and the doc.
 */
import 'fake-indexeddb/auto'
import { nanoid } from 'nanoid'
import type * as Y from 'yjs'
import { ENTITY_KINDS, type EntityKind } from '../../../src/domain/model'
import { openPigeonDb, type PigeonDb, PROJECTION_TABLES } from '../../../src/db/schema'
import { createWorkspace, openWorkspaceDoc, type WorkspaceHandle } from '../../../src/sync/workspaceDocs'
import { toPlain } from '../../../src/sync/docSchema'

/** A new, empty database with a name no other test uses. */
export function freshDb(): PigeonDb {
  return openPigeonDb(`pigeon-test-${nanoid()}`)
}

/** Creates a workspace and opens its doc, loaded. */
export async function openNewWorkspace(db: PigeonDb, name = 'Team API', options: { compactAfter?: number } = {}): Promise<WorkspaceHandle> {
  const workspace = await createWorkspace(db, name)
  const handle = openWorkspaceDoc(db, workspace.id, options)
  await handle.whenLoaded
  return handle
}

/** Every projected row of a workspace, per table, sorted by id, without the workspaceId column. */
export async function projection(db: PigeonDb, workspaceId: string): Promise<Record<string, Array<Record<string, unknown>>>> {
  const result: Record<string, Array<Record<string, unknown>>> = {}
  for (const table of PROJECTION_TABLES) {
    const rows = await db.projection(table).where('workspaceId').equals(workspaceId).toArray()
    result[table] = rows
      .map(({ workspaceId: _workspaceId, ...rest }) => rest as Record<string, unknown>)
      .sort((a, b) => String(a.id).localeCompare(String(b.id)))
  }
  return result
}

/** The doc's entities as plain objects, per kind. */
export function docEntities(doc: Y.Doc, kinds: readonly string[] = ENTITY_KINDS): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  for (const kind of kinds)
    result[kind] = toPlain(doc.getMap(kind))
  return result
}

/** Ids of the projected rows of one kind. */
export async function projectedIds(db: PigeonDb, workspaceId: string, kind: EntityKind | 'history'): Promise<string[]> {
  const rows = await db.projection(kind).where('workspaceId').equals(workspaceId).toArray()
  return rows.map(row => row.id).sort()
}
