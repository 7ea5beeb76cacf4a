/**
 * Reading part of the doc as it was just before a transaction, from inside
 * that transaction (afterTransaction, before Yjs garbage-collects what it
 * deleted). A delete that arrives from the server takes this device's
 * unsynced edits with it; this is how the detector still knows them, so
 * "Keep mine" can put the entity back as this device had it.
 */
import * as Y from 'yjs'
import type { DocKind } from '../docSchema'
import { DOC_LAYOUT, DOC_SCHEMAS, type MapSpec, isMapSpec, isPlainObject, isRowsSpec } from '../docSchema'

/** What is read of any Y type: its map entries (newest item per key) and its list of items. */
interface YContainer { _map: Map<string, Y.Item>, _start: Y.Item | null }

/** True when `item` was in the doc, not deleted, when `tr` began. */
export function visibleBefore(tr: Y.Transaction, item: Y.Item): boolean {
  if (item.id.clock >= (tr.beforeState.get(item.id.client) ?? 0))
    return false
  return !item.deleted || Y.isDeleted(tr.deleteSet, item.id)
}

/** True when `item` is in the doc after `tr`, or was deleted by it (even if `tr` brought it). */
function presentInTransaction(tr: Y.Transaction, item: Y.Item): boolean {
  return !item.deleted || Y.isDeleted(tr.deleteSet, item.id)
}

/**
 * A list or text that `tr` dropped from a map key, as it stood: a list or
 * text two devices each made for the same key (a field a record stored
 * before it existed gets on its first edit) loses one whole.
 */
export function droppedTypeValue(tr: Y.Transaction, type: YContainer): unknown {
  return readPlain(type, item => presentInTransaction(tr, item), tr)
}

type Visible = (item: Y.Item) => boolean

/** The value a map key held: the newest of its items that counts as visible. */
function mapEntry(newest: Y.Item | undefined, visible: Visible, tr: Y.Transaction): { value: unknown } | null {
  for (let item: Y.Item | null = newest ?? null; item; item = item.left) {
    if (visible(item))
      return { value: contentOf(item, visible, tr)[0] }
  }
  return null
}

/** The value a map key held before `tr`: the newest item of the key that was visible then. */
function mapEntryBefore(tr: Y.Transaction, newest: Y.Item | undefined): { value: unknown } | null {
  return mapEntry(newest, item => visibleBefore(tr, item), tr)
}

/** One key of a map as it was before `tr` (undefined when it held nothing then). */
export function fieldBefore(tr: Y.Transaction, ymap: YContainer, key: string): unknown {
  return mapEntryBefore(tr, ymap._map.get(key))?.value
}

function contentOf(item: Y.Item, visible: Visible, tr: Y.Transaction): unknown[] {
  const content = item.content
  if (content instanceof Y.ContentType)
    return [readPlain(content.type, visible, tr)]
  if (content instanceof Y.ContentAny || content instanceof Y.ContentString || content instanceof Y.ContentBinary || content instanceof Y.ContentJSON)
    return content.getContent()
  return []
}

/** A Y type as plain data (Y.Text → string, Y.Map → object, Y.Array → array), counting the items `visible` accepts. */
function readPlain(type: YContainer, visible: Visible, tr: Y.Transaction): unknown {
  if (type instanceof Y.Map) {
    const plain: Record<string, unknown> = {}
    for (const [key, newest] of type._map) {
      const entry = mapEntry(newest, visible, tr)
      if (entry)
        plain[key] = entry.value
    }
    return plain
  }
  const parts: unknown[] = []
  for (let item = type._start; item; item = item.right) {
    if (visible(item))
      parts.push(...contentOf(item, visible, tr))
  }
  return type instanceof Y.Text ? parts.filter(part => typeof part === 'string').join('') : parts
}

/** A Y type as plain data as it was before `tr`. */
export function plainBefore(tr: Y.Transaction, type: YContainer): unknown {
  return readPlain(type, item => visibleBefore(tr, item), tr)
}

/** `plain` with the layout's left-out defaults filled in (what readLayout does for a live map). */
function withDefaults(spec: MapSpec, plain: Record<string, unknown>): Record<string, unknown> {
  const filled: Record<string, unknown> = { ...spec.defaults, ...plain }
  for (const [key, value] of Object.entries(filled)) {
    const fieldSpec = spec.fields[key]
    if (isRowsSpec(fieldSpec) && Array.isArray(value))
      filled[key] = value.map(row => isPlainObject(row) ? { ...fieldSpec.rows, ...row } : row)
    else if (isMapSpec(fieldSpec) && isPlainObject(value))
      filled[key] = withDefaults(fieldSpec, value)
  }
  return filled
}

/** An entity map as the entity it was before `tr`, checked by its schema when it can be (else as read). */
export function entityBefore(tr: Y.Transaction, kind: DocKind, ymap: Y.Map<unknown>): Record<string, unknown> {
  const record = withDefaults(DOC_LAYOUT[kind], plainBefore(tr, ymap) as Record<string, unknown>)
  const parsed = DOC_SCHEMAS[kind].safeParse(record)
  return (parsed.success ? parsed.data : record) as Record<string, unknown>
}

/** An entity map `tr` brought and dropped at once (another device's copy that lost to this device's), as it stood. */
export function entityAsDropped(tr: Y.Transaction, kind: DocKind, ymap: Y.Map<unknown>): Record<string, unknown> {
  const record = withDefaults(DOC_LAYOUT[kind], droppedTypeValue(tr, ymap) as Record<string, unknown>)
  const parsed = DOC_SCHEMAS[kind].safeParse(record)
  return (parsed.success ? parsed.data : record) as Record<string, unknown>
}

/** Every item of a type's content visible before `tr`, as [client, from, to) ranges: what this device may have written there. */
export function itemRangesBefore(tr: Y.Transaction, type: YContainer, into: Array<[number, number, number]> = []): Array<[number, number, number]> {
  const visit = (item: Y.Item): void => {
    if (!visibleBefore(tr, item))
      return
    into.push([item.id.client, item.id.clock, item.id.clock + item.length])
    if (item.content instanceof Y.ContentType)
      itemRangesBefore(tr, item.content.type, into)
  }
  for (const newest of type._map.values()) {
    // Every value a key held counts: an edit of a field is a new item on the left chain's right end.
    for (let item: Y.Item | null = newest; item; item = item.left) {
      if (visibleBefore(tr, item)) {
        visit(item)
        break
      }
    }
  }
  for (let item = type._start; item; item = item.right)
    visit(item)
  return into
}
