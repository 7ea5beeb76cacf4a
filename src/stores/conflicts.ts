/**
 * Conflicts of the active workspace (docs/sync.md, "Conflicts"): fields
 * changed on this device while unsynced and elsewhere at the same time, an
 * item moved to two places, an entity deleted elsewhere while changed here.
 * The list is live from Dexie (the tab holding the connection records them),
 * so every tab shows it. Keeping a value is a normal edit that syncs; then
 * the conflict is forgotten. Conflicts whose entity or row was deleted since
 * are forgotten too: there is nothing left to choose.
 */
import type { ConflictInPlace } from '../db/conflicts'
import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import { useObservable } from '../composables/useObservable'
import { deleteConflicts, listConflicts } from '../db/conflicts'
import { observe } from '../db/live'
import { keepConflict } from '../sync/conflicts/resolve'
import { useWorkspacesStore } from './workspaces'

export type { ConflictInPlace }
export type ConflictSide = 'mine' | 'theirs'

export const useConflictsStore = defineStore('conflicts', () => {
  const workspaces = useWorkspacesStore()

  const read = useObservable(
    () => {
      const db = workspaces.db
      const workspaceId = workspaces.activeWorkspaceId
      return workspaceId ? observe(() => listConflicts(db, workspaceId)) : null
    },
    null as Awaited<ReturnType<typeof listConflicts>> | null,
  )
  const conflicts = computed<ConflictInPlace[]>(() => read.value?.standing ?? [])
  const count = computed(() => conflicts.value.length)

  watch(read, (value) => {
    if (value?.gone.length)
      void deleteConflicts(workspaces.db, value.gone).catch((error: unknown) => console.error(error))
  })

  /** What the last choice did that the person should know (where a restored item went), in sentences. */
  const notes = ref<string[]>([])

  /** Writes the chosen side of each conflict (normal edits), then forgets them. */
  async function keep(ids: readonly string[], side: ConflictSide): Promise<void> {
    const handle = await workspaces.whenOpen()
    const chosen = conflicts.value.filter(conflict => ids.includes(conflict.id))
    const said: string[] = []
    for (const conflict of chosen) {
      const { note } = keepConflict(handle, conflict, side)
      if (note)
        said.push(note)
    }
    notes.value = said
    await deleteConflicts(workspaces.db, chosen.map(conflict => conflict.id))
  }

  /** Forgets the notes once the person has seen them (the panel closed). */
  function clearNotes(): void {
    notes.value = []
  }

  /** Keeps this device's value of one conflict. */
  function keepMine(id: string): Promise<void> {
    return keep([id], 'mine')
  }

  /** Keeps the other device's value of one conflict. */
  function keepTheirs(id: string): Promise<void> {
    return keep([id], 'theirs')
  }

  /** Keeps one side for every conflict of the workspace. */
  function keepAll(side: ConflictSide): Promise<void> {
    return keep(conflicts.value.map(conflict => conflict.id), side)
  }

  return { conflicts, count, notes, clearNotes, keepMine, keepTheirs, keepAll }
})
