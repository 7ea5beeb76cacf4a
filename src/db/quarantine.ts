/**
 * Records that fail their schema are set aside here instead of breaking the
 * app: the UI skips them, and a settings page lists them with the reason.
 */
import type { ZodMiniType } from 'zod/mini'
import type { PigeonDb, QuarantineRow } from './schema'

const KIND_NAMES: Record<string, string> = {
  workspaces: 'workspace',
  collections: 'collection',
  folders: 'folder',
  requests: 'request',
  requestTree: 'request (sidebar copy)',
  examples: 'example',
  presets: 'header preset',
  environments: 'environment',
  globals: 'globals record',
  history: 'history entry',
  runs: 'collection run',
  tabs: 'tab',
  drafts: 'draft',
}

/** A quarantined record with a sentence a person can read. */
export interface QuarantinedRecord extends QuarantineRow {
  sentence: string
}

/** The stable id of a quarantined record, so reporting it twice keeps one copy. */
export function quarantineId(source: QuarantineRow['source'], workspaceId: string, kind: string, recordId: string): string {
  return `${source}:${workspaceId}:${kind}:${recordId}`
}

/** Turns a schema failure into words: "url: expected string, received number". */
export function describeSchemaError(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>, message: string }> }): string {
  return error.issues
    .slice(0, 5)
    .map(issue => (issue.path.length ? `${issue.path.map(String).join('.')}: ` : '') + issue.message)
    .join('; ')
}

/** The sentence shown for a quarantined record. */
export function quarantineSentence(row: QuarantineRow): string {
  const what = KIND_NAMES[row.kind] ?? row.kind
  const where = row.source === 'document' ? 'in the workspace document' : 'in this device\'s storage'
  return `A ${what} (id ${row.recordId}) ${where} does not match Pigeon's format (${row.reason}), so it was set aside and is not shown; the rest of the workspace is unaffected.`
}

/** Every quarantined record (of one workspace, when given), newest first, with its sentence. */
export async function listQuarantine(db: PigeonDb, workspaceId?: string): Promise<QuarantinedRecord[]> {
  const rows = workspaceId
    ? await db.quarantine.where('workspaceId').equals(workspaceId).toArray()
    : await db.quarantine.toArray()
  rows.sort((a, b) => b.at - a.at)
  return rows.map(row => ({ ...row, sentence: quarantineSentence(row) }))
}

/**
 * Parses rows read from a projection table. Failing rows are skipped, and
 * moved out of the table into quarantine after the current read finishes
 * (reads may run inside a live query, which must not write).
 */
export function parseRows<T>(db: PigeonDb, kind: string, schema: ZodMiniType<T>, rows: ReadonlyArray<Record<string, unknown>>): T[] {
  const parsed: T[] = []
  const failed: QuarantineRow[] = []
  for (const row of rows) {
    const result = schema.safeParse(row)
    if (result.success) {
      parsed.push(result.data)
      continue
    }
    const workspaceId = String(row.workspaceId ?? '')
    const recordId = String(row.id ?? row.tabId ?? '?')
    failed.push({
      id: quarantineId('table', workspaceId, kind, recordId),
      workspaceId,
      source: 'table',
      kind,
      recordId,
      reason: describeSchemaError(result.error),
      record: row,
      at: Date.now(),
    })
  }
  if (failed.length)
    moveToQuarantineLater(db, kind, failed)
  return parsed
}

function moveToQuarantineLater(db: PigeonDb, kind: string, rows: QuarantineRow[]): void {
  // setTimeout leaves Dexie's live-query zone, so this runs as its own write.
  setTimeout(() => {
    db.transaction('rw', [db.quarantine, db.docState, db.table(kind)], async () => {
      await db.quarantine.bulkPut(rows)
      // The document may still hold a good copy: re-project it on the next open.
      const workspaceIds = [...new Set(rows.map(row => row.workspaceId))]
      await db.docState.where('workspaceId').anyOf(workspaceIds).modify({ projectionVersion: 0 })
      const table = db.table(kind)
      const primaryKey = table.schema.primKey.keyPath
      for (const row of rows) {
        const record = row.record as Record<string, unknown>
        const key = Array.isArray(primaryKey) ? primaryKey.map(path => record[path]) : record[primaryKey ?? 'id']
        await table.delete(key as never)
      }
    }).catch((error: unknown) => {
      // Nothing else to do from a background task than to say it where developers look.
      console.error('Pigeon could not set a malformed record aside:', error)
    })
  }, 0)
}
