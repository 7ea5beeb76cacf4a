/**
 * Collection runs live in one doc per workspace (`runs/<workspaceId>`),
 * shared by its members and persisted and projected into the `runs` table by
 * the same machinery as workspace and history docs. A run is written once,
 * when it ends, and then only deleted; the doc keeps the latest RUNS_LIMIT,
 * and at most RUNS_TOTAL_RESULTS results in all.
 */
import type * as Y from 'yjs'
import type { z } from 'zod/mini'
import { CollectionRun, RUNS_LIMIT } from '../domain/model'
import { newId } from '../domain/ids'
import type { PigeonDb } from '../db/schema'
import { readWorkspace } from '../db/registry'
import { describeSchemaError } from '../db/quarantine'
import { kindMap, writeEntity } from './docSchema'
import { type DocHandle, WRITTEN_ENTITIES, type WrittenEntities, assertLoaded, openPersistedDoc } from './persistedDoc'
import { shareHandle } from './openHandles'
import { docModeOf } from './workspaceDocs'

export type RunsHandle = DocHandle

/**
 * Results kept across all runs of a workspace. A result is about 200 bytes
 * in the doc (a 5,000-result run is ~1 MB), so 100 long runs would pass the
 * server's document size limit (64 MB by default) and stop the runs syncing
 * for everyone; this keeps the doc near 10 MB. Older runs go first.
 */
export const RUNS_TOTAL_RESULTS = 50_000

/** The doc name of a workspace's runs (one for every member: runs are shared). */
export function runsDocName(workspaceId: string): string {
  return `runs/${workspaceId}`
}

/** Opens the runs doc of a workspace; `userId` ('local' signed out) is written to `updatedBy`. */
export function openRunsDoc(db: PigeonDb, workspaceId: string, userId = 'local', options: { compactAfter?: number } = {}): RunsHandle {
  const docName = runsDocName(workspaceId)
  return shareHandle(db, docName, () => openPersistedDoc(db, {
    docName,
    workspaceId,
    kinds: ['runs'],
    mode: async () => docModeOf(await readWorkspace(db, workspaceId)),
    userId,
    compactAfter: options.compactAfter,
  }))
}

/**
 * Fields of a finished run; id and timestamps are filled in, and fields with
 * a default in the model (folderId, outcome, a result's error…) may be left out.
 */
export type RunInput = Omit<z.input<typeof CollectionRun>, 'id' | 'createdAt' | 'updatedAt' | 'updatedBy'> & { id?: string }

/**
 * Stores a finished run. When the doc passes `limit` runs or
 * `resultsLimit` results, the oldest runs (by start time) are dropped in the
 * same transaction, so every device drops the same ones; the new run always
 * stays. Throws a sentence when the run does not match its schema.
 */
export function addRun(handle: RunsHandle, input: RunInput, limit = RUNS_LIMIT, resultsLimit = RUNS_TOTAL_RESULTS): CollectionRun {
  assertLoaded(handle)
  const now = Date.now()
  const parsed = CollectionRun.safeParse({ ...input, id: input.id ?? newId(), createdAt: now, updatedAt: now, updatedBy: handle.userId })
  if (!parsed.success)
    throw new Error(`Pigeon could not keep this collection run: ${describeSchemaError(parsed.error)}.`)
  const run = parsed.data
  const map = kindMap(handle.doc, 'runs')
  handle.doc.transact((tr) => {
    map.set(run.id, writeEntity('runs', run))
    // The observer projects the run from this instead of reading its results back.
    const written: WrittenEntities = new Map([['runs', new Map([[run.id, run]])]])
    tr.meta.set(WRITTEN_ENTITIES, written)
    for (const id of oldestBeyond(map, run.id, limit, resultsLimit))
      map.delete(id)
  }, handle)
  return run
}

/** Ids of the oldest runs to drop so that at most `limit` runs and `resultsLimit` results stay; never `keepId`. */
function oldestBeyond(map: Y.Map<Y.Map<unknown>>, keepId: string, limit: number, resultsLimit: number): string[] {
  const runs: Array<{ id: string, startedAt: number, results: number }> = []
  let results = 0
  map.forEach((ymap, id) => {
    const count = (ymap.get('results') as unknown[] | undefined)?.length ?? 0
    results += count
    runs.push({ id, startedAt: Number(ymap.get('startedAt')) || 0, results: count })
  })
  runs.sort((a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : 1))
  const dropped: string[] = []
  let left = runs.length
  for (const each of runs) {
    if (left <= limit && results <= resultsLimit)
      break
    if (each.id === keepId)
      continue
    dropped.push(each.id)
    left--
    results -= each.results
  }
  return dropped
}

/** Deletes one run; false when it was already gone. */
export function deleteRun(handle: RunsHandle, id: string): boolean {
  assertLoaded(handle)
  const map = kindMap(handle.doc, 'runs')
  if (!map.has(id))
    return false
  handle.doc.transact(() => map.delete(id), handle)
  return true
}

/** Deletes every run of the workspace, or only those of `collectionId`; returns how many went. */
export function clearRuns(handle: RunsHandle, collectionId?: string): number {
  assertLoaded(handle)
  const map = kindMap(handle.doc, 'runs')
  const doomed = [...map.entries()]
    .filter(([, ymap]) => collectionId === undefined || ymap.get('collectionId') === collectionId)
    .map(([id]) => id)
  if (doomed.length) {
    handle.doc.transact(() => {
      for (const id of doomed)
        map.delete(id)
    }, handle)
  }
  return doomed.length
}
