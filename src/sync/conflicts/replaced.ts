/**
 * An entity written again whole under its own id on another device (the
 * "Undo" after a delete puts the deleted items back this way, an import may
 * replace one) while this device, unsynced, changed it. Yjs keeps the new
 * map and drops the old one with this device's edits inside, so each field
 * this device changed that now holds something else becomes a field
 * conflict, as if the other device had changed that field.
 */
import * as Y from 'yjs'
import type { DocKind } from '../docSchema'
import { entityMap, plainEqual, tryReadEntity } from '../docSchema'
import type { UnackedItems } from './unackedItems'
import { entityAsDropped, entityBefore, itemRangesBefore, visibleBefore } from './before'
import { type DetectedConflict, fieldLabelOf, placeInWords } from './detect'

type Range = [client: number, from: number, to: number]

/** Fields that every write or move touches: not something a person picks between. */
const BOOKKEEPING = new Set(['id', 'createdAt', 'updatedAt', 'updatedBy', 'collectionId', 'requestId', 'sortKey'])

/**
 * An entity map a transaction from the server dropped for another under the
 * same id: the dropped map's fields, and the fields as they are now. Either
 * the dropped map was here before (this device's edits may be inside), or
 * the transaction brought it and it lost at once to the map in place (which
 * this device may have made: two devices made one record each).
 */
export interface ReplacedCandidate {
  kind: DocKind
  entityId: string
  entityName: string
  /** Which map may hold this device's changes: the dropped one, or the one kept. */
  mineIn: 'dropped' | 'kept'
  /** Each field of the dropped map, with the items that say whether it is this device's. */
  fields: Array<{ key: string, value: unknown, items: Range[] }>
  now: Record<string, unknown>
  /** The place names of the dropped map's parent and the parent now, for a location conflict. */
  placeWords: { dropped: string, now: string } | null
}

/** The newest item of each key that was visible before `tr`, with everything inside it. */
function fieldItems(tr: Y.Transaction, map: Y.Map<unknown>): Map<string, Range[]> {
  const found = new Map<string, Range[]>()
  for (const [key, newest] of map._map) {
    for (let item: Y.Item | null = newest; item; item = item.left) {
      if (!visibleBefore(tr, item))
        continue
      const ranges: Range[] = [[item.id.client, item.id.clock, item.id.clock + item.length]]
      if (item.content instanceof Y.ContentType)
        itemRangesBefore(tr, item.content.type, ranges)
      found.set(key, ranges)
      break
    }
  }
  return found
}

/** The entities a transaction from the server replaced with a new map under the same id. */
export function replacedIn(tr: Y.Transaction, deleted: Y.Item[], kindOfTop: Map<unknown, DocKind>, mayBeMine: (client: number, from: number, to: number) => boolean = () => true): ReplacedCandidate[] {
  const found: ReplacedCandidate[] = []
  for (const item of deleted) {
    const kind = kindOfTop.get(item.parent)
    const id = item.parentSub
    if (!kind || id === null || !(item.content instanceof Y.ContentType) || !(item.content.type instanceof Y.Map))
      continue
    const live = entityMap(tr.doc, kind, id)
    const keptItem = live?._item
    if (!live || !keptItem)
      continue
    let mineIn: ReplacedCandidate['mineIn']
    let items: Map<string, Range[]>
    let before: Record<string, unknown>
    if (visibleBefore(tr, item)) {
      mineIn = 'dropped'
      items = fieldItems(tr, item.content.type)
      if (![...items.values()].some(ranges => ranges.some(range => mayBeMine(...range))))
        continue
      before = entityBefore(tr, kind, item.content.type)
    }
    else {
      // Brought and dropped at once: a conflict only if this device made the map kept in its place.
      const kept: Range = [keptItem.id.client, keptItem.id.clock, keptItem.id.clock + keptItem.length]
      if (!visibleBefore(tr, keptItem) || !mayBeMine(...kept))
        continue
      mineIn = 'kept'
      before = entityAsDropped(tr, kind, item.content.type)
      items = new Map(Object.keys(before).map(key => [key, [kept]]))
    }
    const read = tryReadEntity(kind, live)
    const now = (read.ok ? read.value : read.record) as Record<string, unknown>
    const name = now.name
    found.push({
      mineIn,
      kind,
      entityId: id,
      entityName: typeof name === 'string' && name ? name : kind === 'globals' ? 'Globals' : id,
      fields: [...items].filter(([key]) => !BOOKKEEPING.has(key)).map(([key, ranges]) => ({ key, value: before[key], items: ranges })),
      now,
      placeWords: 'parentId' in before ? { dropped: placeInWords(tr.doc, before.parentId), now: placeInWords(tr.doc, now.parentId) } : null,
    })
  }
  return found
}

/** The fields of replaced entities this device changed, unsynced, that hold something else now. */
export function decideReplaced(candidates: ReplacedCandidate[], unacked: UnackedItems): DetectedConflict[] {
  const conflicts: DetectedConflict[] = []
  for (const { mineIn, kind, entityId, entityName, fields, now, placeWords } of candidates) {
    for (const { key, value, items } of fields) {
      if (!items.some(range => unacked.overlaps(...range)) || plainEqual(value, now[key]))
        continue
      const isLocation = key === 'parentId'
      const droppedIsMine = mineIn === 'dropped'
      conflicts.push({
        what: isLocation ? 'location' : 'field',
        kind,
        entityId,
        entityName,
        path: [key],
        fieldLabel: fieldLabelOf([key], null),
        mine: droppedIsMine ? value : now[key],
        theirs: droppedIsMine ? now[key] : value,
        inPlace: droppedIsMine ? 'theirs' : 'mine',
        ...(isLocation && placeWords ? { mineWords: droppedIsMine ? placeWords.dropped : placeWords.now, theirsWords: droppedIsMine ? placeWords.now : placeWords.dropped } : {}),
      })
    }
  }
  return conflicts
}
