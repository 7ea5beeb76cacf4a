/**
 * First sign-in on a device: every workspace of the account comes down from
 * the server, with progress in documents and items, while the app is already
 * usable. The active workspace is synced by the sync store as always (it is
 * restored once its connection is In sync); the others connect here in the
 * background, one at a time (phones and 2-core machines), and are closed once
 * In sync. A restored workspace is marked in the account's database
 * (src/db/restore.ts), so a reload does not restore it again; one that did not
 * finish (offline, closed tab) is restored next time.
 */
import type { PigeonDb } from '../db/schema'
import type { SyncStatus } from '../sync/remote/status'
import type { WorkspaceSync } from '../sync/remote/workspaceSync'
import type { WorkspacesAccount } from './workspaces'
import { defineStore, getActivePinia } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import { z } from 'zod/mini'
import { listWorkspaces as listLocalWorkspaces } from '../db/queries'
import { countProjectedRows, listRestoredWorkspaceIds, markWorkspaceRestored } from '../db/restore'
import { workspaceDocName } from '../sync/workspaceDocs'
import { environmentOf, useSyncStore } from './sync'
import { useWorkspacesStore } from './workspaces'

/** Where the restore stands, for the progress bar. */
export interface RestoreProgress {
  /** Documents (per workspace: the workspace document, the person's history document and the runs document) In sync, of the total. */
  documentsDone: number
  documentsTotal: number
  /** Entities, history entries and runs on this device, of what the server holds; `itemsTotal` is null while unknown. */
  itemsLoaded: number
  itemsTotal: number | null
}

const WorkspaceSummary = z.object({ entities: z.number(), history: z.number(), runs: z._default(z.number(), 0) })
const DOCUMENTS_PER_WORKSPACE = 3
const COUNT_EVERY_MS = 1000
const UNREACHABLE = 'The server cannot be reached, so restoring your workspaces is paused. It continues by itself when the server is back; what is restored already works offline.'

const numberFormat = new Intl.NumberFormat('en-US')

/** The progress in words, e.g. "Restoring your workspaces: 2 of 4 documents, 3,412 of 5,050 items". Pure. */
export function restoreSentence(progress: RestoreProgress): string {
  const documents = `${progress.documentsDone} of ${progress.documentsTotal} documents`
  const loaded = Math.min(progress.itemsLoaded, progress.itemsTotal ?? Infinity)
  const items = progress.itemsTotal === null ? `${numberFormat.format(loaded)} items` : `${numberFormat.format(loaded)} of ${numberFormat.format(progress.itemsTotal)} items`
  return `Restoring your workspaces: ${documents}, ${items}`
}

function documentsInSync(connection: { documents: readonly { status: SyncStatus }[] } | null): number {
  return connection?.documents.filter(document => document.status.state === 'inSync').length ?? 0
}

/** True for an error Pigeon cannot get past by waiting (access removed, signed out, …): that workspace is left for next time. */
function isDeadEnd(status: SyncStatus): boolean {
  return status.state === 'error' && !!status.error && !status.error.retrying && status.error.action !== 'waitForServer'
}

function isUnreachable(status: SyncStatus): boolean {
  return status.state === 'offline' || (status.state === 'error' && status.error?.action === 'waitForServer')
}

type Outcome = 'restored' | 'left' | 'cancelled'

export const useRestoreStore = defineStore('restore', () => {
  const environment = environmentOf(getActivePinia())
  const sync = useSyncStore()
  const workspaces = useWorkspacesStore()

  /** Workspaces this run restores, in order (the active one first); empty when there is nothing to do. */
  const planned = ref<string[]>([])
  const restoredIds = ref<string[]>([])
  /** The background connection of the workspace being restored now, if it is not the active one. */
  const background = shallowRef<WorkspaceSync | null>(null)
  const backgroundDocumentsInSync = ref(0)
  const itemsLoaded = ref(0)
  const itemsTotal = ref<number | null>(null)
  /** Why the restore is waiting, in words, or null. */
  const problem = ref<string | null>(null)
  const running = ref(false)

  const progress = computed<RestoreProgress>(() => {
    const current = background.value ? backgroundDocumentsInSync.value : activeDocumentsInSync.value
    return {
      documentsDone: Math.min(restoredIds.value.length * DOCUMENTS_PER_WORKSPACE + current, planned.value.length * DOCUMENTS_PER_WORKSPACE),
      documentsTotal: planned.value.length * DOCUMENTS_PER_WORKSPACE,
      itemsLoaded: itemsLoaded.value,
      itemsTotal: itemsTotal.value,
    }
  })
  /** True while workspaces are coming down from the server; the bar shows only then. */
  const restoring = computed(() => running.value && planned.value.length > restoredIds.value.length)
  const sentence = computed(() => restoreSentence(progress.value))

  /** Active workspace's documents In sync, while it is one being restored. */
  const activeDocumentsInSync = computed(() => {
    const connection = sync.connection
    const current = planned.value.find(id => !restoredIds.value.includes(id))
    return connection && connection.workspaceId === current ? documentsInSync(connection) : 0
  })

  // ---- one run: every workspace not restored yet -------------------------

  let run = 0
  let runFinished: Promise<void> = Promise.resolve()
  /** Wakes the wait in progress when the run is cancelled. */
  let cancelWait: () => void = () => undefined

  function cancel(): void {
    run++
    cancelWait()
  }

  /** Starts a run for the open account unless one is going; runs again afterwards when asked meanwhile. */
  let again = false
  function start(): void {
    if (running.value) {
      again = true
      return
    }
    const account = workspaces.account
    if (!account)
      return
    running.value = true
    const mine = ++run
    runFinished = restoreAll(account, mine)
      .catch((error: unknown) => console.error('Restoring workspaces stopped:', error instanceof Error ? error.message : error))
      .finally(() => {
        running.value = false
        if (again) {
          again = false
          start()
        }
      })
  }

  async function restoreAll(account: WorkspacesAccount, mine: number): Promise<void> {
    await sync.settled()
    const db = workspaces.db
    const stillMine = () => mine === run && workspaces.account === account && workspaces.db === db
    if (!stillMine())
      return
    const onServer = new Set(sync.serverWorkspaces.map(each => each.id))
    const restored = new Set(await listRestoredWorkspaceIds(db))
    const local = await listLocalWorkspaces(db)
    const todo = local.filter(each => onServer.has(each.id) && !restored.has(each.id)).map(each => each.id)
    if (todo.length === 0 || !stillMine())
      return
    // The active workspace first: it is the one the person is looking at.
    todo.sort((a, b) => Number(b === workspaces.activeWorkspaceId) - Number(a === workspaces.activeWorkspaceId))
    planned.value = todo
    restoredIds.value = []
    problem.value = null
    itemsLoaded.value = 0
    itemsTotal.value = null
    const counter = setInterval(() => void countLoaded(db, todo, stillMine), COUNT_EVERY_MS)
    try {
      for (const [index, workspaceId] of todo.entries()) {
        // Totals only once the open workspace is here: counting makes the server read every
        // document, and the one the person waits for must not queue behind that (bench/restore).
        if (index === 1)
          void fetchTotals(todo, stillMine)
        const outcome = await restoreOne(db, account.userId, workspaceId, stillMine)
        if (outcome === 'cancelled')
          return
        if (outcome === 'restored')
          restoredIds.value = [...restoredIds.value, workspaceId]
      }
      // For bench/restore: when everything planned came down (see pigeon:interactive in src/pwa).
      if (restoredIds.value.length === todo.length)
        globalThis.performance?.mark?.('pigeon:restored')
      await counting // A count started before the last writes, then one that sees them all.
      await countLoaded(db, todo, stillMine)
    }
    finally {
      clearInterval(counter)
      problem.value = null
      if (stillMine())
        planned.value = []
    }
  }

  /** What the server holds for each workspace; without it the bar counts items without a total. */
  async function fetchTotals(workspaceIds: string[], stillMine: () => boolean): Promise<void> {
    try {
      const summaries = await Promise.all(workspaceIds.map(id =>
        environment.client.request('GET', `/api/workspaces/${encodeURIComponent(id)}/summary`, WorkspaceSummary)))
      if (stillMine())
        itemsTotal.value = summaries.reduce((sum, each) => sum + each.entities + each.history + each.runs, 0)
    }
    catch (error) {
      // The bar still moves by documents; the item total is only a nicety.
      console.warn('The restore could not learn how much the server holds:', error instanceof Error ? error.message : error)
    }
  }

  let counting: Promise<void> | null = null
  /** Counts what is projected so far; one count at a time, so slow counts never pile up behind the restore's writes. */
  function countLoaded(db: PigeonDb, workspaceIds: string[], stillMine: () => boolean): Promise<void> {
    counting ??= countProjectedRows(db, workspaceIds)
      .then((count) => {
        if (stillMine())
          itemsLoaded.value = count
      })
      .catch(() => undefined) // The next count tries again; the bar only lags.
      .finally(() => { counting = null })
    return counting
  }

  /** Restores one workspace: through the active connection when it is the active one, else through its own. */
  async function restoreOne(db: PigeonDb, userId: string, workspaceId: string, stillMine: () => boolean): Promise<Outcome> {
    for (;;) {
      if (!stillMine())
        return 'cancelled'
      const outcome = workspaces.activeWorkspaceId === workspaceId
        ? await followActive(workspaceId, stillMine)
        : await restoreInBackground(db, userId, workspaceId, stillMine)
      if (outcome === 'switched')
        continue
      if (outcome === 'restored')
        await markWorkspaceRestored(db, workspaceDocName(workspaceId))
      return outcome
    }
  }

  /** What a workspace's status means for its restore (and the sentence while the server is away); null: keep waiting. */
  function judge(status: SyncStatus): Outcome | null {
    problem.value = isUnreachable(status) ? UNREACHABLE : null
    if (status.state === 'inSync')
      return 'restored'
    return isDeadEnd(status) ? 'left' : null
  }

  /**
   * Resolves with the first outcome `decide` gives, asked whenever
   * `subscribe` reports a change (and by it at once); `cancel()` ends the
   * wait with 'cancelled'.
   */
  function waitFor<T>(subscribe: (check: () => void) => () => void, decide: () => T | 'cancelled' | null): Promise<T | 'cancelled'> {
    return new Promise((resolve) => {
      let done = false
      let stop: (() => void) | null = null
      const finish = (outcome: T | 'cancelled') => {
        if (done)
          return
        done = true
        stop?.()
        cancelWait = () => undefined
        resolve(outcome)
      }
      cancelWait = () => finish('cancelled')
      stop = subscribe(() => {
        const outcome = decide()
        if (outcome !== null)
          finish(outcome)
      })
      if (done) // Decided by the first check, before `stop` was assigned.
        stop()
    })
  }

  /** Waits for the sync store's connection of the active workspace to be In sync; 'switched' when the person moved to another workspace meanwhile. */
  function followActive(workspaceId: string, stillMine: () => boolean): Promise<Outcome | 'switched'> {
    return waitFor<Outcome | 'switched'>(
      check => watch(() => [sync.connection, sync.status, workspaces.activeWorkspaceId] as const, check, { immediate: true, flush: 'sync' }),
      () => {
        if (!stillMine())
          return 'cancelled'
        if (workspaces.activeWorkspaceId !== workspaceId)
          return 'switched'
        const connection = sync.connection
        return connection && connection.workspaceId === workspaceId ? judge(connection.status) : null
      },
    )
  }

  /** Connects a workspace that is not open, waits for In sync, closes it. */
  async function restoreInBackground(db: PigeonDb, userId: string, workspaceId: string, stillMine: () => boolean): Promise<Outcome> {
    let opened: WorkspaceSync
    try {
      opened = await sync.openWorkspaceSync(db, workspaceId, userId)
    }
    catch (error) {
      console.error(`Restoring workspace ${workspaceId} failed; it is tried again next time:`, error instanceof Error ? error.message : error)
      return 'left'
    }
    background.value = opened
    const stopOnline = watch(() => sync.browserOnline, online => opened.setBrowserOnline(online))
    try {
      return await waitFor<Outcome>(
        (check) => {
          const stop = opened.onStatus(check)
          check()
          return stop
        },
        () => {
          backgroundDocumentsInSync.value = documentsInSync(opened)
          return stillMine() ? judge(opened.status) : 'cancelled'
        },
      )
    }
    finally {
      stopOnline()
      background.value = null
      backgroundDocumentsInSync.value = 0
      await opened.close()
    }
  }

  // ---- wiring ------------------------------------------------------------

  // Signed in (or the server listed new workspaces, e.g. made on another device): restore what is missing.
  watch(() => [workspaces.account, sync.serverWorkspaces] as const, ([account], before) => {
    if (account !== before?.[0]) {
      cancel() // Signed out or another account: the old run stops and closes its connection.
      planned.value = []
    }
    if (account)
      start()
  }, { immediate: true })

  /** Resolves once the run in progress (if any) has finished, for tests and the benchmark. */
  async function finished(): Promise<void> {
    for (;;) {
      const waiting = runFinished
      await waiting
      if (waiting === runFinished && !running.value)
        return
    }
  }

  return { planned, restoredIds, progress, restoring, sentence, problem, running, finished }
})
