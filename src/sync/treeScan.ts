/**
 * Reads of the tree's shape straight from a workspace Y.Doc (ids, parents,
 * sort keys) without parsing whole entities: what cascades, moves and new
 * sort keys need, cheap enough for 10,000 requests.
 */
import type * as Y from 'yjs'
import type { TreeIndex, TreeNodeKind } from '../domain/tree'
import { type DocKind, kindMap } from './docSchema'

function field(ymap: unknown, name: string): string | undefined {
  const value = (ymap as Y.Map<unknown>).get?.(name)
  return typeof value === 'string' ? value : undefined
}

/** Where every collection, folder and request sits, for the domain's move checks. */
export function treeIndexOf(doc: Y.Doc): TreeIndex {
  const index = new Map<string, { kind: TreeNodeKind, parentId: string | null }>()
  kindMap(doc, 'collections').forEach((_ymap, id) => index.set(id, { kind: 'collection', parentId: null }))
  kindMap(doc, 'folders').forEach((ymap, id) => index.set(id, { kind: 'folder', parentId: field(ymap, 'parentId') ?? null }))
  kindMap(doc, 'requests').forEach((ymap, id) => index.set(id, { kind: 'request', parentId: field(ymap, 'parentId') ?? null }))
  return index
}

/** Ids of entities of `kind` whose `fieldName` is one of `values`. */
export function idsWhere(doc: Y.Doc, kind: DocKind, fieldName: string, values: ReadonlySet<string>): string[] {
  const ids: string[] = []
  kindMap(doc, kind).forEach((ymap, id) => {
    const value = field(ymap, fieldName)
    if (value !== undefined && values.has(value))
      ids.push(id)
  })
  return ids
}

/** Folders and requests inside a collection or folder, at any depth. */
export function subtreeOf(doc: Y.Doc, rootId: string): { folders: string[], requests: string[] } {
  const childrenOf = new Map<string, { folders: string[], requests: string[] }>()
  const entry = (parentId: string) => {
    let children = childrenOf.get(parentId)
    if (!children) {
      children = { folders: [], requests: [] }
      childrenOf.set(parentId, children)
    }
    return children
  }
  kindMap(doc, 'folders').forEach((ymap, id) => entry(field(ymap, 'parentId') ?? '').folders.push(id))
  kindMap(doc, 'requests').forEach((ymap, id) => entry(field(ymap, 'parentId') ?? '').requests.push(id))
  const result = { folders: [] as string[], requests: [] as string[] }
  const seen = new Set<string>([rootId])
  const queue = [rootId]
  while (queue.length) {
    const children = childrenOf.get(queue.shift() as string)
    if (!children)
      continue
    result.requests.push(...children.requests)
    for (const folderId of children.folders) {
      if (seen.has(folderId))
        continue
      seen.add(folderId)
      result.folders.push(folderId)
      queue.push(folderId)
    }
  }
  return result
}

/** The largest sort key among the children of `parentId` (folders and requests), or null. */
export function lastChildKey(doc: Y.Doc, parentId: string): string | null {
  let last: string | null = null
  for (const kind of ['folders', 'requests'] as const) {
    kindMap(doc, kind).forEach((ymap) => {
      if (field(ymap, 'parentId') !== parentId)
        return
      const key = field(ymap, 'sortKey')
      if (key !== undefined && (last === null || key > last))
        last = key
    })
  }
  return last
}

/** The largest sort key of a top-level kind (collections, environments), or null. */
export function lastKeyOf(doc: Y.Doc, kind: DocKind): string | null {
  let last: string | null = null
  kindMap(doc, kind).forEach((ymap) => {
    const key = field(ymap, 'sortKey')
    if (key !== undefined && (last === null || key > last))
      last = key
  })
  return last
}
