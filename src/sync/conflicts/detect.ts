/**
 * Finds conflicts in what the server sends (DESIGN.md §4, docs/sync.md
 * "Conflicts"): a plain field this device changed while unsynced that
 * another device changed too, concurrently, to something else.
 *
 * Yjs keeps one value per map key: when two devices set the same key
 * concurrently, integrating the remote change deletes one of the two items
 * in that very transaction (the local one when it loses, the remote one when
 * it wins). So, per transaction applied by the sync provider, look at the map
 * items it deleted: when exactly one of {deleted item, value now in place} is
 * an unacked local item, neither was made after seeing the other, and their
 * values differ, it is a conflict. Text (Y.Text) merges by character and rows
 * are matched by id, so only plain values are compared here; `parentId` is a
 * "Location" conflict, named by folder names. The same deleted items also
 * show entities deleted under this device's unsynced edits (deletions.ts)
 * and rows removed or moved under them (rows.ts), and entities written
 * again whole under their id over them (replaced.ts). Updates from other tabs
 * and from loading the log are never compared: the tab holding the
 * connection records the conflict for every tab.
 */
import * as Y from 'yjs'
import type { DocKind } from '../docSchema'
import { entityMap, kindMap, plainEqual, toPlain } from '../docSchema'
import { droppedTypeValue } from './before'
import type { UnackedItems } from './unackedItems'
import { type DeletionCandidate, deletionsIn } from './deletions'
import { type RowCandidate, removedRowsIn } from './rows'
import { type ReplacedCandidate, replacedIn } from './replaced'

/** One conflicting field, as found. */
export interface DetectedConflict {
  /** A plain field, or where a folder or request sits (its parent: kept by moving it). */
  what: 'field' | 'location'
  kind: DocKind
  entityId: string
  /** The entity's name when it has one (what the panel shows). */
  entityName: string
  /** From the entity to the field: field names, and a row's id inside a list of rows. */
  path: string[]
  /** The field in words, e.g. `URL` or `Header "Accept": value`. */
  fieldLabel: string
  /** This device's value. */
  mine: unknown
  /** The other device's value. */
  theirs: unknown
  /** Which of the two the merge kept. */
  inPlace: 'mine' | 'theirs'
  /** The two values in words when the values are ids (a location: the folder's names, not its id). */
  mineWords?: string
  theirsWords?: string
}

/**
 * Bookkeeping fields, changed by every edit or along with a move: not
 * something a person picks between. `parentId` is not among them: two moves
 * of one item to different places are a "Location" conflict. A reorder
 * (`sortKey` alone) and the `collectionId` a move sets along stay quiet.
 */
const IGNORED_FIELDS = new Set(['id', 'createdAt', 'updatedAt', 'updatedBy', 'collectionId', 'requestId', 'sortKey'])
/** The field that says where a folder or request sits. */
const LOCATION_FIELD = 'parentId'

const FIELD_WORDS: Record<string, string> = {
  'name': 'Name',
  'method': 'Method',
  'url': 'URL',
  'auth.type': 'Auth type',
  'auth.basic': 'Basic auth',
  'auth.bearer': 'Bearer token',
  'auth.apikey': 'API key',
  'settings.timeoutMs': 'Timeout',
  'settings.followRedirects': 'Follow redirects',
  'settings.maxRedirects': 'Maximum redirects',
  'body.mode': 'Body type',
  'body.rawLanguage': 'Raw body language',
  'body.binary': 'Binary body file',
  'parentId': 'Location',
}
const ROW_WORDS: Record<string, string> = {
  'headers': 'Header',
  'params': 'Query parameter',
  'pathVariables': 'Path variable',
  'variables': 'Variable',
  'body.urlencoded': 'Form field',
  'body.formdata': 'Form-data field',
}
const CELL_WORDS: Record<string, string> = { key: 'name', enabled: 'on/off', contentType: 'content type' }

function humanize(name: string): string {
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** A field path in words; `rowName` is the row's own `key` (a header's name) when the field is in a row. */
/** The words for a list of rows ("Header", "Variable") at a path like `headers` or `body.urlencoded`. */
export function rowsInWords(rowsPath: readonly string[]): string {
  const rowsField = rowsPath.join('.')
  return ROW_WORDS[rowsField] ?? humanize(rowsField)
}

export function fieldLabelOf(path: string[], row: { at: number, name: string } | null): string {
  if (!row)
    return FIELD_WORDS[path.join('.')] ?? path.map(humanize).join(' › ')
  const cell = path.slice(row.at + 1).join('.')
  const what = rowsInWords(path.slice(0, row.at))
  const named = row.name ? ` "${row.name}"` : ''
  return `${what}${named}: ${CELL_WORDS[cell] ?? cell.toLowerCase()}`
}

export interface Located {
  kind: DocKind
  entityId: string
  entity: Y.Map<unknown>
  /** Segments from the entity down to the map holding the key. */
  segments: string[]
  /** The row the map is (or is inside), and the index of its id in `segments`. */
  row: { at: number, map: Y.Map<unknown> } | null
}

/** Walks up from a map to the top-level kind map; null when anything on the way is gone. */
export function locate(map: Y.AbstractType<unknown>, kindOfTop: Map<unknown, DocKind>): Located | null {
  const segments: string[] = []
  let row: { map: Y.Map<unknown>, depth: number } | null = null
  let type = map
  for (;;) {
    const item = type._item
    if (!item || item.deleted)
      return null
    const up = item.parent as Y.AbstractType<unknown>
    const kind = kindOfTop.get(up)
    if (kind) {
      if (item.parentSub === null || !(type instanceof Y.Map))
        return null
      segments.reverse()
      return {
        kind,
        entityId: item.parentSub,
        entity: type,
        segments,
        row: row ? { at: segments.length - 1 - row.depth, map: row.map } : null,
      }
    }
    if (item.parentSub !== null) {
      segments.push(item.parentSub)
    }
    else {
      // A map inside a Y.Array: a row, named by its id.
      const id = type instanceof Y.Map ? type.get('id') : undefined
      if (typeof id !== 'string')
        return null
      row = { map: type as Y.Map<unknown>, depth: segments.length }
      segments.push(id)
    }
    type = up
  }
}

/** True when `later` was made by a device that had already seen `earlier` (it replaced it knowingly). */
function madeAfterSeeing(doc: Y.Doc, later: Y.Item, earlier: Y.Item): boolean {
  let origin = later.origin
  // The chain of a key's values is short; the bound only guards against a malformed doc.
  for (let steps = 0; origin && steps < 10_000; steps++) {
    if (origin.client === earlier.id.client && origin.clock >= earlier.id.clock && origin.clock < earlier.id.clock + earlier.length)
      return true
    let previous: unknown
    try {
      previous = Y.getItem(doc.store, origin)
    }
    catch {
      return false
    }
    if (!(previous instanceof Y.Item))
      return false
    origin = previous.origin
  }
  return false
}

/** A map value as plain data: a plain value, or a list or text (a dropped one read as it stood in `tr`). */
function plainValueOf(tr: Y.Transaction, item: Y.Item): { value: unknown } | null {
  if (item.content instanceof Y.ContentAny)
    return { value: item.content.getContent()[0] }
  const type = item.content instanceof Y.ContentType ? item.content.type : null
  if (type instanceof Y.Array || type instanceof Y.Text)
    return { value: item.deleted ? droppedTypeValue(tr, type) : toPlain(type) }
  return null
}

/** The items deleted in a transaction: map values (a field's value, an entity) and list items (a row). */
export function deletedItemsIn(tr: Y.Transaction): Y.Item[] {
  const found: Y.Item[] = []
  for (const [client, deletes] of tr.deleteSet.clients) {
    const structs = tr.doc.store.clients.get(client)
    if (!structs)
      continue
    for (const range of deletes) {
      let index: number
      try {
        index = Y.findIndexSS(structs, range.clock)
      }
      catch {
        continue
      }
      for (; index < structs.length && structs[index].id.clock < range.clock + range.len; index++) {
        const struct = structs[index]
        if (struct instanceof Y.Item && (struct.parent instanceof Y.Map || struct.parent instanceof Y.Array))
          found.push(struct)
      }
    }
  }
  return found
}

/** Two values of one field that met in a transaction from the server: a conflict when exactly one is an unacked local edit. */
export interface Candidate extends Omit<DetectedConflict, 'mine' | 'theirs' | 'inPlace'> {
  /** The value the merge dropped, and the one it kept. */
  dropped: { id: Y.ID, value: unknown, words?: string }
  kept: { id: Y.ID, value: unknown, words?: string }
}

/** A collection or folder by its names from the collection down ("Shop › Admin"), as the tree shows it. */
export function placeInWords(doc: Y.Doc, id: unknown): string {
  const names: string[] = []
  let at = typeof id === 'string' ? id : ''
  // Folders nest a few levels; the bound only guards against a cycle.
  for (let steps = 0; steps < 100 && at; steps++) {
    const folder = entityMap(doc, 'folders', at)
    const place = folder ?? entityMap(doc, 'collections', at)
    if (!place)
      return names.length ? `a deleted folder › ${names.join(' › ')}` : 'a deleted folder or collection'
    const name = place.get('name')
    names.unshift(typeof name === 'string' && name ? name : 'Untitled')
    if (!folder)
      break
    const parentId = folder.get('parentId')
    at = typeof parentId === 'string' ? parentId : ''
  }
  return names.join(' › ')
}

/**
 * The fields where a transaction applied from the server dropped one of two
 * concurrent, different plain values. Read synchronously, in the transaction:
 * afterwards the dropped value's content is garbage-collected.
 */
export function candidatesIn(tr: Y.Transaction, kindOfTop: Map<unknown, DocKind>, deletedItems: Y.Item[] = deletedItemsIn(tr)): Candidate[] {
  const found: Candidate[] = []
  for (const deleted of deletedItems) {
    if (deleted.parentSub === null || !(deleted.parent instanceof Y.Map))
      continue
    const key = deleted.parentSub as string
    const parent = deleted.parent as Y.Map<unknown>
    const current = parent._map.get(key)
    if (!current || current === deleted || current.deleted || IGNORED_FIELDS.has(key))
      continue
    const deletedValue = plainValueOf(tr, deleted)
    const currentValue = plainValueOf(tr, current)
    if (!deletedValue || !currentValue || plainEqual(deletedValue.value, currentValue.value))
      continue
    if (madeAfterSeeing(tr.doc, current, deleted) || madeAfterSeeing(tr.doc, deleted, current))
      continue
    const located = locate(parent as unknown as Y.AbstractType<unknown>, kindOfTop)
    if (!located)
      continue
    const path = [...located.segments, key]
    const rowName = located.row?.map.get('key')
    const name = located.entity.get('name')
    const isLocation = key === LOCATION_FIELD && !located.row && located.segments.length === 0
    const inWords = (value: unknown): string | undefined => isLocation ? placeInWords(tr.doc, value) : undefined
    found.push({
      what: isLocation ? 'location' : 'field',
      kind: located.kind,
      entityId: located.entityId,
      entityName: typeof name === 'string' && name ? name : humanize(located.kind === 'globals' ? 'globals' : located.entityId),
      path,
      fieldLabel: fieldLabelOf(path, located.row ? { at: located.row.at, name: typeof rowName === 'string' ? rowName : '' } : null),
      dropped: { id: deleted.id, value: deletedValue.value, words: inWords(deletedValue.value) },
      kept: { id: current.id, value: currentValue.value, words: inWords(currentValue.value) },
    })
  }
  return found
}

/** The conflicts among `candidates`, one per field: exactly one of the two values is this device's unacked edit. */
export function decideConflicts(candidates: Candidate[], unacked: UnackedItems): DetectedConflict[] {
  const byField = new Map<string, DetectedConflict>()
  for (const { dropped, kept, ...where } of candidates) {
    const droppedIsMine = unacked.has(dropped.id)
    if (droppedIsMine === unacked.has(kept.id))
      continue
    const [mine, theirs] = droppedIsMine ? [dropped, kept] : [kept, dropped]
    byField.set(`${where.kind}/${where.entityId}/${where.path.join('/')}`, {
      ...where,
      mine: mine.value,
      theirs: theirs.value,
      inPlace: droppedIsMine ? 'theirs' : 'mine',
      ...(mine.words === undefined ? {} : { mineWords: mine.words }),
      ...(theirs.words === undefined ? {} : { theirsWords: theirs.words }),
    })
  }
  return [...byField.values()]
}

export interface ConflictWatchOptions {
  /** The origin of transactions applied from the server: this tab's WebsocketProvider, or null while it has none. */
  serverOrigin: () => unknown
  kinds: readonly DocKind[]
  onCandidates: (found: ServerChanges) => void
  /** Whether items could be this device's unsynced edits (true while that is not known yet): spares reading big deletes. */
  mayBeMine?: (client: number, from: number, to: number) => boolean
}

/** What one transaction from the server dropped: concurrent field values, and deleted entities. */
export interface ServerChanges {
  fields: Candidate[]
  deletions: DeletionCandidate[]
  rows: RowCandidate[]
  replaced: ReplacedCandidate[]
}

/** Calls `onCandidates` for each transaction from the server that dropped a concurrent value; returns the function that stops it. */
export function watchServerTransactions(doc: Y.Doc, options: ConflictWatchOptions): () => void {
  const kindOfTop = new Map<unknown, DocKind>(options.kinds.map(kind => [kindMap(doc, kind), kind]))
  // afterTransaction runs before the deleted items' content is garbage-collected.
  const onTransaction = (tr: Y.Transaction): void => {
    if (tr.local || tr.deleteSet.clients.size === 0)
      return
    const serverOrigin = options.serverOrigin()
    if (serverOrigin === null || serverOrigin === undefined || tr.origin !== serverOrigin)
      return
    const deleted = deletedItemsIn(tr)
    const found = {
      fields: candidatesIn(tr, kindOfTop, deleted),
      deletions: deletionsIn(tr, deleted, kindOfTop, options.mayBeMine),
      rows: removedRowsIn(tr, deleted, kindOfTop),
      replaced: replacedIn(tr, deleted, kindOfTop, options.mayBeMine),
    }
    if (found.fields.length || found.deletions.length || found.rows.length || found.replaced.length)
      options.onCandidates(found)
  }
  doc.on('afterTransaction', onTransaction)
  return () => doc.off('afterTransaction', onTransaction)
}
