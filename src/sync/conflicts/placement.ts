/**
 * Resolving the conflicts that are not one plain field: an item moved to two
 * places (keep one place: a normal move), and an entity deleted on another
 * device while changed here (keep it deleted, or put it back as this device
 * had it). Each choice is normal edits that sync.
 */
import type { EntityKind } from '../../domain/model'
import type { DocHandle } from '../persistedDoc'
import { entityMap } from '../docSchema'
import { createEntity, deleteEntity, moveEntity, restoreEntities } from '../mutations'
import type { KeepOutcome } from './resolve'

/** What keeping a side did, and a sentence when the person should know more (where a restored item went). */
export interface KeepResult {
  outcome: KeepOutcome
  note: string | null
}

/** A deleted entity's conflict: what the delete took (the entity first) and what it left without a container. */
export interface DeletedChoice {
  kind: string
  entityId: string
  entityName: string
  restore?: ReadonlyArray<{ kind: string, value: Record<string, unknown> }>
  orphans?: ReadonlyArray<{ kind: string, id: string }>
}

/** A location conflict: the item and the two parents it was moved to. */
export interface LocationChoice {
  kind: string
  entityId: string
  mine: unknown
  theirs: unknown
}

/** The name a restored collection gets when everything above the restored item is gone too. */
export const RESTORED_COLLECTION_NAME = 'Restored items'

function exists(handle: DocHandle, kind: EntityKind, id: unknown): boolean {
  return typeof id === 'string' && entityMap(handle.doc, kind, id) !== undefined
}

function isContainer(handle: DocHandle, id: unknown): boolean {
  return exists(handle, 'collections', id) || exists(handle, 'folders', id)
}

/** The container an orphan points at. */
function containerOf(handle: DocHandle, kind: string, id: string): unknown {
  return entityMap(handle.doc, kind as EntityKind, id)?.get(kind === 'examples' ? 'requestId' : 'parentId')
}

/** "Keep theirs": the entity stays deleted, and what it left behind without a container goes with it. */
function keepItDeleted(handle: DocHandle, conflict: DeletedChoice): KeepResult {
  let deleted = 0
  for (const orphan of conflict.orphans ?? []) {
    const container = containerOf(handle, orphan.kind, orphan.id)
    const stillOrphaned = orphan.kind === 'examples' ? !exists(handle, 'requests', container) : !isContainer(handle, container)
    if (exists(handle, orphan.kind as EntityKind, orphan.id) && stillOrphaned)
      deleted += deleteEntity(handle, orphan.kind as EntityKind, orphan.id)
  }
  return { outcome: deleted ? 'written' : 'unchanged', note: null }
}

/**
 * "Keep mine": the entity and what the delete took come back as this device
 * had them. A folder or request whose own container is gone too goes to the
 * top of its collection, or into a new "Restored items" collection.
 */
function putItBack(handle: DocHandle, conflict: DeletedChoice): KeepResult {
  const entities = (conflict.restore ?? []).map(({ kind, value }) => ({ kind: kind as EntityKind, value: { ...value } }))
  const root = entities[0]
  if (!root)
    return { outcome: 'gone', note: `"${conflict.entityName}" cannot be restored: this device did not keep a copy of it.` }
  if (exists(handle, root.kind, root.value.id))
    return { outcome: 'unchanged', note: null }
  let note: string | null = null
  let movedToCollection: string | null = null
  if (root.kind === 'examples' && !exists(handle, 'requests', root.value.requestId))
    return { outcome: 'gone', note: `"${conflict.entityName}" cannot be restored: the request it was saved on was deleted too.` }
  if ((root.kind === 'folders' || root.kind === 'requests') && !isContainer(handle, root.value.parentId)) {
    if (exists(handle, 'collections', root.value.collectionId)) {
      root.value.parentId = root.value.collectionId
      const name = entityMap(handle.doc, 'collections', String(root.value.collectionId))?.get('name')
      note = `"${conflict.entityName}" was restored at the top of "${String(name)}": the folder it was in was deleted too.`
    }
    else {
      movedToCollection = createEntity(handle, 'collections', { name: RESTORED_COLLECTION_NAME }).id
      root.value.parentId = movedToCollection
      note = `"${conflict.entityName}" was restored into a new collection, "${RESTORED_COLLECTION_NAME}": its collection was deleted too.`
    }
  }
  if (movedToCollection) {
    for (const entity of entities) {
      if (entity.kind === 'folders' || entity.kind === 'requests')
        entity.value.collectionId = movedToCollection
    }
  }
  restoreEntities(handle, entities)
  if (movedToCollection) {
    // Items left inside it follow it into its new collection.
    for (const orphan of conflict.orphans ?? []) {
      const parentId = containerOf(handle, orphan.kind, orphan.id)
      if ((orphan.kind === 'folders' || orphan.kind === 'requests') && isContainer(handle, parentId))
        moveEntity(handle, orphan.kind, orphan.id, String(parentId), entityMap(handle.doc, orphan.kind, orphan.id)?.get('sortKey') as string | undefined)
    }
  }
  return { outcome: 'written', note }
}

/** Keeps a deleted entity deleted (`theirs`) or puts it back (`mine`). */
export function keepDeleted(handle: DocHandle, conflict: DeletedChoice, choice: 'mine' | 'theirs'): KeepResult {
  return choice === 'mine' ? putItBack(handle, conflict) : keepItDeleted(handle, conflict)
}

/** Moves the item to the chosen one of the two places (at the end there); nothing when it is there already. */
export function keepLocation(handle: DocHandle, conflict: LocationChoice, choice: 'mine' | 'theirs'): KeepResult {
  const kind = conflict.kind as EntityKind
  const ymap = entityMap(handle.doc, kind, conflict.entityId)
  if (!ymap)
    return { outcome: 'gone', note: null }
  const parentId = choice === 'mine' ? conflict.mine : conflict.theirs
  if (ymap.get('parentId') === parentId)
    return { outcome: 'unchanged', note: null }
  if (!isContainer(handle, parentId))
    return { outcome: 'gone', note: 'That folder no longer exists; it may have been deleted on another device. The item stays where it is.' }
  moveEntity(handle, kind, conflict.entityId, String(parentId))
  return { outcome: 'written', note: null }
}
