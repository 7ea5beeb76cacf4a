/**
 * Workspaces on this device: the list, the active one and its open document
 * (`handle`, used by every store that writes), creating, renaming, deleting
 * and switching. The Scratch Pad exists from the first start. Also reports
 * stored records that were set aside because they could not be read.
 */
import type { PigeonDb } from '../db/schema'
import type { Workspace } from '../domain/model'
import type { HistoryHandle } from '../sync/historyDocs'
import type { WorkspaceHandle } from '../sync/workspaceDocs'
import { defineStore } from 'pinia'
import { computed, nextTick, ref, shallowRef } from 'vue'
import { useObservable } from '../composables/useObservable'
import { observe } from '../db/live'
import { getSetting, setSetting } from '../db/local'
import { listQuarantine, listWorkspaces, type QuarantinedRecord } from '../db/queries'
import { LOCAL_DB_NAME, openPigeonDb } from '../db/schema'
import { openHistoryDoc } from '../sync/historyDocs'
import { createWorkspace, deleteWorkspace, ensureScratchPad, openWorkspaceDoc, renameWorkspace, SCRATCH_PAD_ID } from '../sync/workspaceDocs'

let databaseName = LOCAL_DB_NAME

/**
 * Chooses the IndexedDB database the next workspaces store opens: the
 * signed-out `pigeon-local` by default, an account's database after sign-in,
 * or a throwaway one in tests.
 */
export function selectDatabase(name: string): void {
  databaseName = name
}

const FIRST_READ_WAIT_MS = 1500
const ACTIVE_WORKSPACE_SETTING = 'activeWorkspaceId'
const DISMISSED_QUARANTINE_SETTING = 'dismissedQuarantineIds'

export const useWorkspacesStore = defineStore('workspaces', () => {
  const db = shallowRef<PigeonDb>(openPigeonDb(databaseName))
  const activeWorkspaceId = ref<string | null>(null)
  const handle = shallowRef<WorkspaceHandle | null>(null)
  const historyHandle = shallowRef<HistoryHandle | null>(null)
  const dismissedQuarantineIds = ref<string[]>([])
  let opening: Promise<void> = Promise.resolve()
  const firstReads = new Set<Promise<void>>()

  const workspaces = useObservable(() => observe(() => listWorkspaces(db.value)), [] as Workspace[])
  const activeWorkspace = computed(() => workspaces.value.find(w => w.id === activeWorkspaceId.value) ?? null)
  /** The Scratch Pad stays: it can be emptied and renamed, not deleted. */
  const isScratchPad = computed(() => activeWorkspaceId.value === SCRATCH_PAD_ID)

  const quarantine = useObservable(
    () => activeWorkspaceId.value ? observe(() => listQuarantine(db.value, activeWorkspaceId.value!)) : null,
    [] as QuarantinedRecord[],
  )
  const unseenQuarantine = computed(() => quarantine.value.filter(record => !dismissedQuarantineIds.value.includes(record.id)))

  /** Opens a workspace's document and makes it the active one (remembered on this device). */
  function switchTo(workspaceId: string): Promise<void> {
    if (workspaceId === activeWorkspaceId.value && handle.value)
      return Promise.resolve()
    opening = open(workspaceId)
    return opening
  }

  async function open(workspaceId: string): Promise<void> {
    const previous = [handle.value, historyHandle.value]
    // The sidebar reads the Dexie projection, so it can show the workspace
    // while its document is still loading; writes wait for `handle`.
    handle.value = null
    historyHandle.value = null
    activeWorkspaceId.value = workspaceId
    performance.mark('pigeon:workspace-selected')
    await firstReadsDone()
    const next = openWorkspaceDoc(db.value, workspaceId)
    const nextHistory = openHistoryDoc(db.value, workspaceId)
    await Promise.all([next.whenLoaded, nextHistory.whenLoaded])
    performance.mark('pigeon:workspace-opened')
    if (activeWorkspaceId.value === workspaceId) {
      handle.value = next
      historyHandle.value = nextHistory
    }
    else {
      // Another switch happened meanwhile: this one's documents are not needed.
      await Promise.all([next.close(), nextHistory.close()])
    }
    await setSetting(db.value, ACTIVE_WORKSPACE_SETTING, workspaceId)
    await Promise.all(previous.map(h => h?.close()))
  }

  /**
   * Lets a store that shows the workspace say when its first read arrived.
   * Loading the document is heavy on the main thread, so it waits for these
   * reads of the projection (at most FIRST_READ_WAIT_MS): the sidebar shows
   * first, as the design intends.
   */
  function firstReadPending(read: Promise<void>): void {
    firstReads.add(read)
    void read.finally(() => firstReads.delete(read))
  }

  async function firstReadsDone(): Promise<void> {
    await nextTick() // components of the new workspace mount and start reading
    if (firstReads.size)
      await Promise.race([Promise.allSettled([...firstReads]), new Promise(resolve => setTimeout(resolve, FIRST_READ_WAIT_MS))])
  }

  /** The active workspace's open document, once it has loaded (writes wait for it). */
  async function whenOpen(kind: 'workspace' | 'history' = 'workspace'): Promise<WorkspaceHandle> {
    await opening
    const open = kind === 'workspace' ? handle.value : historyHandle.value
    if (!open)
      throw new Error('The workspace is still opening; try again in a moment.')
    return open
  }

  /** Creates a local workspace and returns its id (it does not switch to it). */
  async function create(name: string): Promise<string> {
    const workspace = await createWorkspace(db.value, name)
    return workspace.id
  }

  /** Renames a workspace. */
  async function rename(workspaceId: string, name: string): Promise<void> {
    await renameWorkspace(db.value, workspaceId, name)
  }

  /** Deletes a workspace from this device; when it is the active one, the Scratch Pad opens instead. */
  async function remove(workspaceId: string): Promise<void> {
    if (workspaceId === SCRATCH_PAD_ID)
      throw new Error('The Scratch Pad cannot be deleted; delete its collections instead if you want it empty.')
    if (workspaceId === activeWorkspaceId.value)
      await switchTo(SCRATCH_PAD_ID)
    await deleteWorkspace(db.value, workspaceId)
  }

  /** Hides the notice about set-aside records until new ones appear. */
  async function dismissQuarantine(): Promise<void> {
    const ids = [...new Set([...dismissedQuarantineIds.value, ...quarantine.value.map(record => record.id)])]
    dismissedQuarantineIds.value = ids
    // A plain array: IndexedDB cannot store Vue's reactive proxy.
    await setSetting(db.value, DISMISSED_QUARANTINE_SETTING, ids)
  }

  /** Resolves once the Scratch Pad exists and the last used workspace is open. */
  const ready: Promise<void> = (async () => {
    const [scratchPad, dismissed, remembered, known] = await Promise.all([
      ensureScratchPad(db.value),
      getSetting<string[]>(db.value, DISMISSED_QUARANTINE_SETTING, []),
      getSetting<string | null>(db.value, ACTIVE_WORKSPACE_SETTING, null),
      listWorkspaces(db.value),
    ])
    dismissedQuarantineIds.value = dismissed
    const stillThere = remembered && known.some(w => w.id === remembered)
    await switchTo(stillThere ? remembered : scratchPad.id)
  })()

  return {
    db,
    workspaces,
    activeWorkspaceId,
    activeWorkspace,
    isScratchPad,
    handle,
    historyHandle,
    quarantine,
    unseenQuarantine,
    ready,
    switchTo,
    whenOpen,
    firstReadPending,
    create,
    rename,
    remove,
    dismissQuarantine,
  }
})
