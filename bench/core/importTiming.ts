/**
 * The import of a generated workspace through `importEntities` (one Yjs
 * transaction, projected into Dexie with its update appended to the log)
 * against a bare Dexie `bulkPut` of the same rows, each into a fresh scratch
 * database. Runs in the seed page on Chromium's real IndexedDB, and in Node
 * on fake-indexeddb (bench/import).
 */
import { listCollections, listFolders, listRequestTreeRows } from '../../src/db/queries'
import type { PigeonDb } from '../../src/db/schema'
import { openPigeonDb } from '../../src/db/schema'
import { importEntities } from '../../src/sync/mutations'
import { createWorkspace, openWorkspaceDoc } from '../../src/sync/workspaceDocs'
import { type GeneratedWorkspace, generateWorkspace, type WorkspaceSize } from './workspace'

export interface ImportTimings {
  /** ms of each importEntities run, until every change was stored. */
  importMs: number[]
  /** ms of each importEntities call alone: the Yjs transaction, before anything is stored. */
  transactMs: number[]
  /** ms of each bare bulkPut run. */
  bulkPutMs: number[]
  /** ms of each reopen of the imported workspace doc: log read, merged, applied (what the app does on start). */
  reopenMs: number[]
  /** ms of each read of the sidebar's rows from Dexie (collections, folders, light request rows), schema checks included. */
  treeReadMs: number[]
  /** Bytes of the Yjs update the import stored. */
  updateBytes: number
}

let scratchCount = 0
function scratchName(): string {
  scratchCount++
  return `pigeon-bench-scratch-${Date.now()}-${scratchCount}`
}

async function withScratchDb<T>(use: (db: PigeonDb) => Promise<T>): Promise<T> {
  const db = openPigeonDb(scratchName())
  await db.open()
  try {
    return await use(db)
  }
  finally {
    await db.delete()
  }
}

async function timeImport(data: GeneratedWorkspace): Promise<{ importMs: number, transactMs: number, reopenMs: number, treeReadMs: number, updateBytes: number }> {
  return withScratchDb(async (db) => {
    const workspace = await createWorkspace(db, 'Import benchmark')
    const handle = openWorkspaceDoc(db, workspace.id)
    await handle.whenLoaded
    const started = performance.now()
    importEntities(handle, data)
    const transactMs = performance.now() - started
    await handle.flushed()
    const importMs = performance.now() - started
    await handle.close()
    const updateBytes = Math.max(...(await db.updates.toArray()).map(row => row.update.byteLength))

    const reopenStarted = performance.now()
    const reopened = openWorkspaceDoc(db, workspace.id)
    await reopened.whenLoaded
    const reopenMs = performance.now() - reopenStarted
    await reopened.close()

    const readStarted = performance.now()
    await Promise.all([listCollections(db, workspace.id), listFolders(db, workspace.id), listRequestTreeRows(db, workspace.id)])
    const treeReadMs = performance.now() - readStarted
    return { importMs, transactMs, reopenMs, treeReadMs, updateBytes }
  })
}

async function timeBulkPut(data: GeneratedWorkspace): Promise<number> {
  return withScratchDb(async (db) => {
    const workspaceId = 'bulk-put'
    const started = performance.now()
    await db.transaction('rw', [db.collections, db.folders, db.requests], async () => {
      await db.collections.bulkPut(data.collections.map(row => ({ ...row, workspaceId })))
      await db.folders.bulkPut(data.folders.map(row => ({ ...row, workspaceId })))
      await db.requests.bulkPut(data.requests.map(row => ({ ...row, workspaceId })))
    })
    return performance.now() - started
  })
}

/**
 * Times both sides `runs` times, alternating so neither gets a warmer
 * browser, after one small warm-up of each. Every run gets freshly generated
 * objects: nothing is cached from the run before.
 */
export async function timeImports(size: WorkspaceSize, runs: number): Promise<ImportTimings> {
  const warmUp = generateWorkspace({ collections: 2, folders: 10, requests: 200 })
  await timeImport(warmUp)
  await timeBulkPut(warmUp)
  const timings: ImportTimings = { importMs: [], transactMs: [], bulkPutMs: [], reopenMs: [], treeReadMs: [], updateBytes: 0 }
  for (let run = 0; run < runs; run++) {
    const imported = await timeImport(generateWorkspace(size))
    timings.importMs.push(imported.importMs)
    timings.transactMs.push(imported.transactMs)
    timings.reopenMs.push(imported.reopenMs)
    timings.treeReadMs.push(imported.treeReadMs)
    timings.updateBytes = imported.updateBytes
    timings.bulkPutMs.push(await timeBulkPut(generateWorkspace(size)))
  }
  return timings
}
