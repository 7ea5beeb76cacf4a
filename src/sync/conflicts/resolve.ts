/**
 * Resolving a conflict: the chosen value is written back as a normal edit
 * (one Yjs transaction through updateEntity, so it is stored, projected and
 * synced like any other change), and only when it is not in place already.
 */
import type { EntityKind } from '../../domain/model'
import type { DocHandle } from '../persistedDoc'
import { entityMap, isPlainObject, plainEqual, tryReadEntity } from '../docSchema'
import { type EntityPatch, updateEntity } from '../mutations'

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
