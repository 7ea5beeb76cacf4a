/**
 * Workspace documents and the local workspace registry. Each workspace is a
 * Y.Doc named `ws/<workspaceId>`, persisted and projected by persistedDoc.ts;
 * its name lives in the registry (for listing without opening docs) and in
 * the doc's `meta` map (so it syncs).
 */
import { newId } from '../domain/ids'
import * as Y from 'yjs'
import { ENTITY_KINDS, SCRATCH_PAD_NAME, type Workspace } from '../domain/model'
import type { DocMode, PigeonDb } from '../db/schema'
import type { WriterLocks } from '../db/writerLocks'
import { appendToClosedDoc, deleteWorkspaceData, readWorkspace, registerWorkspace } from '../db/registry'
import { readUpdateLog } from '../db/updateLog'
import { META_MAP } from './docSchema'
import { type DocHandle, openPersistedDoc } from './persistedDoc'
import { closeMatching, openHandle, shareHandle } from './openHandles'
import { announceToTabs, tabChannelName } from './tabRelay'

/** The fixed id of the Scratch Pad: two tabs starting at once create the same one. */
export const SCRATCH_PAD_ID = 'scratch-pad'

/** An open workspace document. */
export type WorkspaceHandle = DocHandle

export interface OpenWorkspaceOptions {
  /** Who edits on this device (`updatedBy`); 'local' when signed out. */
  userId?: string
  /** Compact the update log once it holds more rows than this. */
  compactAfter?: number
  /** Tells which tabs' staged writes are still under way (default `navigator.locks`). */
  locks?: WriterLocks | null
}

/** The doc name of a workspace. */
export function workspaceDocName(workspaceId: string): string {
  return `ws/${workspaceId}`
}

/** Local workspaces never leave the device; the others sync. */
export function docModeOf(workspace: Workspace | null): DocMode {
  return !workspace || workspace.kind === 'local' ? 'local' : 'synced'
}

/**
 * Opens a workspace's doc: loads its update log in one transaction, then
 * projects every change into Dexie. Opening an open workspace again returns
 * the same handle (one Y.Doc per workspace); it closes when every opener closed it.
 */
export function openWorkspaceDoc(db: PigeonDb, workspaceId: string, options: OpenWorkspaceOptions = {}): WorkspaceHandle {
  const docName = workspaceDocName(workspaceId)
  return shareHandle(db, docName, () => openPersistedDoc(db, {
    docName,
    workspaceId,
    kinds: ENTITY_KINDS,
    mode: async () => docModeOf(await readWorkspace(db, workspaceId)),
    userId: options.userId,
    compactAfter: options.compactAfter,
    projectsMetaName: true,
    locks: options.locks,
  }))
}

function firstMetaUpdate(workspace: Workspace): Uint8Array {
  const doc = new Y.Doc()
  const meta = doc.getMap(META_MAP)
  doc.transact(() => {
    meta.set('id', workspace.id)
    meta.set('name', workspace.name)
    meta.set('kind', workspace.kind)
    meta.set('createdAt', workspace.createdAt)
  })
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}

function checkedName(name: string): string {
  const trimmed = name.trim()
  if (!trimmed)
    throw new Error('A workspace needs a name; type one and try again.')
  if (trimmed.length > 200)
    throw new Error('That workspace name is longer than 200 characters; shorten it and try again.')
  return trimmed
}

/** Makes sure the local "Scratch Pad" workspace exists (it does from the first start) and returns it. */
export async function ensureScratchPad(db: PigeonDb): Promise<Workspace> {
  const existing = await readWorkspace(db, SCRATCH_PAD_ID)
  if (existing)
    return existing
  const now = Date.now()
  const workspace: Workspace = { id: SCRATCH_PAD_ID, name: SCRATCH_PAD_NAME, kind: 'local', createdAt: now, updatedAt: now }
  return registerWorkspace(db, workspace, workspaceDocName(workspace.id), 'local', firstMetaUpdate(workspace))
}

/** Creates a local workspace on this device and returns it. */
export async function createWorkspace(db: PigeonDb, name: string, kind: Workspace['kind'] = 'local', id: string = newId()): Promise<Workspace> {
  const now = Date.now()
  const workspace: Workspace = { id, name: checkedName(name), kind, createdAt: now, updatedAt: now }
  return registerWorkspace(db, workspace, workspaceDocName(id), docModeOf(workspace), firstMetaUpdate(workspace))
}

/** Registers on this device a workspace the server listed for the account (made elsewhere): nothing here to sync yet. */
export async function registerListedWorkspace(db: PigeonDb, listed: Pick<Workspace, 'id' | 'name' | 'kind'>): Promise<Workspace> {
  const now = Date.now()
  const workspace: Workspace = { id: listed.id, name: checkedName(listed.name), kind: listed.kind, createdAt: now, updatedAt: now }
  return registerWorkspace(db, workspace, workspaceDocName(workspace.id), docModeOf(workspace), firstMetaUpdate(workspace), false)
}

/** Renames a workspace: in its doc's `meta` (so it syncs) and in the registry. */
export async function renameWorkspace(db: PigeonDb, workspaceId: string, name: string): Promise<void> {
  const newName = checkedName(name)
  const workspace = await readWorkspace(db, workspaceId)
  if (!workspace)
    throw new Error('That workspace is no longer on this device; it may have been deleted in another tab.')
  const open = openHandle(db, workspaceDocName(workspaceId))
  if (open) {
    await open.whenLoaded
    open.doc.transact(() => open.doc.getMap(META_MAP).set('name', newName))
    await open.flushed()
    return
  }
  // Closed doc: make the edit on a temporary copy and append just that update.
  const doc = new Y.Doc()
  const rows = await readUpdateLog(db, workspaceDocName(workspaceId))
  doc.transact(() => {
    for (const row of rows)
      Y.applyUpdate(doc, row.update)
  })
  const before = Y.encodeStateVector(doc)
  doc.getMap(META_MAP).set('name', newName)
  const update = Y.encodeStateAsUpdate(doc, before)
  doc.destroy()
  await appendToClosedDoc(db, workspaceDocName(workspaceId), update, { ...workspace, name: newName, updatedAt: Date.now() })
  announceToTabs(tabChannelName(db, workspaceDocName(workspaceId)), update)
}

/**
 * Deletes a workspace from this device in one transaction: registry row,
 * update logs and doc state of its workspace, history and runs docs, its
 * projection rows and its local-only records. The Scratch Pad stays.
 */
export async function deleteWorkspace(db: PigeonDb, workspaceId: string): Promise<void> {
  if (workspaceId === SCRATCH_PAD_ID)
    throw new Error('The Scratch Pad cannot be deleted; delete its collections instead if you want it empty.')
  await closeMatching(db, docName => docName === workspaceDocName(workspaceId) || docName === `runs/${workspaceId}` || docName.startsWith(`history/${workspaceId}/`))
  await deleteWorkspaceData(db, workspaceId, [workspaceDocName(workspaceId), `runs/${workspaceId}`], [`history/${workspaceId}/`])
}
