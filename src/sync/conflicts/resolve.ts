/**
 * Resolving a conflict: the chosen value is written back as a normal edit
 * (one Yjs transaction through updateEntity, so it is stored, projected and
 * synced like any other change), and only when it is not in place already.
 */
import type { EntityKind } from '../../domain/model'
import type { DocHandle } from '../persistedDoc'
import { entityMap, isPlainObject, plainEqual, tryReadEntity } from '../docSchema'
import { type EntityPatch, updateEntity } from '../mutations'
import { type DeletedChoice, type KeepResult, keepDeleted, keepLocation } from './placement'

/** What a conflict names: the field and its two values. */
export interface ConflictChoice {
  kind: string
  entityId: string
  path: readonly string[]
  mine: unknown
  theirs: unknown
}

/** What keeping a value did: wrote it, found it in place already, or found the entity or row gone. */
export type KeepOutcome = 'written' | 'unchanged' | 'gone'

const GONE = Symbol('gone')

/** `container` with the value at `path` replaced (objects by key, rows of an array by id), or GONE. */
function withValueAt(container: unknown, path: readonly string[], value: unknown): unknown {
  if (path.length === 0)
    return value
  const [segment, ...rest] = path
  if (Array.isArray(container)) {
    const index = container.findIndex(row => isPlainObject(row) && row.id === segment)
    if (index < 0)
      return GONE
    const replaced = withValueAt(container[index], rest, value)
    return replaced === GONE ? GONE : container.map((row, at) => at === index ? replaced : row)
  }
  if (isPlainObject(container)) {
    const replaced = withValueAt(container[segment], rest, value)
    return replaced === GONE ? GONE : { ...container, [segment]: replaced }
  }
  return rest.length === 0 ? { [segment]: value } : GONE
}

/** Writes this device's value (`mine`) or the other device's (`theirs`) into the conflicting field. */
export function keepValue(handle: DocHandle, conflict: ConflictChoice, choice: 'mine' | 'theirs'): KeepOutcome {
  const kind = conflict.kind as EntityKind
  const ymap = entityMap(handle.doc, kind, conflict.entityId)
  if (!ymap)
    return 'gone'
  const read = tryReadEntity(kind, ymap)
  const entity = (read.ok ? read.value : read.record) as Record<string, unknown>
  const [field, ...inside] = conflict.path
  const next = withValueAt(entity[field], inside, choice === 'mine' ? conflict.mine : conflict.theirs)
  if (next === GONE)
    return 'gone'
  if (plainEqual(next, entity[field]))
    return 'unchanged'
  updateEntity(handle, kind, conflict.entityId, { [field]: next } as EntityPatch<typeof kind>)
  return 'written'
}

/**
 * A row removed on another device that this device changed: "Keep mine"
 * puts it back where it was (by index, at most at the end), "Keep theirs"
 * leaves it removed (and removes it again if it came back meanwhile).
 */
export function keepRow(handle: DocHandle, conflict: ConflictChoice & { rowIndex?: number }, choice: 'mine' | 'theirs'): KeepOutcome {
  const kind = conflict.kind as EntityKind
  const ymap = entityMap(handle.doc, kind, conflict.entityId)
  if (!ymap)
    return 'gone'
  const read = tryReadEntity(kind, ymap)
  const entity = (read.ok ? read.value : read.record) as Record<string, unknown>
  const rowsPath = conflict.path.slice(0, -1)
  const rowId = conflict.path[conflict.path.length - 1]
  let rows: unknown = entity
  for (const segment of rowsPath)
    rows = isPlainObject(rows) ? rows[segment] : undefined
  if (!Array.isArray(rows))
    return 'gone'
  const present = rows.some(row => isPlainObject(row) && row.id === rowId)
  if (present === (choice === 'mine'))
    return 'unchanged'
  const next = choice === 'mine'
    ? [...rows.slice(0, conflict.rowIndex ?? rows.length), conflict.mine, ...rows.slice(conflict.rowIndex ?? rows.length)]
    : rows.filter(row => !(isPlainObject(row) && row.id === rowId))
  const [field, ...inside] = rowsPath
  const value = withValueAt(entity[field], inside, next)
  if (value === GONE)
    return 'gone'
  updateEntity(handle, kind, conflict.entityId, { [field]: value } as EntityPatch<typeof kind>)
  return 'written'
}

/** Any stored conflict: a plain field, a location (moved to two places), a removed row or a deleted entity. */
export interface AnyConflictChoice extends ConflictChoice, DeletedChoice {
  what?: 'field' | 'location' | 'row' | 'deleted'
  rowIndex?: number
}

/** Keeps one side of any conflict, as normal edits that sync. */
export function keepConflict(handle: DocHandle, conflict: AnyConflictChoice, choice: 'mine' | 'theirs'): KeepResult {
  if (conflict.what === 'deleted')
    return keepDeleted(handle, conflict, choice)
  if (conflict.what === 'location')
    return keepLocation(handle, conflict, choice)
  if (conflict.what === 'row')
    return { outcome: keepRow(handle, conflict, choice), note: null }
  return { outcome: keepValue(handle, conflict, choice), note: null }
}
