/**
 * Edit against delete (docs/sync.md "Conflicts"): another device deleted an
 * entity (and what its delete cascaded to) while this device, unsynced,
 * changed it or added something inside it. Yjs drops such edits with the
 * deleted map, and a request added to a deleted folder is left pointing at
 * nothing: both would vanish without a word.
 *
 * Per transaction applied from the server, the entity maps it deleted are
 * read as this device had them (before.ts) and grouped under the topmost one
 * (a deleted folder takes its requests and their examples); entities still
 * in the doc whose folder, collection or request is among them are orphans.
 * It is a conflict when one of this device's unacked items was inside, or
 * anything was orphaned; the person then keeps it deleted or restores it.
 */
import * as Y from 'yjs'
import type { DocKind } from '../docSchema'
import { entityMap } from '../docSchema'
import { idsWhere } from '../treeScan'
import type { UnackedItems } from './unackedItems'
import { entityBefore, fieldBefore, itemRangesBefore, visibleBefore } from './before'

/** An entity removed by the other device's delete, as this device had it. */
export interface RemovedEntity {
  kind: DocKind
  value: Record<string, unknown>
  /** Its items (the entity map's and everything inside) as [client, from, to): which were this device's. */
  items: Array<[number, number, number]>
}

/** A removed entity while grouping: its value is read only for a delete that may be a conflict. */
interface Removed {
  kind: DocKind
  id: string
  map: Y.Map<unknown>
  container: string | null
  items: Array<[number, number, number]>
}

/** An entity left in the doc whose container was deleted: invisible until its container is back. */
export interface OrphanedEntity {
  kind: DocKind
  id: string
  name: string
}

/** A delete from the server and what it took: the topmost deleted entity first. */
export interface DeletionCandidate {
  kind: DocKind
  entityId: string
  entityName: string
  removed: RemovedEntity[]
  orphans: OrphanedEntity[]
}

/** A deleted entity as the panel and the decision need it. */
export interface DeletionConflict {
  kind: DocKind
  entityId: string
  entityName: string
  /** What this device had: the removed entities (to restore), and what it changed or added there. */
  removed: Array<{ kind: DocKind, value: Record<string, unknown> }>
  changedHere: string[]
  orphans: OrphanedEntity[]
}

/** Where an entity sat before `tr`: a folder or request in its collection or folder, an example on its request. */
function containerBefore(tr: Y.Transaction, kind: DocKind, map: Y.Map<unknown>): string | null {
  const field = kind === 'examples' ? 'requestId' : kind === 'folders' || kind === 'requests' ? 'parentId' : null
  const container = field ? fieldBefore(tr, map, field) : null
  return typeof container === 'string' ? container : null
}

function nameOf(value: Record<string, unknown>, kind: DocKind, id: string): string {
  return typeof value.name === 'string' && value.name ? value.name : kind === 'globals' ? 'Globals' : id
}

/** The entity maps a transaction deleted outright (the key holds nothing now), with where they sat and their items. */
function removedEntities(tr: Y.Transaction, deleted: Y.Item[], kindOfTop: Map<unknown, DocKind>): Map<string, Removed> {
  const removed = new Map<string, Removed>()
  for (const item of deleted) {
    const kind = kindOfTop.get(item.parent)
    const id = item.parentSub
    if (!kind || id === null || !(item.content instanceof Y.ContentType) || !(item.content.type instanceof Y.Map) || !visibleBefore(tr, item))
      continue
    // A key that holds another map now was replaced, not deleted: its fields are compared one by one.
    if (entityMap(tr.doc, kind, id))
      continue
    const map = item.content.type
    const items = itemRangesBefore(tr, map, [[item.id.client, item.id.clock, item.id.clock + item.length]])
    removed.set(id, { kind, id, map, container: containerBefore(tr, kind, map), items })
  }
  return removed
}

/** Entities of the doc (after the transaction) inside one of `removed`: their container is gone. */
function orphansOf(doc: Y.Doc, removed: Map<string, Removed>): Array<OrphanedEntity & { container: string }> {
  const containers = new Set(removed.keys())
  const found: Array<OrphanedEntity & { container: string }> = []
  for (const [kind, field] of [['folders', 'parentId'], ['requests', 'parentId'], ['examples', 'requestId']] as const) {
    for (const id of idsWhere(doc, kind, field, containers)) {
      const ymap = entityMap(doc, kind, id)
      const name = ymap?.get('name')
      found.push({ kind, id, name: typeof name === 'string' && name ? name : id, container: String(ymap?.get(field)) })
    }
  }
  return found
}

/**
 * The deletes in a transaction from the server, one per topmost deleted
 * entity, with what they took (as this device had it) and orphaned.
 * `mayBeMine` tells which items could be this device's unsynced edits: a
 * delete with none of them and no orphan is left out without reading what
 * it took (a large collection deleted elsewhere costs only the scan).
 */
export function deletionsIn(tr: Y.Transaction, deleted: Y.Item[], kindOfTop: Map<unknown, DocKind>, mayBeMine: (client: number, from: number, to: number) => boolean = () => true): DeletionCandidate[] {
  const removed = removedEntities(tr, deleted, kindOfTop)
  if (!removed.size)
    return []
  const rootOf = (id: string): string => {
    let at = id
    // Containers nest a few levels; the bound only guards against a malformed cycle.
    for (let steps = 0; steps < 1000; steps++) {
      const container = removed.get(at)?.container
      if (!container || !removed.has(container))
        return at
      at = container
    }
    return at
  }
  const groups = new Map<string, { removed: Removed[], orphans: OrphanedEntity[] }>()
  const groupOf = (rootId: string) => {
    let group = groups.get(rootId)
    if (!group) {
      group = { removed: [], orphans: [] }
      groups.set(rootId, group)
    }
    return group
  }
  for (const [id, entity] of removed) {
    const rootId = rootOf(id)
    if (id === rootId)
      groupOf(rootId).removed.unshift(entity)
    else
      groupOf(rootId).removed.push(entity)
  }
  for (const { container, ...orphan } of orphansOf(tr.doc, removed))
    groupOf(rootOf(container)).orphans.push(orphan)

  const candidates: DeletionCandidate[] = []
  for (const [rootId, group] of groups) {
    if (!group.orphans.length && !group.removed.some(entity => entity.items.some(range => mayBeMine(...range))))
      continue
    const taken = group.removed.map(({ kind, id, map, items }) => ({ kind, value: { ...entityBefore(tr, kind, map), id }, items }))
    const root = taken[0]
    candidates.push({ kind: root.kind, entityId: rootId, entityName: nameOf(root.value, root.kind, rootId), removed: taken, orphans: group.orphans })
  }
  return candidates
}

/** The deletes that took something of this device's: an unacked item inside, or an entity left without its container. */
export function decideDeletions(candidates: DeletionCandidate[], unacked: UnackedItems): DeletionConflict[] {
  const conflicts: DeletionConflict[] = []
  for (const candidate of candidates) {
    const changed = candidate.removed.filter(entity => entity.items.some(([client, from, to]) => unacked.overlaps(client, from, to)))
    if (!changed.length && !candidate.orphans.length)
      continue
    conflicts.push({
      kind: candidate.kind,
      entityId: candidate.entityId,
      entityName: candidate.entityName,
      removed: candidate.removed.map(({ kind, value }) => ({ kind, value })),
      changedHere: changed.map(entity => nameOf(entity.value, entity.kind, String(entity.value.id))),
      orphans: candidate.orphans,
    })
  }
  return conflicts
}
