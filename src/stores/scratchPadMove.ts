/**
 * "Move Scratch Pad items into a workspace…": while signed in, lists what
 * the signed-out Scratch Pad holds and copies the chosen collections,
 * environments and header presets into one of the account's workspaces in
 * one import. It copies (the issue says "copies"): the Scratch Pad keeps
 * its items, so signing out later still shows them.
 */
import type { ScratchPadContent } from '../db/scratchPad'
import type { CopyChoice } from '../domain/scratchPadCopy'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { copyScratchPadFiles, readScratchPad } from '../db/scratchPad'
import { newId } from '../domain/ids'
import { copyScratchPadItems, countChosen, fileIdsOf } from '../domain/scratchPadCopy'
import { importEntities } from '../sync/mutations'
import { openWorkspaceDoc, SCRATCH_PAD_ID } from '../sync/workspaceDocs'
import { useSyncStore } from './sync'
import { useWorkspacesStore } from './workspaces'

function counted(count: number, one: string, many: string): string | null {
  return count === 0 ? null : `${count} ${count === 1 ? one : many}`
}

/** "2 collections, 1 environment and 3 header presets". */
export function describeCopied(choice: CopyChoice): string {
  const parts = [
    counted(choice.collectionIds.length, 'collection', 'collections'),
    counted(choice.environmentIds.length, 'environment', 'environments'),
    counted(choice.presetIds.length, 'header preset', 'header presets'),
  ].filter((part): part is string => part !== null)
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0] ?? 'nothing'
}

export const useScratchPadMoveStore = defineStore('scratchPadMove', () => {
  const workspaces = useWorkspacesStore()
  const sync = useSyncStore()

  /** What the Scratch Pad holds, read when the dialog opens; null before that. */
  const content = shallowRef<ScratchPadContent | null>(null)
  const loading = ref(false)

  /** The account's workspaces this person can add to (not those they may only read). */
  const targets = computed(() => workspaces.workspaces.filter((workspace) => {
    if (workspace.kind === 'local')
      return false
    const listed = sync.serverWorkspaces.find(w => w.id === workspace.id)
    return listed?.role !== 'viewer'
  }))

  /** Reads the Scratch Pad from the signed-out database (nothing there changes). */
  async function load(): Promise<ScratchPadContent> {
    loading.value = true
    try {
      content.value = await readScratchPad(SCRATCH_PAD_ID)
      return content.value
    }
    finally {
      loading.value = false
    }
  }

  /**
   * Copies the chosen items into `targetWorkspaceId` with new ids, in one
   * import, then opens that workspace so they sync; returns what was copied
   * in words.
   */
  async function copy(choice: CopyChoice, targetWorkspaceId: string): Promise<string> {
    if (!workspaces.account)
      throw new Error('Sign in first: Scratch Pad items are copied into one of your account\'s workspaces.')
    if (countChosen(choice) === 0)
      throw new Error('Choose at least one collection, environment or header preset to copy.')
    const target = targets.value.find(workspace => workspace.id === targetWorkspaceId)
    if (!target)
      throw new Error('You cannot add to that workspace; choose another one.')
    const source = content.value ?? await load()
    const items = copyScratchPadItems(source, choice, newId, { now: Date.now(), updatedBy: workspaces.userId })
    // The files first: a request that syncs here should find its file parts on this device.
    await copyScratchPadFiles(workspaces.db, fileIdsOf(items.requests))
    const handle = openWorkspaceDoc(workspaces.db, target.id, { userId: workspaces.userId })
    try {
      await handle.whenLoaded
      importEntities(handle, items)
      await handle.flushed()
    }
    finally {
      await handle.close()
    }
    await workspaces.switchTo(target.id)
    return `Copied ${describeCopied(choice)} into “${target.name}”. The Scratch Pad keeps its own.`
  }

  return { content, loading, targets, load, copy }
})
