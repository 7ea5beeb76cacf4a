/**
 * Which Runner dialog is open, apart from the runner itself (./runner.ts):
 * the tree menu and the sidebar need only this, so the runner's code loads
 * with the dialog, on first use, rather than with the app.
 */
import type { RunSettings } from './runner'
import { defineStore } from 'pinia'
import { shallowRef, watch } from 'vue'
import { useWorkspacesStore } from './workspaces'

/** What the Runner dialog shows: a run to set up (maybe prefilled by "Run again"), or the run in progress. */
export type RunnerDialog =
  | { kind: 'setup', targetId: string, prefill?: Partial<Omit<RunSettings, 'targetId'>> }
  | { kind: 'current' }

export const useRunnerDialogStore = defineStore('runnerDialog', () => {
  const dialog = shallowRef<RunnerDialog | null>(null)

  // A dialog set up in one workspace means nothing in the next.
  watch(() => useWorkspacesStore().activeWorkspaceId, () => {
    dialog.value = null
  })

  /** Opens the Runner for a collection or folder. */
  function openSetup(targetId: string, prefill?: Partial<Omit<RunSettings, 'targetId'>>): void {
    dialog.value = prefill ? { kind: 'setup', targetId, prefill } : { kind: 'setup', targetId }
  }

  /** Opens the Runner on the run in progress. */
  function openCurrent(): void {
    dialog.value = { kind: 'current' }
  }

  function close(): void {
    dialog.value = null
  }

  return { dialog, openSetup, openCurrent, close }
})
