/**
 * The signed-out Scratch Pad read from an account's session: opens the
 * signed-out database (`pigeon-local`) on its own, reads one workspace's
 * collections (with folders, requests and examples), environments and
 * header presets, and closes it again. Nothing is written there, so the
 * Scratch Pad stays exactly as it was.
 */
import type { ZodMiniType } from 'zod/mini'
import Dexie from 'dexie'
import { Collection, Environment, Example, Folder, HeaderPreset, Request } from '../domain/model'
import type { PigeonDb } from './schema'
import { guardWrite } from './quota'
import { LOCAL_DB_NAME, openPigeonDb } from './schema'

export interface ScratchPadContent {
  collections: Collection[]
  folders: Folder[]
  requests: Request[]
  examples: Example[]
  environments: Environment[]
  presets: HeaderPreset[]
}

const EMPTY: ScratchPadContent = { collections: [], folders: [], requests: [], examples: [], environments: [], presets: [] }

/** Rows that pass their schema (the workspaceId column dropped); unreadable ones are skipped, they are reported when signed out. */
function readable<T>(schema: ZodMiniType<T>, rows: ReadonlyArray<Record<string, unknown>>): T[] {
  return rows.flatMap((row) => {
    const parsed = schema.safeParse(row)
    return parsed.success ? [parsed.data] : []
  })
}

/** Everything the signed-out workspace `workspaceId` holds that can be copied; empty when this browser never used Pigeon signed out. */
export async function readScratchPad(workspaceId: string, databaseName = LOCAL_DB_NAME): Promise<ScratchPadContent> {
  if (!(await Dexie.exists(databaseName)))
    return EMPTY
  const db = openPigeonDb(databaseName)
  try {
    const rowsOf = (table: Dexie.Table) => table.where('workspaceId').equals(workspaceId).toArray() as Promise<Array<Record<string, unknown>>>
    const [collections, folders, requests, examples, environments, presets] = await Promise.all([
      rowsOf(db.collections), rowsOf(db.folders), rowsOf(db.requests), rowsOf(db.examples), rowsOf(db.environments), rowsOf(db.presets),
    ])
    const bySortKey = <T extends { sortKey: string }>(list: T[]): T[] => list.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0))
    return {
      collections: bySortKey(readable(Collection, collections)),
      folders: readable(Folder, folders),
      requests: readable(Request, requests),
      examples: readable(Example, examples),
      environments: readable(Environment, environments),
      presets: readable(HeaderPreset, presets),
    }
  }
  finally {
    db.close()
  }
}

/**
 * Copies the bytes of stored files (by blob id) from the signed-out
 * database into `target`, so copied requests keep their file parts on this
 * device. Files already there, or no longer in the Scratch Pad, are skipped.
 */
export async function copyScratchPadFiles(target: PigeonDb, blobIds: readonly string[], databaseName = LOCAL_DB_NAME): Promise<void> {
  if (!blobIds.length || !(await Dexie.exists(databaseName)))
    return
  const source = openPigeonDb(databaseName)
  try {
    const found = (await source.blobs.bulkGet([...blobIds])).filter(blob => blob !== undefined)
    const present = new Set((await target.blobs.bulkGet(found.map(blob => blob.id))).filter(blob => blob !== undefined).map(blob => blob.id))
    const missing = found.filter(blob => !present.has(blob.id))
    if (missing.length)
      await guardWrite('the copied files', () => target.blobs.bulkPut(missing).then(() => undefined))
  }
  finally {
    source.close()
  }
}
