/**
 * The only way to change a workspace: each function is one Yjs transaction
 * on the workspace doc (the observer in persistedDoc.ts then stores it), and
 * stamps `updatedAt`/`updatedBy`. Only what changed is written, so edits of
 * different fields on different devices merge.
 */
import * as Y from 'yjs'
import type { z } from 'zod/mini'
import { ENTITY_SCHEMAS, EXAMPLE_BODY_LIMIT, GLOBALS_ID, type EntityKind, type EntityOf } from '../domain/model'
import { newId } from '../domain/ids'
import { cloneSubtree, keyBetween, keysBetween, moveProblem, type TreeContent, type TreeNodeKind } from '../domain/tree'
import { describeSchemaError } from '../db/quarantine'
import type { ProjectedRecord } from '../db/projection'
import {
  DOC_LAYOUT,
  DOC_SCHEMAS,
  type DocEntityOf,
  type MapSpec,
  applyEntity,
  entityMap,
  isMapSpec,
  isPlainObject,
  kindMap,
  plainEqual,
  tryReadEntity,
  writeEntity,
} from './docSchema'
import { type DocHandle, WRITTEN_ENTITIES, type WrittenEntities, assertLoaded } from './persistedDoc'
import { idsWhere, lastChildKey, lastKeyOf, subtreeOf, treeIndexOf } from './treeScan'

/** Fields of a new entity; anything left out gets its default (ids, timestamps and sort keys too, nested fields too). */
export type EntityInput<K extends EntityKind> = Partial<z.input<(typeof ENTITY_SCHEMAS)[K]>>

type PatchValue<T> = T extends readonly unknown[] ? T : T extends Record<string, unknown> ? { [P in keyof T]?: PatchValue<T[P]> } : T
/** Changed fields of an entity; nested objects (auth, body, settings) may be partial. */
export type EntityPatch<K extends EntityKind> = { [F in keyof EntityOf[K]]?: PatchValue<EntityOf[K][F]> }

/** Many entities at once, e.g. a Postman import. */
export type ImportBatch = { [K in EntityKind]?: EntityInput<K>[] }
export type ImportedEntities = { [K in EntityKind]: EntityOf[K][] }

const LABEL: Record<EntityKind, string> = {
  collections: 'collection',
  folders: 'folder',
  requests: 'request',
  examples: 'example',
  presets: 'header preset',
  environments: 'environment',
  globals: 'globals',
}
const TREE_KIND: Partial<Record<EntityKind, TreeNodeKind>> = { collections: 'collection', folders: 'folder', requests: 'request' }
/** Placement fields change only through moveEntity, which checks the move. */
const PLACEMENT_FIELDS = ['id', 'parentId', 'collectionId', 'requestId', 'createdAt'] as const
const IMPORT_ORDER: EntityKind[] = ['collections', 'folders', 'requests', 'examples', 'presets', 'environments', 'globals']

function gone(kind: EntityKind, id: string): Error {
  return new Error(`This ${LABEL[kind]} (${id}) no longer exists in the workspace; it may have been deleted on another device.`)
}

/** Runs `change` as one local transaction, recording entities written whole for the projection. */
function transactLocal(handle: DocHandle, change: (written: WrittenEntities, tr: Y.Transaction) => void): void {
  assertLoaded(handle)
  handle.doc.transact((tr) => {
    const written: WrittenEntities = new Map()
    tr.meta.set(WRITTEN_ENTITIES, written)
    change(written, tr)
  }, handle)
}

function remember(written: WrittenEntities, kind: EntityKind, entity: { id: string }): void {
  let ofKind = written.get(kind)
  if (!ofKind) {
    ofKind = new Map()
    written.set(kind, ofKind)
  }
  ofKind.set(entity.id, entity as ProjectedRecord)
}

/** Parses an entity for writing; an example's body is cut at EXAMPLE_BODY_LIMIT (large bodies do not belong in a CRDT). */
function validated<K extends EntityKind>(kind: K, data: unknown, verb: string): EntityOf[K] {
  const result = DOC_SCHEMAS[kind].safeParse(data)
  if (!result.success)
    throw new Error(`Pigeon could not ${verb} this ${LABEL[kind]}: ${describeSchemaError(result.error)}. Check the values and try again.`)
  const entity = result.data as EntityOf[K]
  if (kind === 'examples') {
    const example = entity as EntityOf['examples']
    if (example.body.length > EXAMPLE_BODY_LIMIT)
      return { ...example, body: example.body.slice(0, EXAMPLE_BODY_LIMIT), bodyTruncated: true } as EntityOf[K]
  }
  return entity
}

function stringField(ymap: Y.Map<unknown> | undefined, name: string): string | undefined {
  const value = ymap?.get(name)
  return typeof value === 'string' ? value : undefined
}

/** The collection a folder or request under `parentId` belongs to. */
function collectionOfParent(handle: DocHandle, parentId: string): string {
  if (entityMap(handle.doc, 'collections', parentId))
    return parentId
  const folder = entityMap(handle.doc, 'folders', parentId)
  const collectionId = stringField(folder, 'collectionId')
  if (!collectionId)
    throw new Error('The collection or folder to put this in no longer exists; it may have been deleted on another device.')
  return collectionId
}

/**
 * The globals record has a fixed id and is made by whichever device saves a
 * global first. If two devices each made their own map under that key while
 * offline, Yjs would keep one and drop the other's variables with it. So
 * every device makes it from these same bytes: one update by a fixed client
 * (0) that creates the map and its empty variables list. Applied on two
 * devices it is the same Yjs item, merged as one, and each device's
 * variables are rows added to that one list. These bytes are part of the
 * document format: never change them.
 */
function globalsGenesis(): Uint8Array {
  const doc = new Y.Doc()
  doc.clientID = 0
  const globals = new Y.Map<unknown>()
  doc.getMap('globals').set(GLOBALS_ID, globals)
  globals.set('id', GLOBALS_ID)
  globals.set('variables', new Y.Array())
  return Y.encodeStateAsUpdate(doc)
}

/** Creates an entity with defaults filled in (id, timestamps, sort key at the end) and returns it. */
export function createEntity<K extends EntityKind>(handle: DocHandle, kind: K, data: EntityInput<K> = {}): EntityOf[K] {
  assertLoaded(handle)
  const now = Date.now()
  const input = { ...data } as Record<string, unknown>
  const id = kind === 'globals' ? GLOBALS_ID : (typeof input.id === 'string' && input.id ? input.id : newId())
  if (entityMap(handle.doc, kind, id)) {
    // A workspace has one globals record: "creating" it again saves into it.
    if (kind === 'globals')
      return updateEntity(handle, kind, id, data as EntityPatch<K>)
    throw new Error(`A ${LABEL[kind]} with the id ${id} already exists in this workspace.`)
  }
  if (kind === 'folders' || kind === 'requests') {
    if (typeof input.parentId !== 'string')
      throw new Error(`A new ${LABEL[kind]} needs a collection or folder to go in.`)
    input.collectionId = collectionOfParent(handle, input.parentId)
    if (typeof input.sortKey !== 'string')
      input.sortKey = keyBetween(lastChildKey(handle.doc, input.parentId), null)
  }
  if ((kind === 'collections' || kind === 'environments') && typeof input.sortKey !== 'string')
    input.sortKey = keyBetween(lastKeyOf(handle.doc, kind), null)
  if (kind === 'examples' && (typeof input.requestId !== 'string' || !entityMap(handle.doc, 'requests', input.requestId)))
    throw new Error('The request to save this example on no longer exists; it may have been deleted on another device.')
  const entity = validated(kind, { ...input, id, createdAt: now, updatedAt: now, updatedBy: handle.userId }, 'create')
  transactLocal(handle, (written, tr) => {
    if (kind === 'globals') {
      // Inside this transaction: the shared map is stored and synced with the first variables.
      Y.applyUpdate(handle.doc, globalsGenesis())
      // applyUpdate marks the transaction remote; it is this device's edit.
      // Left remote, it would be logged as not ours (never counted or sent
      // for an ack), and Yjs, seeing its own client's items arrive in a
      // remote transaction, would give the doc a new client id under the
      // connection's presence.
      tr.local = true
      applyEntity(kind, entityMap(handle.doc, kind, id) as Y.Map<unknown>, entity as DocEntityOf[K])
    }
    else {
      kindMap(handle.doc, kind).set(id, writeEntity(kind, entity as DocEntityOf[K]))
    }
    remember(written, kind, entity)
  })
  return entity
}

function mergePatch(spec: MapSpec, current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const next = { ...current }
  for (const key of Object.keys(patch)) {
    const value = patch[key]
    if (value === undefined)
      continue
    const fieldSpec = spec.fields[key]
    // Nested objects merge (a patch of auth.basic.username keeps the password); arrays and text replace.
    next[key] = isPlainObject(value) && isPlainObject(current[key])
      ? mergePatch(isMapSpec(fieldSpec) ? fieldSpec : { fields: {} }, current[key], value)
      : value
  }
  return next
}

function withoutStamps(entity: Record<string, unknown>): Record<string, unknown> {
  const { updatedAt: _updatedAt, updatedBy: _updatedBy, ...rest } = entity
  return rest
}

/**
 * Changes fields of an entity. Only fields whose value differs are written;
 * text fields are spliced by character, rows matched by id. A patch that
 * changes nothing writes nothing. Returns the entity as it now is.
 */
export function updateEntity<K extends EntityKind>(handle: DocHandle, kind: K, id: string, patch: EntityPatch<K>): EntityOf[K] {
  assertLoaded(handle)
  const ymap = entityMap(handle.doc, kind, id)
  if (!ymap) {
    if (kind === 'globals')
      return createEntity(handle, kind, patch as EntityInput<K>)
    throw gone(kind, id)
  }
  const read = tryReadEntity(kind, ymap)
  // A malformed record can still be repaired by a patch that makes it valid.
  const current = (read.ok ? read.value : read.record) as Record<string, unknown>
  const cleanPatch = { ...patch } as Record<string, unknown>
  for (const field of PLACEMENT_FIELDS)
    delete cleanPatch[field]
  const merged = mergePatch(DOC_LAYOUT[kind], current, cleanPatch)
  if (read.ok && plainEqual(withoutStamps(merged), withoutStamps(current)))
    return read.value as EntityOf[K]
  const next = validated(kind, { ...merged, updatedAt: Date.now(), updatedBy: handle.userId }, 'save')
  transactLocal(handle, (written) => {
    applyEntity(kind, ymap, next as DocEntityOf[K])
    remember(written, kind, next)
  })
  return next
}

/** What a delete removes: the entity and everything inside it. */
function cascadeOf(handle: DocHandle, kind: EntityKind, id: string): Array<[EntityKind, string]> {
  const { doc } = handle
  const removed: Array<[EntityKind, string]> = [[kind, id]]
  let requests: string[] = []
  if (kind === 'collections') {
    const inCollection = new Set([id])
    removed.push(...idsWhere(doc, 'folders', 'collectionId', inCollection).map(folderId => ['folders', folderId] as [EntityKind, string]))
    requests = idsWhere(doc, 'requests', 'collectionId', inCollection)
    // Items whose collectionId is stale still sit under the collection by parentId.
    const subtree = subtreeOf(doc, id)
    removed.push(...subtree.folders.map(folderId => ['folders', folderId] as [EntityKind, string]))
    requests.push(...subtree.requests)
  }
  else if (kind === 'folders') {
    const subtree = subtreeOf(doc, id)
    removed.push(...subtree.folders.map(folderId => ['folders', folderId] as [EntityKind, string]))
    requests = subtree.requests
  }
  else if (kind === 'requests') {
    requests = [id]
  }
  const requestIds = new Set(requests)
  removed.push(...[...requestIds].filter(requestId => requestId !== id || kind !== 'requests').map(requestId => ['requests', requestId] as [EntityKind, string]))
  removed.push(...idsWhere(doc, 'examples', 'requestId', requestIds).map(exampleId => ['examples', exampleId] as [EntityKind, string]))
  return removed
}

/**
 * Deletes an entity and what it contains: a collection its folders, requests
 * and examples; a folder its subtree; a request its examples. Returns how
 * many entities were removed (0 when it was already gone).
 */
export function deleteEntity(handle: DocHandle, kind: EntityKind, id: string): number {
  assertLoaded(handle)
  if (!entityMap(handle.doc, kind, id))
    return 0
  const removed = cascadeOf(handle, kind, id)
  let count = 0
  transactLocal(handle, () => {
    for (const [removedKind, removedId] of removed) {
      const map = kindMap(handle.doc, removedKind)
      if (map.has(removedId)) {
        map.delete(removedId)
        count++
      }
    }
  })
  return count
}

/**
 * Moves a folder or request into another collection or folder (or reorders a
 * collection or environment when `newParentId` is null), at `sortKey` or at
 * the end. Items inside a moved folder follow it into its new collection.
 */
export function moveEntity(handle: DocHandle, kind: EntityKind, id: string, newParentId: string | null, sortKey?: string): void {
  assertLoaded(handle)
  const { doc } = handle
  const ymap = entityMap(doc, kind, id)
  if (!ymap)
    throw gone(kind, id)
  const now = Date.now()
  if (kind === 'collections' || kind === 'environments') {
    const key = sortKey ?? keyBetween(lastKeyOf(doc, kind), null)
    transactLocal(handle, () => setFields(handle, ymap, { sortKey: key }, now))
    return
  }
  if (kind !== 'folders' && kind !== 'requests')
    throw new Error(`A ${LABEL[kind]} has no place in the tree to move to.`)
  if (newParentId === null)
    throw new Error(`A ${LABEL[kind]} must stay inside a collection or folder.`)
  const problem = moveProblem(treeIndexOf(doc), id, newParentId)
  if (problem)
    throw new Error(problem)
  const collectionId = collectionOfParent(handle, newParentId)
  const key = sortKey ?? keyBetween(lastChildKey(doc, newParentId), null)
  const followers = kind === 'folders' && stringField(ymap, 'collectionId') !== collectionId ? subtreeOf(doc, id) : { folders: [], requests: [] }
  transactLocal(handle, () => {
    setFields(handle, ymap, { parentId: newParentId, collectionId, sortKey: key }, now)
    for (const folderId of followers.folders)
      setFields(handle, entityMap(doc, 'folders', folderId), { collectionId }, now)
    for (const requestId of followers.requests)
      setFields(handle, entityMap(doc, 'requests', requestId), { collectionId }, now)
  })
}

/** Sets plain fields that differ, and stamps the entity if anything changed. */
function setFields(handle: DocHandle, ymap: Y.Map<unknown> | undefined, fields: Record<string, string>, now: number): void {
  if (!ymap)
    return
  let changed = false
  for (const [name, value] of Object.entries(fields)) {
    if (ymap.get(name) !== value) {
      ymap.set(name, value)
      changed = true
    }
  }
  if (changed) {
    ymap.set('updatedAt', now)
    ymap.set('updatedBy', handle.userId)
  }
}

function readAll<K extends EntityKind>(handle: DocHandle, kind: K, ids: Iterable<string>): EntityOf[K][] {
  const entities: EntityOf[K][] = []
  for (const id of ids) {
    const ymap = entityMap(handle.doc, kind, id)
    const read = ymap ? tryReadEntity(kind, ymap) : null
    if (read?.ok)
      entities.push(read.value as EntityOf[K])
  }
  return entities
}

/**
 * Duplicates a collection, folder or request with everything inside it
 * (new ids, named "… Copy", right after the original); returns the copy's id.
 */
export function duplicateEntity(handle: DocHandle, kind: 'collections' | 'folders' | 'requests', id: string): string {
  assertLoaded(handle)
  const { doc } = handle
  const root = entityMap(doc, kind, id)
  if (!root)
    throw gone(kind, id)
  const parentId = kind === 'collections' ? null : stringField(root, 'parentId') ?? null
  const subtree = kind === 'requests' ? { folders: [], requests: [id] } : subtreeOf(doc, id)
  const siblings = parentId === null ? { folders: [], requests: [] } : {
    folders: idsWhere(doc, 'folders', 'parentId', new Set([parentId])),
    requests: idsWhere(doc, 'requests', 'parentId', new Set([parentId])),
  }
  const folderIds = new Set([...siblings.folders, ...subtree.folders, ...(kind === 'folders' ? [id] : [])])
  const requestIds = new Set([...siblings.requests, ...subtree.requests])
  const content: TreeContent = {
    collections: kind === 'collections' ? readAll(handle, 'collections', kindMap(doc, 'collections').keys()) : [],
    folders: readAll(handle, 'folders', folderIds),
    requests: readAll(handle, 'requests', requestIds),
    examples: readAll(handle, 'examples', idsWhere(doc, 'examples', 'requestId', new Set(subtree.requests))),
  }
  const copies = cloneSubtree(TREE_KIND[kind] as TreeNodeKind, id, content, newId, { now: Date.now(), updatedBy: handle.userId })
  const rootCopy = (kind === 'collections' ? copies.collections[0] : kind === 'folders' ? copies.folders[0] : copies.requests[0]) as { id: string } | undefined
  if (!rootCopy)
    throw new Error(`This ${LABEL[kind]} could not be read, so it was not duplicated; it may be malformed (see the list of set-aside records in Settings).`)
  writeMany(handle, copies)
  return rootCopy.id
}

function writeMany(handle: DocHandle, entities: Partial<{ [K in EntityKind]: EntityOf[K][] }>): void {
  transactLocal(handle, (written) => {
    for (const kind of IMPORT_ORDER) {
      const list = entities[kind] as Array<EntityOf[EntityKind]> | undefined
      if (!list?.length)
        continue
      const map = kindMap(handle.doc, kind)
      for (const entity of list) {
        map.set(entity.id, writeEntity(kind, entity))
        remember(written, kind, entity)
      }
    }
  })
}

/**
 * Puts back entities another device deleted, under their own ids (so what
 * pointed at them — requests in a folder, a tab — finds them again), as one
 * transaction: the "Keep mine" of an edit-versus-delete conflict. An entity
 * whose id is in use again is left as it is. Returns how many were written.
 */
export function restoreEntities(handle: DocHandle, entities: ReadonlyArray<{ kind: EntityKind, value: Record<string, unknown> }>): number {
  assertLoaded(handle)
  const now = Date.now()
  const valid = entities
    .filter(({ kind, value }) => typeof value.id === 'string' && !entityMap(handle.doc, kind, value.id))
    .map(({ kind, value }) => ({ kind, entity: validated(kind, { ...value, updatedAt: now, updatedBy: handle.userId }, 'restore') }))
  if (!valid.length)
    return 0
  transactLocal(handle, (written) => {
    for (const kind of IMPORT_ORDER) {
      for (const { entity } of valid.filter(entry => entry.kind === kind)) {
        kindMap(handle.doc, kind).set(entity.id, writeEntity(kind, entity))
        remember(written, kind, entity)
      }
    }
  })
  return valid.length
}

/**
 * Adds many entities in one transaction (Postman import, benchmarks). Missing
 * ids, timestamps, collection ids and sort keys are filled in (imported items
 * keep their given order). Everything is checked first: if one entity is
 * invalid, nothing is written and the error says why. An entity whose id
 * already exists in the workspace is replaced as a whole.
 */
export function importEntities(handle: DocHandle, batch: ImportBatch): ImportedEntities {
  assertLoaded(handle)
  const { doc } = handle
  const now = Date.now()
  const result: ImportedEntities = { collections: [], folders: [], requests: [], examples: [], presets: [], environments: [], globals: [] }
  const inputs = new Map<EntityKind, Array<Record<string, unknown>>>()
  for (const kind of IMPORT_ORDER)
    inputs.set(kind, (batch[kind] ?? []).map(entity => ({ ...entity, id: kind === 'globals' ? GLOBALS_ID : (entity as { id?: string }).id || newId() })))

  const batchCollections = new Set((inputs.get('collections') ?? []).map(entity => entity.id as string))
  const batchFolderParents = new Map((inputs.get('folders') ?? []).map(entity => [entity.id as string, entity.parentId as string]))
  const collectionOf = (parentId: string, depth = 0): string | undefined => {
    if (batchCollections.has(parentId) || entityMap(doc, 'collections', parentId))
      return parentId
    const batchParent = batchFolderParents.get(parentId)
    if (batchParent !== undefined && depth < 1000)
      return collectionOf(batchParent, depth + 1)
    return stringField(entityMap(doc, 'folders', parentId), 'collectionId')
  }
  fillSortKeys(doc, inputs)

  for (const kind of IMPORT_ORDER) {
    for (const input of inputs.get(kind) ?? []) {
      if ((kind === 'folders' || kind === 'requests') && typeof input.parentId === 'string' && typeof input.collectionId !== 'string')
        input.collectionId = collectionOf(input.parentId)
      const entity = validated(kind, { createdAt: now, updatedBy: handle.userId, ...input, updatedAt: now }, 'import')
      ;(result[kind] as unknown[]).push(entity)
    }
  }
  writeMany(handle, result)
  return result
}

/** Gives sort keys, in the given order, to imported items that have none, after existing siblings. */
function fillSortKeys(doc: Y.Doc, inputs: Map<EntityKind, Array<Record<string, unknown>>>): void {
  const groups = new Map<string, Array<Record<string, unknown>>>()
  const add = (group: string, entity: Record<string, unknown>) => {
    if (typeof entity.sortKey === 'string')
      return
    const list = groups.get(group)
    if (list)
      list.push(entity)
    else
      groups.set(group, [entity])
  }
  for (const entity of inputs.get('collections') ?? [])
    add('collections', entity)
  for (const entity of inputs.get('environments') ?? [])
    add('environments', entity)
  for (const kind of ['folders', 'requests'] as const) {
    for (const entity of inputs.get(kind) ?? [])
      add(`child:${String(entity.parentId)}`, entity)
  }
  if (!groups.size)
    return
  const lastKeys = new Map<string, string>()
  const keep = (group: string, key: unknown) => {
    if (typeof key === 'string' && groups.has(group) && key > (lastKeys.get(group) ?? ''))
      lastKeys.set(group, key)
  }
  for (const kind of ['collections', 'environments'] as const)
    kindMap(doc, kind).forEach(ymap => keep(kind, ymap.get('sortKey')))
  for (const kind of ['folders', 'requests'] as const)
    kindMap(doc, kind).forEach(ymap => keep(`child:${String(ymap.get('parentId'))}`, ymap.get('sortKey')))
  for (const [group, entities] of groups) {
    const keys = keysBetween(lastKeys.get(group) ?? null, null, entities.length)
    entities.forEach((entity, index) => {
      entity.sortKey = keys[index]
    })
  }
}
