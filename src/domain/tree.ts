/**
 * The sidebar tree: collections → nested folders → requests, ordered by a
 * fractional `sortKey` (then name), flattened into rows for a virtual list,
 * filtered by a search term, and the rules for moving and duplicating items.
 */
import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing'
import type { Collection, Example, Folder, Request } from './model'

export type TreeNodeKind = 'collection' | 'folder' | 'request'

export interface TreeNode {
  id: string
  kind: TreeNodeKind
  name: string
  sortKey: string
  /** null for a collection. */
  parentId: string | null
  collectionId: string
  method?: string
  url?: string
  children: TreeNode[]
}

/** The fields of each entity the tree needs (full entities fit). */
export interface TreeEntities {
  collections: ReadonlyArray<Pick<Collection, 'id' | 'name' | 'sortKey'>>
  folders: ReadonlyArray<Pick<Folder, 'id' | 'name' | 'sortKey' | 'parentId' | 'collectionId'>>
  requests: ReadonlyArray<Pick<Request, 'id' | 'name' | 'sortKey' | 'parentId' | 'collectionId' | 'method' | 'url'>>
}

/** One visible line of the sidebar. */
export interface TreeRow {
  id: string
  kind: TreeNodeKind
  depth: number
  name: string
  parentId: string | null
  collectionId: string
  method?: string
  url?: string
  hasChildren: boolean
  expanded: boolean
}

/** Byte order, not locale order: fractional keys are compared as plain strings. */
function compareNodes(a: TreeNode, b: TreeNode): number {
  if (a.sortKey !== b.sortKey)
    return a.sortKey < b.sortKey ? -1 : 1
  return a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/**
 * Builds the tree. A folder or request whose parent is missing (deleted on
 * another device, say) is shown at the top of its collection rather than lost.
 */
export function buildTree(entities: TreeEntities): TreeNode[] {
  const nodes = new Map<string, TreeNode>()
  const roots: TreeNode[] = []
  for (const collection of entities.collections) {
    const node: TreeNode = { id: collection.id, kind: 'collection', name: collection.name, sortKey: collection.sortKey, parentId: null, collectionId: collection.id, children: [] }
    nodes.set(node.id, node)
    roots.push(node)
  }
  const placed: TreeNode[] = []
  for (const folder of entities.folders) {
    const node: TreeNode = { id: folder.id, kind: 'folder', name: folder.name, sortKey: folder.sortKey, parentId: folder.parentId, collectionId: folder.collectionId, children: [] }
    nodes.set(node.id, node)
    placed.push(node)
  }
  for (const request of entities.requests) {
    placed.push({ id: request.id, kind: 'request', name: request.name, sortKey: request.sortKey, parentId: request.parentId, collectionId: request.collectionId, method: request.method, url: request.url, children: [] })
  }
  const inCycle = foldersInCycles(entities.folders)
  for (const node of placed) {
    const parent = nodes.get(node.parentId ?? '')
    // A folder caught in a cycle (concurrent moves on two devices: A into B, B into A)
    // goes to the top of its collection, so nothing merged ever disappears from the tree.
    const home = parent && parent.kind !== 'request' && !inCycle.has(node.id) ? parent : nodes.get(node.collectionId)
    home?.children.push(node)
  }
  const sortAll = (list: TreeNode[]): void => {
    list.sort(compareNodes)
    for (const node of list) {
      if (node.children.length > 0)
        sortAll(node.children)
    }
  }
  sortAll(roots)
  return roots
}

/** Folders whose chain of parents loops back on itself; the first of each loop breaks it. */
function foldersInCycles(folders: ReadonlyArray<Pick<Folder, 'id' | 'parentId'>>): Set<string> {
  const parentOf = new Map(folders.map(folder => [folder.id, folder.parentId]))
  const breakers = new Set<string>()
  const settled = new Set<string>()
  for (const folder of folders) {
    const path: string[] = []
    const onPath = new Set<string>()
    let current: string | undefined = folder.id
    while (current !== undefined && parentOf.has(current) && !settled.has(current)) {
      if (onPath.has(current)) {
        // The loop is the part of the path from `current` on; break it at its smallest id, so every device agrees.
        const loop = path.slice(path.indexOf(current))
        breakers.add(loop.reduce((a, b) => (a < b ? a : b)))
        break
      }
      onPath.add(current)
      path.push(current)
      current = parentOf.get(current)
    }
    for (const id of path)
      settled.add(id)
  }
  return breakers
}

/** The rows a virtual list shows: children appear only under expanded nodes. */
export function flattenTree(tree: readonly TreeNode[], expanded: ReadonlySet<string>): TreeRow[] {
  const rows: TreeRow[] = []
  const visit = (nodes: readonly TreeNode[], depth: number): void => {
    for (const node of nodes) {
      const hasChildren = node.children.length > 0
      const isExpanded = expanded.has(node.id)
      const row: TreeRow = { id: node.id, kind: node.kind, depth, name: node.name, parentId: node.parentId, collectionId: node.collectionId, hasChildren, expanded: isExpanded }
      if (node.kind === 'request') {
        row.method = node.method
        row.url = node.url
      }
      rows.push(row)
      if (hasChildren && isExpanded)
        visit(node.children, depth + 1)
    }
  }
  visit(tree, 0)
  return rows
}

/** A filtered tree and the nodes to expand so every match is visible. */
export interface FilteredTree {
  tree: TreeNode[]
  expanded: Set<string>
}

/**
 * Keeps requests whose name or URL contains `term` (case-insensitive), and
 * folders or collections whose name does (with everything in them), plus the
 * ancestors of each match, expanded. An empty term keeps everything.
 */
export function filterTree(tree: readonly TreeNode[], term: string): FilteredTree {
  const needle = term.trim().toLowerCase()
  const expanded = new Set<string>()
  if (needle === '')
    return { tree: [...tree], expanded }
  const matches = (node: TreeNode): boolean =>
    node.name.toLowerCase().includes(needle) || (node.kind === 'request' && (node.url ?? '').toLowerCase().includes(needle))
  const filter = (node: TreeNode): TreeNode | null => {
    if (node.kind === 'request')
      return matches(node) ? node : null
    const children: TreeNode[] = []
    for (const child of node.children) {
      const kept = filter(child)
      if (kept)
        children.push(kept)
    }
    if (children.length > 0)
      expanded.add(node.id)
    if (matches(node)) {
      // A matching folder keeps everything in it; what matched inside stays visible.
      if (children.length === 0)
        return node
      const keptById = new Map(children.map(child => [child.id, child]))
      return { ...node, children: node.children.map(child => keptById.get(child.id) ?? child) }
    }
    return children.length > 0 ? { ...node, children } : null
  }
  const kept: TreeNode[] = []
  for (const node of tree) {
    const result = filter(node)
    if (result)
      kept.push(result)
  }
  return { tree: kept, expanded }
}

/**
 * A sort key between `a` and `b` (null = the start or the end). When the two
 * are equal or out of order (old data where every key is "a0"), the key goes
 * right after `a`, which is as close as a key can get without renumbering.
 */
export function keyBetween(a: string | null, b: string | null): string {
  if (a !== null && b !== null && a >= b)
    return generateKeyBetween(a, null)
  return generateKeyBetween(a, b)
}

/** `count` sort keys in order between `a` and `b` (for imports and duplicates). */
export function keysBetween(a: string | null, b: string | null, count: number): string[] {
  if (a !== null && b !== null && a >= b)
    return generateNKeysBetween(a, null, count)
  return generateNKeysBetween(a, b, count)
}

/** The sort key that puts an item at `index` among siblings whose keys are `sortedKeys` (drop targets). */
export function keyForIndex(sortedKeys: readonly string[], index: number): string {
  const before = index > 0 ? sortedKeys[index - 1] ?? null : null
  const after = index < sortedKeys.length ? sortedKeys[index] : null
  return keyBetween(before, after)
}

/** Where each item sits, for move checks. */
export type TreeIndex = ReadonlyMap<string, { kind: TreeNodeKind, parentId: string | null }>

/** Indexes the tree's entities by id. */
export function indexEntities(entities: TreeEntities): TreeIndex {
  const index = new Map<string, { kind: TreeNodeKind, parentId: string | null }>()
  for (const collection of entities.collections)
    index.set(collection.id, { kind: 'collection', parentId: null })
  for (const folder of entities.folders)
    index.set(folder.id, { kind: 'folder', parentId: folder.parentId })
  for (const request of entities.requests)
    index.set(request.id, { kind: 'request', parentId: request.parentId })
  return index
}

/** True when `nodeId` sits somewhere inside `ancestorId`. */
export function isDescendant(index: TreeIndex, nodeId: string, ancestorId: string): boolean {
  let current = index.get(nodeId)?.parentId ?? null
  const seen = new Set<string>()
  while (current !== null && !seen.has(current)) {
    if (current === ancestorId)
      return true
    seen.add(current)
    current = index.get(current)?.parentId ?? null
  }
  return false
}

/** Why an item cannot be dropped into a collection or folder, in words, or null when it can. */
export function moveProblem(index: TreeIndex, itemId: string, targetParentId: string): string | null {
  const item = index.get(itemId)
  const target = index.get(targetParentId)
  if (!item || !target)
    return 'This item no longer exists; it may have been deleted on another device.'
  if (item.kind === 'collection')
    return 'A collection cannot go inside another collection or a folder.'
  if (target.kind === 'request')
    return 'Items can only go into a collection or a folder, not into a request.'
  if (item.kind === 'folder' && (itemId === targetParentId || isDescendant(index, targetParentId, itemId)))
    return 'A folder cannot go inside itself or one of its own folders.'
  return null
}

/** True when the item may be moved into `targetParentId`. */
export function canMove(index: TreeIndex, itemId: string, targetParentId: string): boolean {
  return moveProblem(index, itemId, targetParentId) === null
}

/** Everything a duplicate may need to copy. */
export interface TreeContent {
  collections: readonly Collection[]
  folders: readonly Folder[]
  requests: readonly Request[]
  examples: readonly Example[]
}

export interface ClonedContent {
  collections: Collection[]
  folders: Folder[]
  requests: Request[]
  examples: Example[]
}

export interface CloneOptions {
  /** Stamped as createdAt/updatedAt of the copies; their originals' when absent. */
  now?: number
  updatedBy?: string
}

/**
 * Copies a collection, folder or request with everything in it (folders,
 * requests, saved examples), giving each copy a new id and pointing parents
 * at the copies. The copied root is named "… Copy" and sorts right after
 * the original.
 */
export function cloneSubtree(rootKind: TreeNodeKind, rootId: string, entities: TreeContent, newId: () => string, options: CloneOptions = {}): ClonedContent {
  const result: ClonedContent = { collections: [], folders: [], requests: [], examples: [] }
  const ids = new Map<string, string>()
  const remap = (id: string): string => ids.get(id) ?? id
  const stamp = <T extends { createdAt: number, updatedAt: number, updatedBy: string }>(entity: T): T => ({
    ...entity,
    createdAt: options.now ?? entity.createdAt,
    updatedAt: options.now ?? entity.updatedAt,
    updatedBy: options.updatedBy ?? entity.updatedBy,
  })

  // The copy follows the tree as shown: a folder that breaks a cycle sits in its collection.
  const inCycle = foldersInCycles(entities.folders)
  const parentOf = (folder: Folder): string => inCycle.has(folder.id) ? folder.collectionId : folder.parentId
  const foldersByParent = groupBy(entities.folders, parentOf)
  const requestsByParent = groupBy(entities.requests, request => request.parentId)
  const examplesByRequest = groupBy(entities.examples, example => example.requestId)

  const copyRequest = (request: Request): void => {
    ids.set(request.id, newId())
    result.requests.push(stamp({ ...structuredClone(request), id: remap(request.id), parentId: remap(request.parentId), collectionId: remap(request.collectionId) }))
    for (const example of examplesByRequest.get(request.id) ?? []) {
      ids.set(example.id, newId())
      result.examples.push(stamp({ ...structuredClone(example), id: remap(example.id), requestId: remap(example.requestId) }))
    }
  }
  // Concurrent moves on two devices can merge into a folder cycle (A in B, B in A);
  // each folder is copied once so such a tree still duplicates instead of recursing forever.
  const copied = new Set<string>()
  const copyChildren = (parentId: string): void => {
    for (const folder of foldersByParent.get(parentId) ?? []) {
      if (copied.has(folder.id))
        continue
      copied.add(folder.id)
      ids.set(folder.id, newId())
      result.folders.push(stamp({ ...structuredClone(folder), id: remap(folder.id), parentId: remap(parentOf(folder)), collectionId: remap(folder.collectionId) }))
      copyChildren(folder.id)
    }
    for (const request of requestsByParent.get(parentId) ?? [])
      copyRequest(request)
  }

  if (rootKind === 'collection') {
    const root = entities.collections.find(collection => collection.id === rootId)
    if (!root)
      return result
    ids.set(root.id, newId())
    const sortKey = keyAfter(root.sortKey, entities.collections.map(collection => collection.sortKey))
    result.collections.push(stamp({ ...structuredClone(root), id: remap(root.id), name: `${root.name} Copy`, sortKey }))
    copyChildren(root.id)
    return result
  }

  const root = rootKind === 'folder'
    ? entities.folders.find(folder => folder.id === rootId)
    : entities.requests.find(request => request.id === rootId)
  if (!root)
    return result
  const siblingKeys = [...foldersByParent.get(root.parentId) ?? [], ...requestsByParent.get(root.parentId) ?? []].map(sibling => sibling.sortKey)
  const sortKey = keyAfter(root.sortKey, siblingKeys)
  if (rootKind === 'folder') {
    ids.set(root.id, newId())
    result.folders.push(stamp({ ...structuredClone(root as Folder), id: remap(root.id), name: `${root.name} Copy`, sortKey }))
    copyChildren(root.id)
  }
  else {
    copyRequest(root as Request)
    result.requests[0] = { ...result.requests[0], name: `${root.name} Copy`, sortKey }
  }
  return result
}

/** A key just after `key` and before the next larger sibling key. */
function keyAfter(key: string, siblingKeys: readonly string[]): string {
  let next: string | null = null
  for (const candidate of siblingKeys) {
    if (candidate > key && (next === null || candidate < next))
      next = candidate
  }
  return keyBetween(key, next)
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const key = keyOf(item)
    const group = groups.get(key)
    if (group)
      group.push(item)
    else
      groups.set(key, [item])
  }
  return groups
}
