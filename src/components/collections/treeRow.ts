/** What the sidebar tree shows per visible row (flattened, in order). */
export type TreeNodeKind = 'collection' | 'folder' | 'request'

export interface TreeRow {
  id: string
  kind: TreeNodeKind
  name: string
  /** 1 for collections, their children 2, and so on (aria-level). */
  level: number
  /** The collection or folder it sits in; null for a collection. */
  parentId: string | null
  collectionId: string
  method: string
  url: string
  hasChildren: boolean
  expanded: boolean
  /** Position among its siblings, 1-based, and how many siblings there are (aria-posinset/setsize). */
  position: number
  siblings: number
}

/** Where a dragged row lands relative to the row under the pointer. */
export type DropZone = 'before' | 'after' | 'inside'
