/**
 * History lives in its own doc per workspace and user
 * (`history/<workspaceId>/<userId or 'local'>`), persisted and projected into
 * the `history` table by the same machinery as workspace docs. It keeps the
 * latest HISTORY_LIMIT entries; bodies are cut at HISTORY_BODY_LIMIT.
 */
import { HISTORY_BODY_LIMIT, HISTORY_LIMIT, HistoryEntry } from '../domain/model'
import { newId } from '../domain/ids'
import type { PigeonDb } from '../db/schema'
import { readWorkspace } from '../db/registry'
import { describeSchemaError } from '../db/quarantine'
import { kindMap, writeEntity } from './docSchema'
import { type DocHandle, WRITTEN_ENTITIES, type WrittenEntities, assertLoaded, openPersistedDoc } from './persistedDoc'
import { shareHandle } from './openHandles'
import { docModeOf } from './workspaceDocs'

export type HistoryHandle = DocHandle

/** The doc name of a user's history in a workspace. */
export function historyDocName(workspaceId: string, userId = 'local'): string {
  return `history/${workspaceId}/${userId}`
}

/** Opens the history doc of a workspace for a user ('local' when signed out). */
export function openHistoryDoc(db: PigeonDb, workspaceId: string, userId = 'local', options: { compactAfter?: number } = {}): HistoryHandle {
  const docName = historyDocName(workspaceId, userId)
  return shareHandle(db, docName, () => openPersistedDoc(db, {
    docName,
    workspaceId,
    kinds: ['history'],
    mode: async () => docModeOf(await readWorkspace(db, workspaceId)),
    userId,
    compactAfter: options.compactAfter,
  }))
}

/** Fields of a new history entry; id and timestamps are filled in. */
export type HistoryInput = Omit<HistoryEntry, 'id' | 'createdAt' | 'updatedAt' | 'updatedBy'> & { id?: string }

/** Cuts a body to `limit` characters and says whether it did. */
function bounded(body: string, alreadyCut: boolean, limit: number): { body: string, bodyTruncated: boolean } {
  return body.length > limit ? { body: body.slice(0, limit), bodyTruncated: true } : { body, bodyTruncated: alreadyCut }
}

/**
 * Records a sent request. The body is cut to HISTORY_BODY_LIMIT characters,
 * and when the history passes `limit` entries the oldest are dropped in the
 * same transaction.
 */
export function addHistoryEntry(handle: HistoryHandle, input: HistoryInput, limit = HISTORY_LIMIT): HistoryEntry {
  assertLoaded(handle)
  const now = Date.now()
  const parsed = HistoryEntry.safeParse({
    ...input,
    id: input.id ?? newId(),
    createdAt: now,
    updatedAt: now,
    updatedBy: handle.userId,
    response: { ...input.response, ...bounded(input.response.body, input.response.bodyTruncated, HISTORY_BODY_LIMIT) },
  })
  if (!parsed.success)
    throw new Error(`Pigeon could not add this request to the history: ${describeSchemaError(parsed.error)}.`)
  const entry = parsed.data
  const map = kindMap(handle.doc, 'history')
  handle.doc.transact((tr) => {
    map.set(entry.id, writeEntity('history', entry))
    const written: WrittenEntities = new Map([['history', new Map([[entry.id, entry]])]])
    tr.meta.set(WRITTEN_ENTITIES, written)
    if (map.size > limit) {
      const bySentAt: Array<[string, number]> = []
      map.forEach((ymap, id) => bySentAt.push([id, Number(ymap.get('sentAt')) || 0]))
      bySentAt.sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
      for (const [id] of bySentAt.slice(0, map.size - limit))
        map.delete(id)
    }
  }, handle)
  return entry
}

/** Deletes one history entry; false when it was already gone. */
export function deleteHistoryEntry(handle: HistoryHandle, id: string): boolean {
  assertLoaded(handle)
  const map = kindMap(handle.doc, 'history')
  if (!map.has(id))
    return false
  handle.doc.transact(() => map.delete(id), handle)
  return true
}

/** Deletes every history entry of this doc. */
export function clearHistory(handle: HistoryHandle): void {
  assertLoaded(handle)
  const map = kindMap(handle.doc, 'history')
  if (!map.size)
    return
  handle.doc.transact(() => {
    for (const id of [...map.keys()])
      map.delete(id)
  }, handle)
}
