/**
 * What "Move Scratch Pad items into a workspace…" writes: copies of the
 * chosen collections (with their folders, requests and saved examples),
 * environments and header presets, each with a new id, ready for one
 * import. Pure.
 */
import type { Collection, Environment, Example, Folder, HeaderPreset, Request } from './model'
import { cloneSubtree } from './tree'

export interface CopyableContent {
  collections: readonly Collection[]
  folders: readonly Folder[]
  requests: readonly Request[]
  examples: readonly Example[]
  environments: readonly Environment[]
  presets: readonly HeaderPreset[]
}

export interface CopyChoice {
  collectionIds: readonly string[]
  environmentIds: readonly string[]
  presetIds: readonly string[]
}

export interface CopiedItems {
  collections: Collection[]
  folders: Folder[]
  requests: Request[]
  examples: Example[]
  environments: Environment[]
  presets: HeaderPreset[]
}

/**
 * Copies of the chosen items with new ids. Copied collections keep their
 * names (unlike "Duplicate", which adds "Copy") and get no sort key, so the
 * import places them after what the target workspace already has.
 */
export function copyScratchPadItems(content: CopyableContent, choice: CopyChoice, newId: () => string, options: { now: number, updatedBy: string }): CopiedItems {
  const copied: CopiedItems = { collections: [], folders: [], requests: [], examples: [], environments: [], presets: [] }
  for (const collectionId of choice.collectionIds) {
    const original = content.collections.find(collection => collection.id === collectionId)
    if (!original)
      continue
    const clone = cloneSubtree('collection', collectionId, content, newId, options)
    const [root] = clone.collections
    const { sortKey: _sortKey, ...withoutSortKey } = root
    copied.collections.push({ ...withoutSortKey, name: original.name } as Collection)
    copied.folders.push(...clone.folders)
    copied.requests.push(...clone.requests)
    copied.examples.push(...clone.examples)
  }
  const stamp = { createdAt: options.now, updatedAt: options.now, updatedBy: options.updatedBy }
  for (const environment of content.environments.filter(each => choice.environmentIds.includes(each.id))) {
    // Shared values travel with the environment; current values are this device's own and stay behind.
    const { sortKey: _sortKey, ...rest } = environment
    copied.environments.push({ ...structuredClone(rest), ...stamp, id: newId() } as Environment)
  }
  for (const preset of content.presets.filter(each => choice.presetIds.includes(each.id)))
    copied.presets.push({ ...structuredClone(preset), ...stamp, id: newId() })
  return copied
}

/** How many items a choice copies, counting each collection, environment and preset once. */
export function countChosen(choice: CopyChoice): number {
  return choice.collectionIds.length + choice.environmentIds.length + choice.presetIds.length
}

/** The stored files (form-data parts, binary bodies) the copied requests point at: their bytes stay on this device and are copied with them. */
export function fileIdsOf(requests: readonly Request[]): string[] {
  const ids = new Set<string>()
  for (const request of requests) {
    if (request.body.binary)
      ids.add(request.body.binary.blobId)
    for (const row of request.body.formdata) {
      if (row.file)
        ids.add(row.file.blobId)
    }
  }
  return [...ids]
}
