/** Header presets of the active workspace: named sets of headers to add to a request in one action. */
import type { HeaderPreset, KeyValueRow } from '../domain/model'
import type { EntityPatch } from '../sync/mutations'
import { defineStore } from 'pinia'
import { computed } from 'vue'
import { useObservable } from '../composables/useObservable'
import { observe } from '../db/live'
import { listPresets } from '../db/queries'
import { createEntity, deleteEntity, updateEntity } from '../sync/mutations'
import { useWorkspacesStore } from './workspaces'

export const usePresetsStore = defineStore('presets', () => {
  const workspaces = useWorkspacesStore()

  const list = useObservable(
    () => workspaces.activeWorkspaceId ? observe(() => listPresets(workspaces.db, workspaces.activeWorkspaceId!)) : null,
    null as HeaderPreset[] | null,
  )
  const presets = computed(() => list.value ?? [])
  const loaded = computed(() => list.value !== null)

  /** The open document to write to (waits while the workspace is opening). */
  function handle() {
    return workspaces.whenOpen()
  }

  /** Creates a preset and returns its id. */
  async function create(name = 'New Preset', headers: KeyValueRow[] = []): Promise<string> {
    return createEntity(await handle(), 'presets', { name, headers }).id
  }

  /** Changes a preset's name or headers. */
  async function update(id: string, patch: EntityPatch<'presets'>): Promise<void> {
    updateEntity(await handle(), 'presets', id, patch)
  }

  /** Deletes a preset (requests keep the headers they got from it). */
  async function remove(id: string): Promise<void> {
    deleteEntity(await handle(), 'presets', id)
  }

  return { presets, loaded, create, update, remove }
})
