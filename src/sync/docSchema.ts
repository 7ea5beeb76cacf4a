/**
 * The layout of a workspace Y.Doc (DESIGN.md §3):
 *
 * - a top-level `Y.Map` per entity kind (`collections`, `folders`, …) whose
 *   keys are entity ids, plus `meta` (workspace id, name, kind);
 * - one `Y.Map` per entity, so concurrent edits of different fields merge;
 * - `Y.Text` for long text (model TEXT_FIELDS, raw bodies, GraphQL), merged
 *   by character;
 * - `Y.Array` of `Y.Map` rows, each with its id, for params, path variables,
 *   headers, urlencoded and form-data rows, and variables;
 * - nested `Y.Map`s where per-field merging matters (auth, settings, body);
 * - everything else is a plain value, replaced as a whole.
 *
 * A plain field equal to the layout's default is not written: a missing key
 * reads as that default. This keeps a 10,000-request import a third smaller.
 * The defaults below are part of the doc format: never change one (a record
 * written under the old default would silently change meaning), add a new
 * layout version instead.
 *
 * History docs use the same rules with one kind, `history` (plain fields).
 * Runs docs too, with one kind, `runs`: a run is written once when it ends
 * and never edited (only deleted), so its per-request `results` are one plain
 * array value — there is nothing to merge row by row.
 */
import * as Y from 'yjs'
import type { ZodMiniType } from 'zod/mini'
import { CollectionRun, ENTITY_SCHEMAS, HistoryEntry, type EntityKind, type EntityOf } from '../domain/model'

/** Entity kinds of a workspace doc, plus `history` of a history doc and `runs` of a runs doc. */
export type DocKind = EntityKind | 'history' | 'runs'
export interface DocEntityOf extends EntityOf {
  history: HistoryEntry
  runs: CollectionRun
}

export const DOC_SCHEMAS: { [K in DocKind]: ZodMiniType<DocEntityOf[K]> } = { ...ENTITY_SCHEMAS, history: HistoryEntry, runs: CollectionRun }

/** How a field is stored; fields a spec does not name are plain values. */
export type FieldSpec = 'text' | RowsSpec | MapSpec
export interface MapSpec {
  fields: Record<string, FieldSpec>
  /** Plain fields left out while they hold these values. */
  defaults?: Record<string, unknown>
}
/** A Y.Array of Y.Map rows with an `id` each; row fields equal to `defaults` are left out. */
export interface RowsSpec {
  rows: Record<string, unknown>
}

const KEY_VALUE_ROW = { rows: { key: '', value: '', enabled: true, description: '' } }
const FORM_DATA_ROW = { rows: { ...KEY_VALUE_ROW.rows, kind: 'text', file: null, contentType: '' } }
const VARIABLE_ROW = { rows: { key: '', value: '', enabled: true, type: 'default' } }
// Auth's per-type parts are plain objects: a type's fields are edited together.
const AUTH: MapSpec = {
  fields: {},
  defaults: {
    type: 'inherit',
    basic: { username: '', password: '' },
    bearer: { token: '' },
    apikey: { key: '', value: '', in: 'header' },
  },
}
const SCRIPTS = { description: 'text', preRequestScript: 'text', testScript: 'text' } as const

/** The layout of each kind. */
export const DOC_LAYOUT: Record<DocKind, MapSpec> = {
  collections: { fields: { ...SCRIPTS, auth: AUTH, variables: VARIABLE_ROW } },
  folders: { fields: { ...SCRIPTS, auth: AUTH } },
  requests: {
    fields: {
      ...SCRIPTS,
      params: KEY_VALUE_ROW,
      pathVariables: KEY_VALUE_ROW,
      headers: KEY_VALUE_ROW,
      auth: AUTH,
      settings: { fields: {}, defaults: { timeoutMs: 0, followRedirects: true, maxRedirects: 10 } },
      body: {
        fields: { raw: 'text', urlencoded: KEY_VALUE_ROW, formdata: FORM_DATA_ROW, graphql: { fields: { query: 'text', variables: 'text' } } },
        defaults: { mode: 'none', rawLanguage: 'json', binary: null },
      },
    },
  },
  // Examples are saved responses: a snapshot, edited only by name.
  examples: { fields: {} },
  presets: { fields: { headers: KEY_VALUE_ROW } },
  environments: { fields: { variables: VARIABLE_ROW } },
  globals: { fields: { variables: VARIABLE_ROW } },
  history: { fields: {} },
  // Written once, never edited: `results` is a plain array (see the top of this file).
  runs: { fields: {} },
}

export const META_MAP = 'meta'

/** The top-level map of a kind. */
export function kindMap(doc: Y.Doc, kind: DocKind): Y.Map<Y.Map<unknown>> {
  return doc.getMap(kind)
}

/** The entity map of `id`, or undefined. */
export function entityMap(doc: Y.Doc, kind: DocKind, id: string): Y.Map<unknown> | undefined {
  const value = kindMap(doc, kind).get(id)
  return value instanceof Y.Map ? value : undefined
}

/** A Y value as a plain value: Y.Text → string, Y.Map → object, Y.Array → array. */
export function toPlain(value: unknown): unknown {
  if (value instanceof Y.Text)
    return value.toString()
  if (value instanceof Y.Map) {
    const plain: Record<string, unknown> = {}
    value.forEach((child, key) => {
      plain[key] = toPlain(child)
    })
    return plain
  }
  if (value instanceof Y.Array)
    return value.toArray().map(toPlain)
  return value
}

/** An entity map as a plain object in its layout, with left-out defaults filled in. */
export function readLayout(spec: MapSpec, ymap: Y.Map<unknown>): Record<string, unknown> {
  const plain: Record<string, unknown> = { ...spec.defaults }
  ymap.forEach((value, key) => {
    const fieldSpec = spec.fields[key]
    if (isRowsSpec(fieldSpec) && value instanceof Y.Array)
      plain[key] = value.toArray().map(row => row instanceof Y.Map ? { ...fieldSpec.rows, ...(toPlain(row) as object) } : toPlain(row))
    else if (isMapSpec(fieldSpec) && value instanceof Y.Map)
      plain[key] = readLayout(fieldSpec, value)
    else
      plain[key] = toPlain(value)
  })
  return plain
}

export function isRowsSpec(spec: FieldSpec | undefined): spec is RowsSpec {
  return typeof spec === 'object' && 'rows' in spec
}

export function isMapSpec(spec: FieldSpec | undefined): spec is MapSpec {
  return typeof spec === 'object' && 'fields' in spec
}

/** Raised when a record of the doc does not match its schema; the message is the reason in words. */
export class MalformedRecordError extends Error {
  constructor(readonly kind: DocKind, readonly recordId: string, readonly reason: string, readonly record: unknown) {
    super(`The ${kind} record ${recordId} does not match Pigeon's format: ${reason}.`)
    this.name = 'MalformedRecordError'
  }
}

export type ReadResult<K extends DocKind> =
  | { ok: true, value: DocEntityOf[K] }
  | { ok: false, reason: string, record: unknown }

/** Reads an entity map into a plain object checked by its schema, without throwing. */
export function tryReadEntity<K extends DocKind>(kind: K, ymap: Y.Map<unknown>): ReadResult<K> {
  const record = readLayout(DOC_LAYOUT[kind], ymap)
  const result = DOC_SCHEMAS[kind].safeParse(record)
  if (result.success)
    return { ok: true, value: result.data }
  const reason = result.error.issues
    .slice(0, 5)
    .map(issue => (issue.path.length ? `${issue.path.map(String).join('.')}: ` : '') + issue.message)
    .join('; ')
  return { ok: false, reason, record }
}

/** Reads an entity map into a plain object parsed by the model schema; throws MalformedRecordError. */
export function readEntity<K extends DocKind>(kind: K, ymap: Y.Map<unknown>): DocEntityOf[K] {
  const result = tryReadEntity(kind, ymap)
  if (!result.ok)
    throw new MalformedRecordError(kind, String(ymap.get('id') ?? '?'), result.reason, result.record)
  return result.value
}

/** A fresh entity map holding `data` laid out for `kind` (not yet in a doc). */
export function writeEntity<K extends DocKind>(kind: K, data: DocEntityOf[K]): Y.Map<unknown> {
  return buildMap(DOC_LAYOUT[kind], data as unknown as Record<string, unknown>)
}

function buildValue(spec: FieldSpec | undefined, value: unknown): unknown {
  if (spec === 'text')
    return new Y.Text(typeof value === 'string' ? value : '')
  if (isRowsSpec(spec))
    return buildRows(spec, Array.isArray(value) ? value : [])
  if (isMapSpec(spec) && isPlainObject(value))
    return buildMap(spec, value)
  return value
}

/** True when `key` is left out of a map holding `value`. */
function isLeftOut(defaults: Record<string, unknown> | undefined, key: string, value: unknown): boolean {
  return value === undefined || (defaults !== undefined && key in defaults && plainEqual(defaults[key], value))
}

function buildMap(spec: MapSpec, data: Record<string, unknown>): Y.Map<unknown> {
  const ymap = new Y.Map<unknown>()
  for (const key of Object.keys(data)) {
    if (!isLeftOut(spec.defaults, key, data[key]))
      ymap.set(key, buildValue(spec.fields[key], data[key]))
  }
  return ymap
}

function buildRow(spec: RowsSpec, row: unknown): Y.Map<unknown> {
  const yrow = new Y.Map<unknown>()
  if (isPlainObject(row)) {
    for (const key of Object.keys(row)) {
      if (!isLeftOut(spec.rows, key, row[key]))
        yrow.set(key, row[key])
    }
  }
  return yrow
}

function buildRows(spec: RowsSpec, rows: unknown[]): Y.Array<Y.Map<unknown>> {
  const yarray = new Y.Array<Y.Map<unknown>>()
  yarray.push(rows.map(row => buildRow(spec, row)))
  return yarray
}

/**
 * Brings an entity map to `next`, writing only what differs: unchanged fields
 * make no Yjs ops (so concurrent edits of other fields merge), text is
 * spliced at the changed span, rows are matched by id. Must run inside a
 * transaction of the map's doc.
 */
export function applyEntity<K extends DocKind>(kind: K, ymap: Y.Map<unknown>, next: DocEntityOf[K]): void {
  applyMap(DOC_LAYOUT[kind], ymap, next as unknown as Record<string, unknown>)
}

function applyMap(spec: MapSpec, ymap: Y.Map<unknown>, next: Record<string, unknown>): void {
  for (const key of Object.keys(next)) {
    const value = next[key]
    if (value === undefined)
      continue
    applyField(spec.fields[key], ymap, key, value, spec.defaults)
  }
}

/** A field's stored value; a left-out key holds its default. */
function storedValue(ymap: Y.Map<unknown>, key: string, defaults: Record<string, unknown> | undefined): unknown {
  return ymap.has(key) || !defaults ? ymap.get(key) : defaults[key]
}

function applyField(spec: FieldSpec | undefined, ymap: Y.Map<unknown>, key: string, value: unknown, defaults: Record<string, unknown> | undefined): void {
  const current = storedValue(ymap, key, defaults)
  if (spec === 'text') {
    if (current instanceof Y.Text)
      applyText(current, typeof value === 'string' ? value : '')
    else
      ymap.set(key, buildValue(spec, value))
    return
  }
  if (isRowsSpec(spec)) {
    if (current instanceof Y.Array && Array.isArray(value))
      applyRows(spec, current as Y.Array<unknown>, value)
    else
      ymap.set(key, buildValue(spec, value))
    return
  }
  if (isMapSpec(spec) && isPlainObject(value)) {
    if (current instanceof Y.Map)
      applyMap(spec, current, value)
    else
      ymap.set(key, buildValue(spec, value))
    return
  }
  if (!(current !== undefined && !isYType(current) && plainEqual(current, value)))
    ymap.set(key, value)
}

/** Splices a Y.Text to `next` at the span between the common prefix and suffix. */
export function applyText(ytext: Y.Text, next: string): void {
  const current = ytext.toString()
  if (current === next)
    return
  let start = 0
  const shorter = Math.min(current.length, next.length)
  while (start < shorter && current.charCodeAt(start) === next.charCodeAt(start))
    start++
  let end = 0
  while (end < shorter - start && current.charCodeAt(current.length - 1 - end) === next.charCodeAt(next.length - 1 - end))
    end++
  const removed = current.length - start - end
  if (removed > 0)
    ytext.delete(start, removed)
  const inserted = next.slice(start, next.length - end)
  if (inserted)
    ytext.insert(start, inserted)
}

function rowId(row: unknown): string | undefined {
  if (row instanceof Y.Map) {
    const id = row.get('id')
    return typeof id === 'string' ? id : undefined
  }
  return isPlainObject(row) && typeof row.id === 'string' ? row.id : undefined
}

/**
 * Matches rows by id: deletes rows that are gone, updates the changed fields
 * of rows that stay, inserts new rows, and moves a row (delete + insert of a
 * copy) only when its position changed.
 */
function applyRows(spec: RowsSpec, yarray: Y.Array<unknown>, next: unknown[]): void {
  const wanted = new Set(next.map(rowId))
  for (let index = yarray.length - 1; index >= 0; index--) {
    const id = rowId(yarray.get(index))
    if (id === undefined || !wanted.has(id))
      yarray.delete(index, 1)
  }
  for (let index = 0; index < next.length; index++) {
    const row = next[index]
    const id = rowId(row)
    const existing = index < yarray.length ? yarray.get(index) : undefined
    if (existing instanceof Y.Map && id !== undefined && rowId(existing) === id) {
      applyRowFields(spec, existing, row)
      continue
    }
    let from = -1
    for (let later = index + 1; later < yarray.length; later++) {
      if (rowId(yarray.get(later)) === id) {
        from = later
        break
      }
    }
    if (from >= 0)
      yarray.delete(from, 1)
    yarray.insert(index, [buildRow(spec, row)])
  }
  if (yarray.length > next.length)
    yarray.delete(next.length, yarray.length - next.length)
}

function applyRowFields(spec: RowsSpec, yrow: Y.Map<unknown>, row: unknown): void {
  if (!isPlainObject(row))
    return
  for (const key of Object.keys(row)) {
    const value = row[key]
    if (value !== undefined && !plainEqual(storedValue(yrow, key, spec.rows), value))
      yrow.set(key, value)
  }
  for (const key of [...yrow.keys()]) {
    if (!(key in row))
      yrow.delete(key)
  }
}

function isYType(value: unknown): boolean {
  return value instanceof Y.AbstractType
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) && !isYType(value)
}

/** Deep equality of JSON-like values. */
export function plainEqual(a: unknown, b: unknown): boolean {
  if (a === b)
    return true
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, index) => plainEqual(item, b[index]))
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a).filter(key => a[key] !== undefined)
    const otherKeys = Object.keys(b).filter(key => b[key] !== undefined)
    return keys.length === otherKeys.length && keys.every(key => plainEqual(a[key], b[key]))
  }
  return false
}
