/**
 * Collections → folders → requests of the active workspace: the sidebar
 * tree (built, filtered and flattened by src/domain/tree.ts from live Dexie
 * reads), and every change to it through src/sync/mutations.ts, with undo
 * for deletes.
 */
import type { TreeRow } from '../components/collections/treeRow'
import type { Collection, Example, Folder, Request, RequestSnapshot } from '../domain/model'
import type { TreeNode } from '../domain/tree'
import type { EntityPatch, ImportBatch } from '../sync/mutations'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import { useObservable } from '../composables/useObservable'
import { observe } from '../db/live'
import { getSetting, setSetting } from '../db/local'
import { getCollection, getFolder, getRequest, getRequestOnceStored, listCollections, listExamples, listFolders, listRequestTreeRows, type RequestTreeRow } from '../db/queries'
import { buildTree, canMove as treeCanMove, filterTree, flattenTree, indexEntities, keyBetween } from '../domain/tree'
import { createEntity, deleteEntity, duplicateEntity, importEntities, moveEntity, updateEntity } from '../sync/mutations'
import { useNotificationsStore } from './notifications'
import { useWorkspacesStore } from './workspaces'

type TreeKind = 'collections' | 'folders' | 'requests'
const KIND_OF_NODE = { collection: 'collections', folder: 'folders', request: 'requests' } as const

/** Where a move puts an item: at the end of `parentId`, or just before/after a sibling. */
export interface MoveTarget {
  /** The new collection or folder; null when reordering collections. */
  parentId: string | null
  position: 'end' | 'before' | 'after'
  siblingId?: string
}

/** A place the "Move to…" dialog offers. */
export interface MoveDestination {
  id: string
  kind: 'collection' | 'folder'
  name: string
  depth: number
  /** "Collection / Folder / Sub-folder", for filtering. */
  path: string
  isCurrentParent: boolean
}

/** What an import brought in, for the message after it. */
export interface ImportSummary {
  kind: 'collection' | 'environment'
  id: string
  name: string
  folders: number
  requests: number
  /** What could not come across as it was, one sentence each. */
  warnings: string[]
}

/** The collection and folders above a request, for inherited auth and collection variables. */
export interface RequestAncestors {
  collection: Collection | null
  /** Nearest first. */
  folders: Folder[]
}

export const useCollectionsStore = defineStore('collections', () => {
  const workspaces = useWorkspacesStore()
  const notifications = useNotificationsStore()

  const workspaceId = computed(() => workspaces.activeWorkspaceId)
  const live = <T>(read: (db: typeof workspaces.db, id: string) => Promise<T>) =>
    () => workspaceId.value ? observe(() => read(workspaces.db, workspaceId.value!)) : null

  const collectionList = useObservable(live(listCollections), null as Collection[] | null)
  const folderList = useObservable(live(listFolders), null as Folder[] | null)
  const requestList = useObservable(live(listRequestTreeRows), null as RequestTreeRow[] | null)

  const collections = computed(() => collectionList.value ?? [])
  const folders = computed(() => folderList.value ?? [])
  const requests = computed(() => requestList.value ?? [])
  const loaded = computed(() => collectionList.value !== null && folderList.value !== null && requestList.value !== null)

  // The tree is what a person waits for: the workspace document opens after it is read.
  watch(workspaceId, (id) => {
    if (id && !loaded.value) {
      workspaces.firstReadPending(new Promise((resolve) => {
        const stop = watch(loaded, (isLoaded) => {
          if (isLoaded) {
            performance.mark('pigeon:tree-read')
            stop()
            resolve()
          }
        })
      }))
    }
  }, { immediate: true })

  const entities = computed(() => ({ collections: collections.value, folders: folders.value, requests: requests.value }))
  const tree = computed(() => buildTree(entities.value))
  const treeIndex = computed(() => indexEntities(entities.value))

  const filter = ref('')
  const expanded = shallowRef(new Set<string>())
  // Which folders are open is remembered per workspace on this device (folded at first).
  const expandedSettingKey = (id: string): string => `expandedTreeNodes:${id}`
  let saveExpandedTimer: ReturnType<typeof setTimeout> | undefined
  let expandedLoadedFor: string | null = null
  watch(workspaceId, async (id) => {
    clearTimeout(saveExpandedTimer)
    expandedLoadedFor = null
    expanded.value = new Set()
    if (!id)
      return
    const stored = await getSetting<string[]>(workspaces.db, expandedSettingKey(id), [])
    if (workspaceId.value !== id)
      return
    expandedLoadedFor = id
    expanded.value = new Set([...(Array.isArray(stored) ? stored : []), ...expanded.value])
  }, { immediate: true })
  watch(expanded, (open) => {
    const id = workspaceId.value
    clearTimeout(saveExpandedTimer)
    // Saving before the stored set is read would overwrite it.
    if (id && expandedLoadedFor === id)
      saveExpandedTimer = setTimeout(() => void setSetting(workspaces.db, expandedSettingKey(id), [...open]), 300)
  })

  const rows = computed<TreeRow[]>(() => {
    if (!filter.value.trim())
      return toRows(tree.value, expanded.value)
    const filtered = filterTree(tree.value, filter.value)
    return toRows(filtered.tree, new Set([...expanded.value, ...filtered.expanded]))
  })

  function setFilter(text: string): void {
    filter.value = text
  }

  function setExpanded(id: string, open: boolean): void {
    if (expanded.value.has(id) === open)
      return
    const next = new Set(expanded.value)
    if (open)
      next.add(id)
    else
      next.delete(id)
    expanded.value = next
  }

  function toggleExpanded(id: string): void {
    setExpanded(id, !expanded.value.has(id))
  }

  /** The open document to write to (waits while the workspace is opening). */
  function handle() {
    return workspaces.whenOpen()
  }

  function kindOf(id: string): TreeKind {
    const node = treeIndex.value.get(id)
    if (!node)
      throw new Error('This item no longer exists; it may have been deleted in another tab or on another device.')
    return KIND_OF_NODE[node.kind]
  }

  /** Resolves once `id` is one of the visible rows (after the live read caught up), or after 3 s. */
  function whenVisible(id: string): Promise<void> {
    if (rows.value.some(row => row.id === id))
      return Promise.resolve()
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        stop()
        resolve()
      }
      const timer = setTimeout(done, 3000)
      const stop = watch(rows, list => list.some(row => row.id === id) && done())
    })
  }

  /** Creates a collection at the end and returns its id. */
  async function createCollection(name = 'New Collection'): Promise<string> {
    return createEntity(await handle(), 'collections', { name }).id
  }

  /** Creates a folder at the end of a collection or folder and returns its id. */
  async function createFolder(parentId: string, name = 'New Folder'): Promise<string> {
    const id = createEntity(await handle(), 'folders', { parentId, name }).id
    setExpanded(parentId, true)
    return id
  }

  /** Creates a request (from an unsaved tab's snapshot, when given) and returns its id. */
  async function createRequest(parentId: string, snapshot: Partial<RequestSnapshot> = {}): Promise<string> {
    const id = createEntity(await handle(), 'requests', { name: 'New Request', ...structuredClone(snapshot), parentId }).id
    setExpanded(parentId, true)
    return id
  }

  /** Saves a request's edited fields (only what changed is written). */
  async function saveRequest(id: string, snapshot: Partial<RequestSnapshot>): Promise<Request> {
    const open = await handle()
    const saved = updateEntity(open, 'requests', id, structuredClone(snapshot) as EntityPatch<'requests'>)
    // "Saved" must mean on disk: a reload right after Save, or a full disk, must not surprise the user.
    await open.flushed()
    return saved
  }

  /** A saved request, complete, or null. */
  async function requestById(id: string): Promise<Request | null> {
    return workspaceId.value ? getRequestOnceStored(workspaces.db, workspaceId.value, id) : null
  }

  /** A collection, complete, or null (for the settings dialog). */
  async function collectionById(id: string): Promise<Collection | null> {
    return workspaceId.value ? getCollection(workspaces.db, workspaceId.value, id) : null
  }

  /** A folder, complete, or null. */
  async function folderById(id: string): Promise<Folder | null> {
    return workspaceId.value ? getFolder(workspaces.db, workspaceId.value, id) : null
  }

  /** The collection and folders (nearest first) a request sits in. */
  async function ancestorsOf(requestId: string): Promise<RequestAncestors> {
    const wsId = workspaceId.value
    const request = wsId ? await getRequest(workspaces.db, wsId, requestId) : null
    if (!wsId || !request)
      return { collection: null, folders: [] }
    const folderChain: Folder[] = []
    let parentId: string | null = request.parentId
    const seen = new Set<string>()
    while (parentId && !seen.has(parentId)) {
      seen.add(parentId)
      const folder = await getFolder(workspaces.db, wsId, parentId)
      if (!folder)
        break
      folderChain.push(folder)
      parentId = folder.parentId
    }
    return { collection: await getCollection(workspaces.db, wsId, request.collectionId), folders: folderChain }
  }

  /** Renames a collection, folder or request. */
  async function rename(id: string, name: string): Promise<void> {
    const trimmed = name.trim()
    if (!trimmed)
      throw new Error('A name cannot be empty; type one and press Enter.')
    updateEntity(await handle(), kindOf(id), id, { name: trimmed })
  }

  /** Changes a collection's name, description, auth or variables. */
  async function updateCollection(id: string, patch: EntityPatch<'collections'>): Promise<void> {
    updateEntity(await handle(), 'collections', id, patch)
  }

  /** Changes a folder's name, description or auth. */
  async function updateFolder(id: string, patch: EntityPatch<'folders'>): Promise<void> {
    updateEntity(await handle(), 'folders', id, patch)
  }

  /** Duplicates an item with everything inside it; returns the copy's id. */
  async function duplicate(id: string): Promise<string> {
    return duplicateEntity(await handle(), kindOf(id), id)
  }

  /** Everything a delete of `id` removes, read before it goes, so undo can put it back. */
  async function snapshotOf(id: string): Promise<{ batch: ImportBatch, ids: string[] }> {
    const wsId = workspaceId.value!
    const db = workspaces.db
    const kind = kindOf(id)
    // Everything changed so far must be stored before it is read back.
    await (await handle()).flushed()
    const folderIds: string[] = []
    const requestIds: string[] = []
    if (kind === 'requests') {
      requestIds.push(id)
    }
    else {
      if (kind === 'folders')
        folderIds.push(id)
      const node = findNode(tree.value, id)
      const walk = (children: readonly TreeNode[]): void => {
        for (const child of children) {
          if (child.kind === 'folder')
            folderIds.push(child.id)
          else
            requestIds.push(child.id)
          walk(child.children)
        }
      }
      walk(node?.children ?? [])
    }
    const [collection, folderRows, requestRows, exampleLists] = await Promise.all([
      kind === 'collections' ? getCollection(db, wsId, id) : null,
      Promise.all(folderIds.map(folderId => getFolder(db, wsId, folderId))),
      Promise.all(requestIds.map(requestId => getRequest(db, wsId, requestId))),
      Promise.all(requestIds.map(requestId => listExamples(db, wsId, requestId))),
    ])
    const batch: ImportBatch = {
      collections: collection ? [collection] : [],
      folders: folderRows.filter((f): f is Folder => f !== null),
      requests: requestRows.filter((r): r is Request => r !== null),
      examples: exampleLists.flat() as Example[],
    }
    return { batch, ids: [...(collection ? [id] : []), ...folderIds, ...requestIds, ...batch.examples!.map(e => e.id!)] }
  }

  /**
   * Deletes an item and everything inside it; returns the removed ids (to
   * close their tabs). Undoable deletes show "Deleted “X”" with Undo, which
   * puts the whole subtree back with its ids and order.
   */
  async function remove(id: string, options: { undoable?: boolean } = {}): Promise<string[]> {
    const kind = kindOf(id)
    const name = treeIndexName(id)
    const { batch, ids } = await snapshotOf(id)
    deleteEntity(await handle(), kind, id)
    if (options.undoable !== false) {
      notifications.notify({
        message: `Deleted “${name}”`,
        action: { label: 'Undo', run: () => restore(batch) },
      })
    }
    return ids
  }

  /** Puts back what a delete removed (the "Undo" of the delete toast). */
  async function restore(batch: ImportBatch): Promise<void> {
    importEntities(await handle(), structuredClone(batch))
  }

  function treeIndexName(id: string): string {
    return findNode(tree.value, id)?.name ?? 'item'
  }

  /**
   * Imports a Postman collection (v1, v2.0, v2.1) or environment file as new
   * items of this workspace, in one change. Throws a sentence saying what is
   * wrong with the file when it cannot be read.
   */
  async function importFile(bytes: Uint8Array): Promise<ImportSummary> {
    // Loaded on demand (and precached): importing is rare, and the converters are a good part of the start-up code.
    const [{ parseImportInput }, { importPostmanEnvironment }, { importPostmanCollection }] = await Promise.all([
      import('../domain/postman/decode'),
      import('../domain/postman/environment'),
      import('../domain/postman/importCollection'),
    ])
    const json = parseImportInput(bytes, 'Postman file')
    const isEnvironment = typeof json === 'object' && json !== null && Array.isArray((json as { values?: unknown }).values) && !('item' in json)
    if (isEnvironment) {
      const { sortKey: _sortKey, ...environment } = importPostmanEnvironment(json as object)
      importEntities(await handle(), { environments: [environment] })
      return { kind: 'environment', id: environment.id, name: environment.name, folders: 0, requests: 0, warnings: [] }
    }
    const last = collections.value[collections.value.length - 1]
    const imported = importPostmanCollection(json as object, { sortKey: keyBetween(last?.sortKey ?? null, null) })
    importEntities(await handle(), {
      collections: [imported.collection],
      folders: imported.folders,
      requests: imported.requests,
      examples: imported.examples,
    })
    return {
      kind: 'collection',
      id: imported.collection.id,
      name: imported.collection.name,
      folders: imported.folders.length,
      requests: imported.requests.length,
      warnings: imported.warnings,
    }
  }

  /** Whether `id` may go into `parentId` (not into itself, its own folders, or a request). */
  function canMove(id: string, parentId: string): boolean {
    return treeCanMove(treeIndex.value, id, parentId)
  }

  /** Moves or reorders an item; sort keys come from the neighbours at the target. */
  async function move(id: string, target: MoveTarget): Promise<void> {
    const kind = kindOf(id)
    const siblings = target.parentId === null ? tree.value : findNode(tree.value, target.parentId)?.children ?? []
    const others = siblings.filter(node => node.id !== id)
    let sortKey: string
    if (target.position === 'end' || !target.siblingId) {
      sortKey = keyBetween(others[others.length - 1]?.sortKey ?? null, null)
    }
    else {
      const index = others.findIndex(node => node.id === target.siblingId)
      const at = index < 0 ? others.length : target.position === 'before' ? index : index + 1
      sortKey = keyBetween(others[at - 1]?.sortKey ?? null, others[at]?.sortKey ?? null)
    }
    moveEntity(await handle(), kind, id, kind === 'collections' ? null : target.parentId, sortKey)
  }

  /** Collections and folders an item can be moved into, in tree order. */
  function destinationsFor(id: string): MoveDestination[] {
    const currentParent = treeIndex.value.get(id)?.parentId ?? null
    const result: MoveDestination[] = []
    const walk = (nodes: readonly TreeNode[], depth: number, path: string): void => {
      for (const node of nodes) {
        if (node.kind === 'request' || node.id === id)
          continue
        const nodePath = path ? `${path} / ${node.name}` : node.name
        if (canMove(id, node.id))
          result.push({ id: node.id, kind: node.kind, name: node.name, depth, path: nodePath, isCurrentParent: node.id === currentParent })
        walk(node.children, depth + 1, nodePath)
      }
    }
    walk(tree.value, 0, '')
    return result
  }

  return {
    collections,
    folders,
    requests,
    loaded,
    tree,
    rows,
    filter,
    expanded,
    setFilter,
    setExpanded,
    toggleExpanded,
    whenVisible,
    createCollection,
    createFolder,
    createRequest,
    saveRequest,
    requestById,
    collectionById,
    folderById,
    ancestorsOf,
    rename,
    updateCollection,
    updateFolder,
    duplicate,
    remove,
    restore,
    importFile,
    canMove,
    move,
    destinationsFor,
  }
})

function findNode(nodes: readonly TreeNode[], id: string): TreeNode | null {
  for (const node of nodes) {
    if (node.id === id)
      return node
    const found = node.children.length ? findNode(node.children, id) : null
    if (found)
      return found
  }
  return null
}

/** The tree's visible rows with what the accessible tree needs (level, position among siblings). */
function toRows(tree: readonly TreeNode[], expanded: ReadonlySet<string>): TreeRow[] {
  const flat = flattenTree(tree, expanded)
  const siblingCounts = new Map<string | null, number>()
  const positions: number[] = Array.from({ length: flat.length })
  for (let i = 0; i < flat.length; i++) {
    const key = flat[i].parentId
    const count = (siblingCounts.get(key) ?? 0) + 1
    siblingCounts.set(key, count)
    positions[i] = count
  }
  return flat.map((row, i) => ({
    id: row.id,
    kind: row.kind,
    name: row.name,
    level: row.depth + 1,
    parentId: row.parentId,
    collectionId: row.collectionId,
    method: row.method ?? '',
    url: row.url ?? '',
    hasChildren: row.hasChildren,
    expanded: row.expanded,
    position: positions[i],
    siblings: siblingCounts.get(row.parentId) ?? 1,
  }))
}
