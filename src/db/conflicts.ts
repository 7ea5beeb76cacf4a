/**
 * Conflicts waiting for the person (docs/sync.md, "Conflicts"): a field this
 * device changed while unsynced that another device changed too, an item
 * moved to two places, or an entity deleted elsewhere while changed here.
 * Local only, never synced: the tab holding a workspace's connection records
 * them, every tab shows them. One row per (entity, field): found again, it
 * replaces the older row. The fields added after v3 (`what` and the ones
 * after it) are not indexed, so they need no schema version.
 */
import type { PigeonDb, ProjectionTable } from './schema'
import { guardWrite } from './quota'

export interface ConflictRow {
  /** `<docName>|<kind>|<entityId>|<path joined by />`. */
  id: string
  workspaceId: string
  docName: string
  kind: string
  entityId: string
  entityName: string
  /** From the entity to the field: field names, and a row's id inside a list of rows. */
  path: string[]
  fieldLabel: string
  /** This device's value. */
  mine: unknown
  /** The other device's value. */
  theirs: unknown
  detectedAt: number
  /** What conflicts; absent on rows stored before this field existed: a plain field. */
  what?: ConflictKind
  /** Both values in words, when the values themselves are ids or data (a location's folder names, what a delete took). */
  mineWords?: string
  theirsWords?: string
  /** A deleted entity: everything the delete took, as this device had it (the entity first), to restore on "Keep mine". */
  restore?: Array<{ kind: string, value: Record<string, unknown> }>
  /** A deleted entity: entities still here whose container it took (they show again once it is restored). */
  orphans?: Array<{ kind: string, id: string, name: string }>
  /** A removed row: where it was in its list (`mine` is the row, `path` ends in its id). */
  rowIndex?: number
}

/** A plain field, a location (parent), a row removed elsewhere, or a deleted entity. */
export type ConflictKind = 'field' | 'location' | 'row' | 'deleted'

/** A conflict as the panel shows it: with the value in place now. */
export interface ConflictInPlace extends ConflictRow {
  /** Which of the two values the entity holds now; null when neither (changed again since). */
  inPlace: 'mine' | 'theirs' | null
}

/** The id of a conflict row: one per document, entity and field. */
export function conflictId(docName: string, kind: string, entityId: string, path: readonly string[]): string {
  return `${docName}|${kind}|${entityId}|${path.join('/')}`
}

/** Stores found conflicts; one already stored for the same field is replaced. */
export async function saveConflicts(db: PigeonDb, rows: ConflictRow[]): Promise<void> {
  await guardWrite('the list of conflicts', () => db.conflicts.bulkPut(rows))
}

/** Forgets conflicts (resolved, or their entity is gone). */
export async function deleteConflicts(db: PigeonDb, ids: string[]): Promise<void> {
  await db.conflicts.bulkDelete(ids)
}

/** The value at `path` inside a plain entity: object keys, and a row found by its id in an array. */
export function valueAtPath(entity: unknown, path: readonly string[]): { found: boolean, value: unknown } {
  let value = entity
  for (const segment of path) {
    if (Array.isArray(value)) {
      value = value.find(row => typeof row === 'object' && row !== null && (row as { id?: unknown }).id === segment)
      if (value === undefined)
        return { found: false, value: undefined }
    }
    else if (typeof value === 'object' && value !== null) {
      value = (value as Record<string, unknown>)[segment]
    }
    else {
      return { found: false, value: undefined }
    }
  }
  return { found: true, value }
}

/** Deep equality of JSON-like values, whatever the order of object keys. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b)
    return true
  if (Array.isArray(a) || Array.isArray(b))
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => sameValue(item, b[index]))
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null)
    return false
  const keys = Object.keys(a).filter(key => (a as Record<string, unknown>)[key] !== undefined)
  const otherKeys = Object.keys(b).filter(key => (b as Record<string, unknown>)[key] !== undefined)
  return keys.length === otherKeys.length && keys.every(key => sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
}

/**
 * The workspace's conflicts, oldest first, each with the value in place now
 * (read from the projection), split into those still standing and those whose
 * entity or row no longer exists (nothing left to choose: the caller forgets them).
 */
export async function listConflicts(db: PigeonDb, workspaceId: string): Promise<{ standing: ConflictInPlace[], gone: string[] }> {
  const rows = await db.conflicts.where('workspaceId').equals(workspaceId).toArray()
  rows.sort((a, b) => a.detectedAt - b.detectedAt || a.id.localeCompare(b.id))
  const standing: ConflictInPlace[] = []
  const gone: string[] = []
  for (const row of rows) {
    const entity = await db.projection(row.kind as ProjectionTable).get([workspaceId, row.entityId])
    if (row.what === 'deleted') {
      // Gone is the other device's choice in place; back again (restored here or elsewhere) is this device's.
      standing.push({ ...row, inPlace: entity ? 'mine' : 'theirs' })
      continue
    }
    // A row's cell path ends in the cell; the row itself must still be there.
    const at = entity ? valueAtPath(entity, row.path.slice(0, -1)) : { found: false, value: undefined }
    if (!entity || !at.found || at.value === undefined) {
      gone.push(row.id)
      continue
    }
    if (row.what === 'row') {
      // The path ends in the row's id: back in the list is this device's choice, absent the other's.
      standing.push({ ...row, inPlace: valueAtPath(entity, row.path).found ? 'mine' : 'theirs' })
      continue
    }
    const now = (at.value as Record<string, unknown>)[row.path[row.path.length - 1]]
    const inPlace = sameValue(now, row.mine) ? 'mine' : sameValue(now, row.theirs) ? 'theirs' : null
    standing.push({ ...row, inPlace })
  }
  return { standing, gone }
}
