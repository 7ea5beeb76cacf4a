/**
 * Open tabs and their unsaved drafts. A tab edits a copy of a request (its
 * draft) and knows the version it started from (its base): the difference
 * is the unsaved-changes dot. Tabs and drafts are local to this device and
 * stored in IndexedDB, so unsaved edits survive a reload or a browser restart.
 */
import type { Example, FileRef, HistoryEntry, KeyValueRow, Request, RequestSnapshot } from '../domain/model'
import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import { newId } from '../domain/ids'
import { RequestSnapshot as RequestSnapshotSchema } from '../domain/model'
import { applyParamsToUrl, syncParamsFromUrl, syncPathVariables } from '../domain/url'
import type { PigeonDb } from '../db/schema'
import type { LiveSubscription } from '../db/live'
import { observe } from '../db/live'
import { deleteDraft, deleteResponse, loadDrafts, loadTabs, putBlob, saveDraft, saveTabs } from '../db/local'
import { getExample, getRequest } from '../db/queries'
import { useCollectionsStore } from './collections'
import { errorMessage, useNotificationsStore } from './notifications'
import { usePresetsStore } from './presets'
import { useWorkspacesStore } from './workspaces'

export type TabKind = 'request' | 'example'

export interface EditorTab {
  id: string
  kind: TabKind
  /** The saved request this tab edits (for an example tab: the example's request); null for a new one. */
  requestId: string | null
  exampleId: string | null
  /** Collection of the saved request, for collection variables and auth inheritance. */
  collectionId: string | null
  /** What the editor shows now. */
  draft: RequestSnapshot
  /** The version the draft started from: the saved request, or a blank one. */
  base: RequestSnapshot
  /** `updatedAt` of the saved request when the base was taken. */
  baseUpdatedAt: number
}

/** What the "Save changes?" prompt is waiting for, when one is open. */
export interface PendingClose {
  tabId: string
  resolve: (choice: CloseChoice) => void
}
export type CloseChoice = 'save' | 'discard' | 'cancel'

/** A blank request, as "+" opens it. */
export function blankSnapshot(): RequestSnapshot {
  return RequestSnapshotSchema.parse({ name: 'Untitled Request' })
}

/**
 * The editable part of a saved request, as a fresh copy, with its Params and
 * Path Variables rows matching its URL (imported requests may lack them).
 */
export function snapshotOf(request: Request | RequestSnapshot): RequestSnapshot {
  const snapshot = RequestSnapshotSchema.parse(plainCopy(request))
  snapshot.params = syncParamsFromUrl(snapshot.url, snapshot.params)
  snapshot.pathVariables = syncPathVariables(snapshot.url, snapshot.pathVariables)
  return snapshot
}

/** A deep copy without Vue proxies, as stored records need. */
function plainCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

/** True when two snapshots would save the same request. */
export function sameSnapshot(a: RequestSnapshot, b: RequestSnapshot): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

export const useTabsStore = defineStore('tabs', () => {
  const workspaces = useWorkspacesStore()
  const collections = useCollectionsStore()
  const presets = usePresetsStore()
  const notifications = useNotificationsStore()

  const tabs = ref<EditorTab[]>([])
  const activeTabId = ref<string | null>(null)
  /** The tab whose close waits for Save / Don't save / Cancel. */
  const pendingClose = ref<PendingClose | null>(null)
  /** The unsaved tab whose Save waits for a name and a place (the Save dialog). */
  const pendingSaveAs = ref<string | null>(null)
  const loaded = ref(false)
  const loadedWorkspace = ref<string | null>(null)
  /** Tabs closed since the last write, whose stored response can go. */
  const closedTabIds = new Set<string>()

  const activeTab = computed(() => tabs.value.find(tab => tab.id === activeTabId.value) ?? null)

  function tabById(tabId: string): EditorTab | undefined {
    return tabs.value.find(tab => tab.id === tabId)
  }

  // Computed once per change, however many places ask (tab strip, editor, persistence).
  const unsavedTabIds = computed(() => new Set(tabs.value
    .filter(tab => tab.kind === 'request' && !sameSnapshot(tab.draft, tab.base))
    .map(tab => tab.id)))

  /** True when the tab has edits that are not saved. Example tabs are read-only, never dirty. */
  function hasUnsavedChanges(tabId: string): boolean {
    return unsavedTabIds.value.has(tabId)
  }

  // ---- persistence -------------------------------------------------------

  function currentDb(): PigeonDb | null {
    return workspaces.db ?? null
  }

  let persistTimer: ReturnType<typeof setTimeout> | null = null
  let persisting: Promise<void> = Promise.resolve()
  let persistFailed = false
  /** What each stored draft holds (as JSON), so unchanged drafts are not written again. */
  const storedDrafts = new Map<string, string>()

  /** Writes tabs and drafts soon (typing writes once per pause, not per key). */
  function schedulePersist(): void {
    if (!loaded.value)
      return
    if (persistTimer)
      clearTimeout(persistTimer)
    persistTimer = setTimeout(() => void flush(), 250)
  }

  /** Writes tabs and drafts now; resolves when they are stored. */
  async function flush(): Promise<void> {
    if (persistTimer) {
      clearTimeout(persistTimer)
      persistTimer = null
    }
    const db = currentDb()
    const workspaceId = loadedWorkspace.value
    if (!loaded.value || !db || !workspaceId)
      return persisting
    const records = tabs.value.map((tab, position) => ({
      id: tab.id,
      workspaceId,
      position,
      kind: tab.kind,
      entityId: tab.kind === 'example' ? tab.exampleId : tab.requestId,
      title: tab.draft.name,
      pinned: false,
      active: tab.id === activeTabId.value,
    }))
    // A new tab always keeps its content as a draft; a saved one only while it has edits.
    const drafts = tabs.value
      .filter(tab => tab.kind === 'request' && (tab.requestId === null || hasUnsavedChanges(tab.id)))
      .map(tab => ({ tabId: tab.id, workspaceId, snapshot: plainCopy(tab.draft), baseUpdatedAt: tab.baseUpdatedAt, savedAt: 0 }))
    const closed = [...closedTabIds]
    closedTabIds.clear()
    persisting = persisting.then(async () => {
      await saveTabs(db, workspaceId, records)
      // Only drafts that changed since the last write are written again.
      for (const draft of drafts) {
        const text = JSON.stringify(draft.snapshot)
        if (storedDrafts.get(draft.tabId) === text)
          continue
        await saveDraft(db, draft)
        storedDrafts.set(draft.tabId, text)
      }
      const keep = new Set(drafts.map(draft => draft.tabId))
      for (const tabId of [...storedDrafts.keys()]) {
        if (!keep.has(tabId)) {
          await deleteDraft(db, tabId)
          storedDrafts.delete(tabId)
        }
      }
      for (const tabId of closed)
        await deleteResponse(db, tabId)
      persistFailed = false
    }).catch((error: unknown) => {
      // Said once per failure streak, not on every keystroke.
      if (!persistFailed)
        notifications.notify({ kind: 'error', message: `Your open tabs and unsaved edits could not be stored on this device: ${errorMessage(error)}` })
      persistFailed = true
    })
    return persisting
  }

  /** Restores the tabs of a workspace: saved tabs show their latest version unless they have a draft. */
  async function load(workspaceId: string): Promise<void> {
    loaded.value = false
    loadedWorkspace.value = workspaceId
    const db = currentDb()
    if (!db) {
      tabs.value = []
      activeTabId.value = null
      loaded.value = true
      return
    }
    const records = await loadTabs(db, workspaceId)
    const drafts = new Map((await loadDrafts(db, workspaceId)).map(draft => [draft.tabId, draft]))
    storedDrafts.clear()
    for (const draft of drafts.values())
      storedDrafts.set(draft.tabId, JSON.stringify(draft.snapshot))
    const restored: EditorTab[] = []
    let active: string | null = null
    for (const record of records) {
      const tab = await restoreTab(db, workspaceId, record.id, record.kind, record.entityId, drafts.get(record.id)?.snapshot ?? null)
      if (!tab)
        continue
      restored.push(tab)
      if (record.active)
        active = tab.id
    }
    if (loadedWorkspace.value !== workspaceId)
      return
    tabs.value = restored
    activeTabId.value = active ?? restored[0]?.id ?? null
    loaded.value = true
  }

  async function restoreTab(db: PigeonDb, workspaceId: string, id: string, kind: string, entityId: string | null, draft: RequestSnapshot | null): Promise<EditorTab | null> {
    if (kind === 'example') {
      const example = entityId ? await getExample(db, workspaceId, entityId) : null
      if (!example)
        return null
      const snapshot = snapshotOf({ ...example.request, name: example.name })
      return { id, kind: 'example', requestId: example.requestId, exampleId: example.id, collectionId: null, draft: snapshot, base: snapshotOf(snapshot), baseUpdatedAt: example.updatedAt }
    }
    if (kind !== 'request')
      return null
    const request = entityId ? await getRequest(db, workspaceId, entityId) : null
    if (request) {
      const base = snapshotOf(request)
      return { id, kind: 'request', requestId: request.id, exampleId: null, collectionId: request.collectionId, draft: draft ?? snapshotOf(base), base, baseUpdatedAt: request.updatedAt }
    }
    // A new tab, or one whose request was deleted while it had edits: keep the edits as a new request.
    if (!draft)
      return null
    return { id, kind: 'request', requestId: null, exampleId: null, collectionId: null, draft, base: blankSnapshot(), baseUpdatedAt: 0 }
  }

  const ready: Promise<void> = (async () => {
    await workspaces.ready
    if (workspaces.activeWorkspaceId)
      await load(workspaces.activeWorkspaceId)
    else
      loaded.value = true
    watch(() => workspaces.activeWorkspaceId, async (id) => {
      if (id === loadedWorkspace.value)
        return
      await flush()
      if (id)
        await load(id)
    })
  })()

  watch([tabs, activeTabId], schedulePersist, { deep: true })

  // A saved request changed elsewhere (another tab, another device, a rename
  // in the sidebar): tabs without unsaved edits show the new version; tabs
  // with edits keep the fields they changed and take the others, and their
  // base moves so Save writes over it.
  /**
   * The saved version a tab's last Save replaced, until the stored row shows
   * the save: a read begun before the save landed must not undo it. Compared
   * by content, not `updatedAt`: after a merge of two devices' edits,
   * `updatedAt` is whichever write Yjs kept, not the newest.
   */
  const replacedBySave = new Map<string, RequestSnapshot>()
  let savedWatch: LiveSubscription | null = null
  watch(
    () => [loadedWorkspace.value, currentDb(), tabs.value.flatMap(tab => tab.kind === 'request' && tab.requestId ? [tab.requestId] : []).join(',')] as const,
    ([workspaceId, db, ids]) => {
      savedWatch?.unsubscribe()
      savedWatch = null
      if (!workspaceId || !db || ids === '')
        return
      const requestIds = ids.split(',')
      savedWatch = observe(() => Promise.all(requestIds.map(id => getRequest(db, workspaceId, id)))).subscribe((requests) => {
        for (const request of requests) {
          if (request)
            applyRemoteVersion(request)
        }
      })
    },
    { immediate: true },
  )

  function applyRemoteVersion(request: Request): void {
    for (const tab of tabs.value) {
      if (tab.kind !== 'request' || tab.requestId !== request.id)
        continue
      const snapshot = snapshotOf(request)
      if (sameSnapshot(snapshot, tab.base)) {
        tab.baseUpdatedAt = request.updatedAt
        replacedBySave.delete(tab.id)
        continue
      }
      const replaced = replacedBySave.get(tab.id)
      if (replaced && sameSnapshot(snapshot, replaced))
        continue
      // Fields this tab did not edit take the new version; edited ones stay.
      const draft = tab.draft as Record<string, unknown>
      const base = tab.base as Record<string, unknown>
      for (const [field, value] of Object.entries(snapshotOf(snapshot))) {
        if (JSON.stringify(draft[field]) === JSON.stringify(base[field]))
          draft[field] = value
      }
      tab.base = snapshot
      tab.baseUpdatedAt = request.updatedAt
      tab.collectionId = request.collectionId
    }
  }

  // ---- opening ------------------------------------------------------------

  function add(tab: EditorTab): EditorTab {
    const index = tabs.value.findIndex(existing => existing.id === activeTabId.value)
    tabs.value.splice(index === -1 ? tabs.value.length : index + 1, 0, tab)
    activeTabId.value = tab.id
    return tabs.value.find(existing => existing.id === tab.id)!
  }

  /** Opens a saved request, or focuses its tab when it is already open. */
  async function openRequest(requestId: string): Promise<EditorTab | null> {
    await ready
    const open = tabs.value.find(tab => tab.kind === 'request' && tab.requestId === requestId)
    if (open) {
      activeTabId.value = open.id
      return open
    }
    const request = await collections.requestById(requestId)
    if (!request)
      return null
    const snapshot = snapshotOf(request)
    return add({ id: newId(), kind: 'request', requestId, exampleId: null, collectionId: request.collectionId, draft: snapshot, base: snapshotOf(snapshot), baseUpdatedAt: request.updatedAt })
  }

  /** Opens a new, unsaved request (the "+" button), optionally filled in. */
  function openNew(snapshot?: RequestSnapshot): EditorTab {
    const base = blankSnapshot()
    return add({ id: newId(), kind: 'request', requestId: null, exampleId: null, collectionId: null, draft: snapshot ? snapshotOf(snapshot) : blankSnapshot(), base, baseUpdatedAt: 0 })
  }

  /**
   * Opens what was sent in a history entry as a new, unsaved request (as
   * after a reload: only a blank request counts as saved); Save places it in
   * a collection.
   */
  function openHistoryEntry(entry: HistoryEntry): EditorTab {
    return add({ id: newId(), kind: 'request', requestId: null, exampleId: null, collectionId: null, draft: snapshotOf(entry.request), base: blankSnapshot(), baseUpdatedAt: 0 })
  }

  /** Opens a saved example read-only, or focuses its tab. */
  function openExample(example: Example, collectionId: string | null = null): EditorTab {
    const open = tabs.value.find(tab => tab.kind === 'example' && tab.exampleId === example.id)
    if (open) {
      activeTabId.value = open.id
      return open
    }
    const snapshot = snapshotOf({ ...example.request, name: example.name })
    return add({ id: newId(), kind: 'example', requestId: example.requestId, exampleId: example.id, collectionId, draft: snapshot, base: snapshotOf(snapshot), baseUpdatedAt: example.updatedAt })
  }

  /** Moves a tab to another place in the strip (drag and drop, or Ctrl+Shift+arrows). */
  function moveTab(tabId: string, toIndex: number): void {
    const from = tabs.value.findIndex(tab => tab.id === tabId)
    if (from === -1)
      return
    const [tab] = tabs.value.splice(from, 1)
    tabs.value.splice(Math.max(0, Math.min(toIndex, tabs.value.length)), 0, tab)
  }

  function activate(tabId: string): void {
    if (tabById(tabId))
      activeTabId.value = tabId
  }

  // ---- closing ------------------------------------------------------------

  function removeTab(tabId: string): void {
    const index = tabs.value.findIndex(tab => tab.id === tabId)
    if (index === -1)
      return
    tabs.value.splice(index, 1)
    closedTabIds.add(tabId)
    if (activeTabId.value === tabId)
      activeTabId.value = tabs.value[Math.min(index, tabs.value.length - 1)]?.id ?? null
  }

  /**
   * Closes a tab. With unsaved changes it first asks (the prompt reads
   * `pendingClose`): Save, Don't save or Cancel. Resolves true when closed.
   */
  async function close(tabId: string): Promise<boolean> {
    if (!tabById(tabId))
      return false
    if (hasUnsavedChanges(tabId)) {
      pendingClose.value?.resolve('cancel')
      activeTabId.value = tabId
      const choice = await new Promise<CloseChoice>((resolve) => {
        pendingClose.value = { tabId, resolve }
      })
      pendingClose.value = null
      if (choice === 'cancel')
        return false
      if (choice === 'save' && !(await save(tabId)))
        return false
    }
    removeTab(tabId)
    return true
  }

  /** Answers the "Save changes?" prompt. */
  function answerClose(choice: CloseChoice): void {
    pendingClose.value?.resolve(choice)
  }

  /** Closes, without asking, the tabs of requests or examples that were deleted. */
  function closeForDeleted(entityIds: readonly string[]): void {
    const gone = new Set(entityIds)
    for (const tab of [...tabs.value]) {
      if ((tab.requestId && gone.has(tab.requestId) && (tab.kind === 'example' || !hasUnsavedChanges(tab.id))) || (tab.exampleId && gone.has(tab.exampleId)))
        removeTab(tab.id)
      else if (tab.kind === 'request' && tab.requestId && gone.has(tab.requestId))
        tab.requestId = null // keep the unsaved edits as a new request
    }
  }

  // ---- editing ------------------------------------------------------------

  function editable(tabId: string): EditorTab | null {
    const tab = tabById(tabId)
    return tab && tab.kind === 'request' ? tab : null
  }

  /** Changes fields of a tab's draft. */
  function updateDraft(tabId: string, patch: Partial<RequestSnapshot>): void {
    const tab = editable(tabId)
    if (tab)
      Object.assign(tab.draft, patch)
  }

  /** Sets the URL and rewrites the Params and Path Variables tables from it. */
  function setUrl(tabId: string, url: string): void {
    const tab = editable(tabId)
    if (!tab)
      return
    tab.draft.url = url
    tab.draft.params = syncParamsFromUrl(url, tab.draft.params)
    tab.draft.pathVariables = syncPathVariables(url, tab.draft.pathVariables)
  }

  /** Sets the Params table and rewrites the URL's query from it. */
  function setParams(tabId: string, rows: KeyValueRow[]): void {
    const tab = editable(tabId)
    if (!tab)
      return
    tab.draft.params = rows
    tab.draft.url = applyParamsToUrl(tab.draft.url, rows)
  }

  /** Appends a header preset's headers to a tab's headers in one step. */
  function applyPreset(tabId: string, presetId: string): void {
    const tab = editable(tabId)
    const preset = presets.presets.find(candidate => candidate.id === presetId)
    if (!tab || !preset)
      return
    tab.draft.headers = [...tab.draft.headers, ...preset.headers.map(header => ({ ...plainCopy(header), id: newId() }))]
  }

  /** Stores a chosen file's bytes on this device (never synced) and returns the reference a body keeps. */
  async function storeFile(file: File): Promise<FileRef> {
    const db = currentDb()
    if (!db)
      throw new Error('No workspace is open. Pick a workspace and try again.')
    const bytes = new Uint8Array(await file.arrayBuffer())
    const type = file.type || 'application/octet-stream'
    const blobId = await putBlob(db, { name: file.name, type, bytes })
    return { blobId, name: file.name, size: bytes.byteLength, type }
  }

  // ---- saving -------------------------------------------------------------

  /**
   * Saves a tab (Ctrl/Cmd+S). A saved request is written back; a new one
   * opens the Save dialog (`pendingSaveAs`) and resolves once it is placed,
   * or false when the dialog is cancelled.
   */
  async function save(tabId: string): Promise<boolean> {
    const tab = editable(tabId)
    if (!tab)
      return false
    if (!tab.requestId) {
      pendingSaveAs.value = tabId
      return new Promise<boolean>((resolve) => {
        saveAsWaiters.set(tabId, resolve)
      })
    }
    const snapshot = snapshotOf(tab.draft)
    replacedBySave.set(tab.id, tab.base)
    await collections.saveRequest(tab.requestId, snapshot)
    tab.base = snapshot
    await flush()
    return true
  }

  const saveAsWaiters = new Map<string, (saved: boolean) => void>()

  /** Places an unsaved tab's request in a collection or folder under `name` (the Save dialog's answer). */
  async function saveAs(tabId: string, parentId: string, name: string): Promise<string | null> {
    const tab = editable(tabId)
    if (!tab)
      return null
    const snapshot = snapshotOf({ ...tab.draft, name: name.trim() || tab.draft.name })
    const requestId = await collections.createRequest(parentId, snapshot)
    const request = await collections.requestById(requestId)
    tab.requestId = requestId
    tab.collectionId = request?.collectionId ?? null
    tab.draft.name = snapshot.name
    tab.base = snapshot
    tab.baseUpdatedAt = request?.updatedAt ?? Date.now()
    pendingSaveAs.value = null
    saveAsWaiters.get(tabId)?.(true)
    saveAsWaiters.delete(tabId)
    await flush()
    return requestId
  }

  /** The Save dialog was dismissed. */
  function cancelSaveAs(): void {
    const tabId = pendingSaveAs.value
    pendingSaveAs.value = null
    if (tabId) {
      saveAsWaiters.get(tabId)?.(false)
      saveAsWaiters.delete(tabId)
    }
  }

  return {
    tabs,
    activeTabId,
    activeTab,
    pendingClose,
    pendingSaveAs,
    loaded,
    ready,
    tabById,
    hasUnsavedChanges,
    openRequest,
    openNew,
    openHistoryEntry,
    openExample,
    activate,
    moveTab,
    close,
    answerClose,
    closeForDeleted,
    updateDraft,
    setUrl,
    setParams,
    applyPreset,
    storeFile,
    save,
    saveAs,
    cancelSaveAs,
    flush,
  }
})
