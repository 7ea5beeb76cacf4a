/**
 * Workspaces on this device: the list, the active one and its open document
 * (`handle`, used by every store that writes), creating, renaming, deleting
 * and switching. The Scratch Pad exists from the first start. Also reports
 * stored records that were set aside because they could not be read.
 * Signing in or out opens another database in place (`openDatabase`): the
 * account's own, or the signed-out one with the Scratch Pad.
 */
import type { PigeonDb } from '../db/schema'
import type { Workspace } from '../domain/model'
import type { HistoryHandle } from '../sync/historyDocs'
import type { RunsHandle } from '../sync/runDocs'
import type { WorkspaceHandle } from '../sync/workspaceDocs'
import { defineStore } from 'pinia'
import { computed, nextTick, ref, shallowRef } from 'vue'
import { useObservable } from '../composables/useObservable'
import { observe } from '../db/live'
import { getSetting, setSetting } from '../db/local'
import { listQuarantine, listWorkspaces, type QuarantinedRecord } from '../db/queries'
import { LOCAL_DB_NAME, openPigeonDb } from '../db/schema'
import { openHistoryDoc } from '../sync/historyDocs'
import { openRunsDoc } from '../sync/runDocs'
import { createWorkspace, deleteWorkspace, ensureScratchPad, openWorkspaceDoc, renameWorkspace, SCRATCH_PAD_ID } from '../sync/workspaceDocs'

let databaseName = LOCAL_DB_NAME

/** Who the open database belongs to, for workspaces that sync; null for the signed-out database. */
export interface WorkspacesAccount {
  userId: string
  /** Creates a new workspace on the server too (with the id made here), so it syncs. */
  publish: (workspace: Workspace) => Promise<void>
  /** Renames a workspace here and on the server (owners only; offline it is sent later). */
  rename?: (workspaceId: string, name: string) => Promise<void>
  /** Deletes a workspace on the server (owners) or leaves it (members) before it goes from this device. */
  remove?: (workspaceId: string) => Promise<void>
}

export interface OpenDatabaseOptions {
  account: WorkspacesAccount | null
  /** Runs on the new database before a workspace is chosen (e.g. registers the account's workspaces). */
  prepare?: (db: PigeonDb) => Promise<void>
  /** Opened when no remembered workspace is still there. */
  defaultWorkspaceId?: string
}

// One Dexie object per database name in this tab: documents are shared per Dexie object
// (src/sync/openHandles.ts), so a second object for the same database would mean two Y.Docs.
const openDatabases = new Map<string, PigeonDb>()

function databaseNamed(name: string): PigeonDb {
  let db = openDatabases.get(name)
  if (!db || (!db.isOpen() && db.hasBeenClosed())) {
    db = openPigeonDb(name)
    openDatabases.set(name, db)
  }
  return db
}

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
  const db = shallowRef<PigeonDb>(databaseNamed(databaseName))
  const account = shallowRef<WorkspacesAccount | null>(null)
  /** Who edits here: the account's user id, or 'local' signed out (history docs are per user). */
  const userId = computed(() => account.value?.userId ?? 'local')
  const activeWorkspaceId = ref<string | null>(null)
  const handle = shallowRef<WorkspaceHandle | null>(null)
  const historyHandle = shallowRef<HistoryHandle | null>(null)
  const runsHandle = shallowRef<RunsHandle | null>(null)
  const dismissedQuarantineIds = ref<string[]>([])
  let opening: Promise<void> = Promise.resolve()
  const firstReads = new Set<Promise<void>>()

  const workspaces = useObservable(() => {
    // Read here, not inside the live read, so opening another database starts a new read.
    const current = db.value
    return observe(() => listWorkspaces(current))
  }, [] as Workspace[])
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
    const previous = [handle.value, historyHandle.value, runsHandle.value]
    // The sidebar reads the Dexie projection, so it can show the workspace
    // while its document is still loading; writes wait for `handle`.
    handle.value = null
    historyHandle.value = null
    runsHandle.value = null
    activeWorkspaceId.value = workspaceId
    performance.mark('pigeon:workspace-selected')
    await firstReadsDone()
    const next = openWorkspaceDoc(db.value, workspaceId, { userId: userId.value })
    const nextHistory = openHistoryDoc(db.value, workspaceId, userId.value)
    const nextRuns = openRunsDoc(db.value, workspaceId, userId.value)
    await Promise.all([next.whenLoaded, nextHistory.whenLoaded, nextRuns.whenLoaded])
    performance.mark('pigeon:workspace-opened')
    if (activeWorkspaceId.value === workspaceId) {
      handle.value = next
      historyHandle.value = nextHistory
      runsHandle.value = nextRuns
    }
    else {
      // Another switch happened meanwhile: this one's documents are not needed.
      await Promise.all([next.close(), nextHistory.close(), nextRuns.close()])
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
  async function whenOpen(kind: 'workspace' | 'history' | 'runs' = 'workspace'): Promise<WorkspaceHandle> {
    await opening
    const open = { workspace: handle, history: historyHandle, runs: runsHandle }[kind].value
    if (!open)
      throw new Error('The workspace is still opening; try again in a moment.')
    return open
  }

  /**
   * Creates a workspace and returns its id (it does not switch to it).
   * Signed out it stays on this device; signed in it is a team workspace
   * made on the server too, so it syncs.
   */
  async function create(name: string): Promise<string> {
    const owner = account.value
    const workspace = await createWorkspace(db.value, name, owner ? 'team' : 'local')
    if (owner)
      await owner.publish(workspace)
    return workspace.id
  }

  /** Renames a workspace; signed in, on the server too, so the account's other devices list the new name. */
  async function rename(workspaceId: string, name: string): Promise<void> {
    if (account.value?.rename)
      await account.value.rename(workspaceId, name)
    else
      await renameWorkspace(db.value, workspaceId, name)
  }

  /** Deletes a workspace from this device; when it is the active one, the Scratch Pad (or the personal workspace) opens instead. */
  async function remove(workspaceId: string): Promise<void> {
    if (workspaceId === SCRATCH_PAD_ID)
      throw new Error('The Scratch Pad cannot be deleted; delete its collections instead if you want it empty.')
    const known = await listWorkspaces(db.value)
    if (known.find(w => w.id === workspaceId)?.kind === 'personal')
      throw new Error('Your personal workspace cannot be deleted; it goes only with your account.')
    await account.value?.remove?.(workspaceId)
    if (workspaceId === activeWorkspaceId.value) {
      // Signed in there is no Scratch Pad: the personal workspace takes its place.
      const fallback = known.find(w => w.id === SCRATCH_PAD_ID) ?? known.find(w => w.kind === 'personal') ?? known.find(w => w.id !== workspaceId)
      if (fallback)
        await switchTo(fallback.id)
    }
    await deleteWorkspace(db.value, workspaceId)
  }

  /** Hides the notice about set-aside records until new ones appear. */
  async function dismissQuarantine(): Promise<void> {
    const ids = [...new Set([...dismissedQuarantineIds.value, ...quarantine.value.map(record => record.id)])]
    dismissedQuarantineIds.value = ids
    // A plain array: IndexedDB cannot store Vue's reactive proxy.
    await setSetting(db.value, DISMISSED_QUARANTINE_SETTING, ids)
  }

  /** Picks the workspace to open in the current database: the remembered one, else the default, else any. */
  async function chooseWorkspace(defaultWorkspaceId: string | undefined): Promise<string | null> {
    const [dismissed, remembered, known] = await Promise.all([
      getSetting<string[]>(db.value, DISMISSED_QUARANTINE_SETTING, []),
      getSetting<string | null>(db.value, ACTIVE_WORKSPACE_SETTING, null),
      listWorkspaces(db.value),
    ])
    dismissedQuarantineIds.value = dismissed
    const candidates = [remembered, defaultWorkspaceId, SCRATCH_PAD_ID, known[0]?.id]
    return candidates.find(id => id && known.some(w => w.id === id)) ?? null
  }

  /** Opens the signed-out database's Scratch Pad, or the last used workspace. */
  async function openLocal(): Promise<void> {
    await ensureScratchPad(db.value)
    const chosen = await chooseWorkspace(SCRATCH_PAD_ID)
    await switchTo(chosen ?? SCRATCH_PAD_ID)
  }

  /**
   * Opens another database in place of this one (signing in or out): closes
   * the open documents, runs `prepare` on the new database, then opens the
   * remembered workspace or `defaultWorkspaceId`. Signed out (no account)
   * the Scratch Pad is there as always.
   */
  function openDatabase(name: string, options: OpenDatabaseOptions): Promise<void> {
    reopening = reopening.catch(() => undefined).then(() => reopen(name, options))
    return reopening
  }

  async function reopen(name: string, options: OpenDatabaseOptions): Promise<void> {
    await opening.catch(() => undefined)
    const previous = [handle.value, historyHandle.value, runsHandle.value]
    handle.value = null
    historyHandle.value = null
    runsHandle.value = null
    activeWorkspaceId.value = null
    await Promise.all(previous.map(h => h?.close()))
    db.value = databaseNamed(name)
    account.value = options.account
    await options.prepare?.(db.value)
    if (!options.account) {
      await openLocal()
      return
    }
    const chosen = await chooseWorkspace(options.defaultWorkspaceId)
    if (chosen)
      await switchTo(chosen)
  }

  /** Resolves once the Scratch Pad exists and the last used workspace is open. */
  const ready: Promise<void> = openLocal()
  // Another database opens only after the first start is done, and one at a time.
  let reopening: Promise<void> = ready.catch(() => undefined)

  return {
    db,
    databaseName: computed(() => db.value.name),
    account,
    userId,
    workspaces,
    activeWorkspaceId,
    activeWorkspace,
    isScratchPad,
    handle,
    historyHandle,
    runsHandle,
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
    openDatabase,
  }
})
