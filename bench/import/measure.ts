/**
 * The import benchmark: 10,000 requests in 500 folders imported through
 * `importEntities` (Y.Doc + projection + update log, as the app does) versus
 * a bare Dexie `bulkPut` of the same rows. Runs anywhere IndexedDB exists:
 * Node with fake-indexeddb (run.ts) or Chromium.
 */
import { Collection, Folder, Request } from '../../src/domain/model'
import { keysBetween } from '../../src/domain/tree'
import type { PigeonDb } from '../../src/db/schema'
import { listRequestTreeRows } from '../../src/db/queries'
import { importEntities } from '../../src/sync/mutations'
import { createWorkspace, openWorkspaceDoc } from '../../src/sync/workspaceDocs'

export interface ImportBenchOptions {
  /** Opens (creates) a database by name: the benchmark makes fresh ones. */
  openDb: (name: string) => PigeonDb
  requests?: number
  folders?: number
  collections?: number
  /** Runs of each side; the median is reported. */
  runs?: number
}

export interface ImportBenchResult {
  requests: number
  folders: number
  /** Median ms of importEntities until everything is in Dexie. */
  importMs: number
  /** Median ms of the synchronous part (checks + Yjs transaction + encoding), before the Dexie write. */
  importSyncMs: number
  /** Median ms of a bare bulkPut of the same rows. */
  bulkPutMs: number
  ratio: number
  /** Best run of each side (least disturbed by other work on the machine). */
  bestImportMs: number
  bestBulkPutMs: number
  /** Bytes of the Yjs update appended to the log by the import. */
  updateBytes: number
  /** Median ms to read the 10,000 light tree rows back (what the sidebar does on start). */
  treeReadMs: number
}

/** A generated workspace: collections → folders → requests, like a big Postman export. */
export function generateWorkspace(counts: { collections: number, folders: number, requests: number }) {
  const collections: Collection[] = []
  const folders: Folder[] = []
  const requests: Request[] = []
  const collectionKeys = keysBetween(null, null, counts.collections)
  for (let c = 0; c < counts.collections; c++)
    collections.push(Collection.parse({ id: `c${c}`, name: `Service ${c}`, sortKey: collectionKeys[c], description: `Endpoints of service ${c}.` }))
  const foldersPerCollection = Math.ceil(counts.folders / counts.collections)
  const requestsPerFolder = Math.ceil(counts.requests / counts.folders)
  const folderKeys = keysBetween(null, null, foldersPerCollection)
  const requestKeys = keysBetween(null, null, requestsPerFolder)
  for (let f = 0; f < counts.folders; f++) {
    const collectionId = `c${f % counts.collections}`
    folders.push(Folder.parse({ id: `f${f}`, parentId: collectionId, collectionId, name: `Resource ${f}`, sortKey: folderKeys[Math.floor(f / counts.collections) % foldersPerCollection] }))
  }
  for (let r = 0; r < counts.requests; r++) {
    const folder = folders[r % counts.folders]
    requests.push(Request.parse({
      id: `r${r}`,
      parentId: folder.id,
      collectionId: folder.collectionId,
      sortKey: requestKeys[Math.floor(r / counts.folders) % requestsPerFolder],
      name: `Get item ${r}`,
      method: r % 3 ? 'GET' : 'POST',
      url: `{{baseUrl}}/resources/${folder.id}/items/${r}?page=1&size=20`,
      params: [{ id: 'p1', key: 'page', value: '1' }, { id: 'p2', key: 'size', value: '20' }],
      headers: [{ id: 'h1', key: 'Accept', value: 'application/json' }, { id: 'h2', key: 'X-Request-Id', value: '{{$guid}}' }],
      body: r % 3 ? {} : { mode: 'raw', raw: JSON.stringify({ name: `item ${r}`, tags: ['a', 'b'], price: r }) },
      auth: { type: 'inherit' },
    }))
  }
  return { collections, folders, requests }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

let dbCount = 0
function freshName(): string {
  dbCount++
  return `pigeon-bench-${Date.now()}-${dbCount}`
}

async function timeImport(options: ImportBenchOptions, data: ReturnType<typeof generateWorkspace>): Promise<{ ms: number, syncMs: number, updateBytes: number, treeReadMs: number }> {
  const db = options.openDb(freshName())
  const workspace = await createWorkspace(db, 'Benchmark')
  const handle = openWorkspaceDoc(db, workspace.id, { compactAfter: Number.MAX_SAFE_INTEGER })
  await handle.whenLoaded
  const started = performance.now()
  importEntities(handle, data)
  const syncMs = performance.now() - started
  await handle.flushed()
  const ms = performance.now() - started
  const rows = await db.updates.toArray()
  const updateBytes = Math.max(...rows.map(row => row.update.byteLength))
  const readStarted = performance.now()
  const treeRows = await listRequestTreeRows(db, workspace.id)
  const treeReadMs = performance.now() - readStarted
  if (treeRows.length !== data.requests.length)
    throw new Error(`The import stored ${treeRows.length} of ${data.requests.length} requests.`)
  await handle.close()
  db.close()
  return { ms, syncMs, updateBytes, treeReadMs }
}

async function timeBulkPut(options: ImportBenchOptions, data: ReturnType<typeof generateWorkspace>): Promise<number> {
  const db = options.openDb(freshName())
  await db.open()
  const workspaceId = 'bench'
  const started = performance.now()
  await db.transaction('rw', [db.collections, db.folders, db.requests], async () => {
    await db.collections.bulkPut(data.collections.map(row => ({ ...row, workspaceId })))
    await db.folders.bulkPut(data.folders.map(row => ({ ...row, workspaceId })))
    await db.requests.bulkPut(data.requests.map(row => ({ ...row, workspaceId })))
  })
  const ms = performance.now() - started
  db.close()
  return ms
}

/** Measures both sides (alternating, after a small warm-up) and returns the medians. */
export async function measureImport(options: ImportBenchOptions): Promise<ImportBenchResult> {
  const counts = { collections: options.collections ?? 10, folders: options.folders ?? 500, requests: options.requests ?? 10_000 }
  const warmUp = generateWorkspace({ collections: 2, folders: 10, requests: 200 })
  await timeImport(options, warmUp)
  await timeBulkPut(options, warmUp)

  const importTimes: number[] = []
  const bulkTimes: number[] = []
  const treeReadTimes: number[] = []
  const syncTimes: number[] = []
  let updateBytes = 0
  for (let run = 0; run < (options.runs ?? 3); run++) {
    // Fresh objects each run: the import must not profit from the previous one.
    const imported = await timeImport(options, generateWorkspace(counts))
    importTimes.push(imported.ms)
    treeReadTimes.push(imported.treeReadMs)
    syncTimes.push(imported.syncMs)
    updateBytes = imported.updateBytes
    bulkTimes.push(await timeBulkPut(options, generateWorkspace(counts)))
  }
  const importMs = median(importTimes)
  const bulkPutMs = median(bulkTimes)
  return {
    requests: counts.requests,
    folders: counts.folders,
    importMs,
    importSyncMs: median(syncTimes),
    bulkPutMs,
    ratio: importMs / bulkPutMs,
    bestImportMs: Math.min(...importTimes),
    bestBulkPutMs: Math.min(...bulkTimes),
    updateBytes,
    treeReadMs: median(treeReadTimes),
  }
}

/** The result as the lines the benchmark prints. */
export function formatImportResult(result: ImportBenchResult, where: string): string {
  return [
    `import of ${result.requests.toLocaleString('en')} requests in ${result.folders} folders (${where})`,
    `  importEntities → Y.Doc + Dexie: ${result.importMs.toFixed(0)} ms median, of which ${result.importSyncMs.toFixed(0)} ms before the Dexie write (Yjs update ${(result.updateBytes / 1024 / 1024).toFixed(2)} MiB)`,
    `  bare Dexie bulkPut:             ${result.bulkPutMs.toFixed(0)} ms median`,
    `  ratio: ${result.ratio.toFixed(2)}× of medians, ${(result.bestImportMs / result.bestBulkPutMs).toFixed(2)}× of best runs (${result.bestImportMs.toFixed(0)} / ${result.bestBulkPutMs.toFixed(0)} ms) (goal: within 3×)`,
    `  reading the ${result.requests.toLocaleString('en')} tree rows back: ${result.treeReadMs.toFixed(0)} ms`,
  ].join('\n')
}
