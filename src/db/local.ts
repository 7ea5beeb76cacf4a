/**
 * Local-only records: open tabs and their drafts, the last response of a
 * tab, settings, current values of variables and file bytes. None of this
 * syncs; all of it survives a reload.
 */
import { newId } from '../domain/ids'
import type { AgentResponse } from '../domain/prepared'
import type { BlobRow, CurrentValueRow, PigeonDb } from './schema'
import { DraftRecord, TabRecord } from './localRecords'
import { parseRows } from './quarantine'
import { guardWrite } from './quota'

export { DraftRecord, TabRecord } from './localRecords'

/** Replaces the open tabs of a workspace with `tabs` (in their order), in one transaction. */
export async function saveTabs(db: PigeonDb, workspaceId: string, tabs: TabRecord[]): Promise<void> {
  const rows = tabs.map((tab, position) => TabRecord.parse({ ...tab, workspaceId, position }))
  await guardWrite('your open tabs', () => db.transaction('rw', db.tabs, async () => {
    await db.tabs.where('workspaceId').equals(workspaceId).delete()
    await db.tabs.bulkPut(rows)
  }))
}

/** The open tabs of a workspace, in order. */
export async function loadTabs(db: PigeonDb, workspaceId: string): Promise<TabRecord[]> {
  const rows = await db.tabs.where('workspaceId').equals(workspaceId).toArray()
  return parseRows(db, 'tabs', TabRecord, rows).sort((a, b) => a.position - b.position)
}

/** Saves the unsaved edits of a tab. */
export async function saveDraft(db: PigeonDb, draft: DraftRecord): Promise<void> {
  const row = DraftRecord.parse({ ...draft, savedAt: Date.now() })
  await guardWrite('your unsaved edits', () => db.drafts.put(row).then(() => undefined))
}

/** The draft of a tab, or null when the tab has no unsaved edits. */
export async function loadDraft(db: PigeonDb, tabId: string): Promise<DraftRecord | null> {
  const row = await db.drafts.get(tabId)
  return row ? parseRows(db, 'drafts', DraftRecord, [row])[0] ?? null : null
}

/** Every draft of a workspace. */
export async function loadDrafts(db: PigeonDb, workspaceId: string): Promise<DraftRecord[]> {
  return parseRows(db, 'drafts', DraftRecord, await db.drafts.where('workspaceId').equals(workspaceId).toArray())
}

/** Forgets a tab's draft (after saving or discarding it). */
export async function deleteDraft(db: PigeonDb, tabId: string): Promise<void> {
  await db.drafts.delete(tabId)
}

/** Keeps the last response of a tab (bodies up to 50 MiB are fine in IndexedDB). */
export async function putResponse(db: PigeonDb, workspaceId: string, tabId: string, response: AgentResponse): Promise<void> {
  await guardWrite('the response', () => db.responses.put({ tabId, workspaceId, savedAt: Date.now(), response }).then(() => undefined))
}

/** The last response of a tab, or null. */
export async function getResponse(db: PigeonDb, tabId: string): Promise<AgentResponse | null> {
  return (await db.responses.get(tabId))?.response ?? null
}

/** Forgets the last response of a tab (when the tab closes). */
export async function deleteResponse(db: PigeonDb, tabId: string): Promise<void> {
  await db.responses.delete(tabId)
}

/** A setting's value, or `fallback` when it was never set. */
export async function getSetting<T>(db: PigeonDb, key: string, fallback: T): Promise<T> {
  const row = await db.settings.get(key)
  return row ? (row.value as T) : fallback
}

/** Stores a setting (any structured-cloneable value). */
export async function setSetting(db: PigeonDb, key: string, value: unknown): Promise<void> {
  await guardWrite('your settings', () => db.settings.put({ key, value }).then(() => undefined))
}

/** Current values on this device of the variables of one scope (environment, collection or globals id), by variable id. */
export async function getCurrentValues(db: PigeonDb, scopeId: string): Promise<Map<string, string>> {
  const rows = await db.currentValues.where('scopeId').equals(scopeId).toArray()
  return new Map(rows.map(row => [row.variableId, row.value]))
}

/** Sets the current value of one variable on this device. */
export async function setCurrentValue(db: PigeonDb, row: CurrentValueRow): Promise<void> {
  await guardWrite('the current value', () => db.currentValues.put({ ...row }).then(() => undefined))
}

/** Clears current values: of one variable when `variableId` is given, else of the whole scope. */
export async function clearCurrentValues(db: PigeonDb, scopeId: string, variableId?: string): Promise<void> {
  if (variableId !== undefined)
    await db.currentValues.delete([scopeId, variableId])
  else
    await db.currentValues.where('scopeId').equals(scopeId).delete()
}

/** What is stored for a file: bytes and how to present them. */
export interface StoredFile {
  name: string
  type: string
  bytes: Uint8Array
}

/** Stores a file's bytes on this device; returns the blob id a FileRef points to. */
export async function putBlob(db: PigeonDb, file: StoredFile, id: string = newId()): Promise<string> {
  const row: BlobRow = { id, name: file.name, type: file.type || 'application/octet-stream', size: file.bytes.byteLength, bytes: file.bytes, createdAt: Date.now() }
  await guardWrite(`the file “${file.name}”`, () => db.blobs.put(row).then(() => undefined))
  return id
}

/** A stored file, or null when this device does not have its bytes (e.g. chosen on another device). */
export async function getBlob(db: PigeonDb, id: string): Promise<BlobRow | null> {
  return (await db.blobs.get(id)) ?? null
}

/** Deletes a stored file. */
export async function deleteBlob(db: PigeonDb, id: string): Promise<void> {
  await db.blobs.delete(id)
}
