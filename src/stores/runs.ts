/**
 * Collection runs of the active workspace (its runs document, shared by its
 * members; the latest 100 kept): the list for the runner's history, and
 * saving a finished run, deleting one or clearing them. Signed out they stay
 * on this device; signed in they sync like everything else.
 */
import type { CollectionRun } from '../domain/model'
import { defineStore } from 'pinia'
import { computed } from 'vue'
import { useObservable } from '../composables/useObservable'
import { observe } from '../db/live'
import { listRuns } from '../db/queries'
import { RUNS_LIMIT } from '../domain/model'
import { type RunInput, addRun, clearRuns as clearRunsIn, deleteRun as deleteRunIn } from '../sync/runDocs'
import { useWorkspacesStore } from './workspaces'

export type { RunInput } from '../sync/runDocs'

export const useRunsStore = defineStore('runs', () => {
  const workspaces = useWorkspacesStore()

  const list = useObservable(
    () => workspaces.activeWorkspaceId ? observe(() => listRuns(workspaces.db, workspaces.activeWorkspaceId!, RUNS_LIMIT)) : null,
    null as CollectionRun[] | null,
  )
  /** The active workspace's runs, newest first. */
  const runs = computed(() => list.value ?? [])
  /** False until the first read of the active workspace's runs arrived. */
  const loaded = computed(() => list.value !== null)

  /** Runs of one collection (whole or one of its folders), newest first. */
  function runsOf(collectionId: string): CollectionRun[] {
    return runs.value.filter(run => run.collectionId === collectionId)
  }

  function runById(id: string): CollectionRun | undefined {
    return runs.value.find(run => run.id === id)
  }

  /** The open runs document to write to (waits while the workspace is opening). */
  function handle() {
    return workspaces.whenOpen('runs')
  }

  /** Keeps a finished run (the oldest beyond 100 runs or 50,000 results are dropped); throws a sentence when it is not a valid run. */
  async function saveRun(input: RunInput): Promise<CollectionRun> {
    return addRun(await handle(), input)
  }

  /** Deletes one run (nothing when it is already gone). */
  async function deleteRun(id: string): Promise<void> {
    deleteRunIn(await handle(), id)
  }

  /** Deletes every run of the workspace, or only those of `collectionId`. */
  async function clearRuns(collectionId?: string): Promise<void> {
    clearRunsIn(await handle(), collectionId)
  }

  return { runs, loaded, runsOf, runById, saveRun, deleteRun, clearRuns }
})
