/**
 * Syncing a signed-in person's workspaces (DESIGN.md §3–§5), and the sync
 * state in words for the top bar. Signed in, the app works in the account's
 * own database with the account's workspaces (the personal one opens by
 * default) and the active workspace is connected to the server; signed out
 * it is back in the signed-out database with the Scratch Pad and nothing
 * leaves the device.
 */
import type { Pinia } from 'pinia'
import type { ApiClient } from '../api'
import type { PigeonDb } from '../db/schema'
import type { SyncErrorAction, SyncState, SyncStatus } from '../sync/remote/status'
import type { WorkspaceSync } from '../sync/remote/workspaceSync'
import type { WorkspacesAccount } from './workspaces'

export type { SyncState }
import { defineStore, getActivePinia } from 'pinia'
import { computed, nextTick, ref, shallowRef, watch } from 'vue'
import { createApiClient } from '../api'
import { countUnackedInDatabase, deleteDatabase, readAccountExport, workspacesWithUnacked } from '../db/accountData'
import { accountDbName, LOCAL_DB_NAME } from '../db/schema'
import { SCRATCH_PAD_ID } from '../sync/workspaceDocs'
import { useAccountWorkspaces } from './accountWorkspaces'
import { useSessionStore } from './session'
import { CLOSE_DEVICE_LIMIT, CLOSE_UNAUTHORIZED } from '../domain/syncProtocol'
import { useWorkspacesStore } from './workspaces'

/** What the store talks to; the app uses the defaults (same origin), tests pass their own. */
export interface SyncEnvironment {
  client: ApiClient
  /** The server's origin; the sync socket goes to `<serverUrl>/sync/…`. */
  serverUrl: string
  /** Node tests pass a `ws` WebSocket that sends the session cookie; the browser sends it itself. */
  WebSocketPolyfill?: typeof WebSocket
  /** Longest wait between reconnect attempts in ms (y-websocket's default 2500). */
  maxBackoffTime?: number
}

const environments = new WeakMap<Pinia, Partial<SyncEnvironment>>()

/** Gives the sync store of one Pinia (one app) its server and socket; call before first use. */
export function provideSyncEnvironment(pinia: Pinia, environment: Partial<SyncEnvironment>): void {
  environments.set(pinia, environment)
}

/** The server and socket settings of one Pinia (the restore store connects with the same). */
export function environmentOf(pinia: Pinia | undefined): SyncEnvironment {
  const given = pinia ? environments.get(pinia) ?? {} : {}
  return {
    client: given.client ?? createApiClient(),
    serverUrl: given.serverUrl ?? globalThis.location?.origin ?? '',
    WebSocketPolyfill: given.WebSocketPolyfill,
    maxBackoffTime: given.maxBackoffTime,
  }
}

/** The sync state as the top bar shows it. */
export interface SyncDisplay {
  state: SyncState
  /** The state in words: Offline, Connecting, Syncing, In sync or Error (signed out it says what is not synced). */
  label: string
  /** Local changes the server has not saved yet. */
  unacked: number
  /** What is going on, for the tooltip. */
  sentence: string
  /** For an error: what the person can do about it. */
  action: string | null
  /** False when the open workspace never leaves this device. */
  syncs: boolean
}

export const STATE_LABELS: Record<SyncState, string> = {
  offline: 'Offline',
  connecting: 'Connecting',
  syncing: 'Syncing',
  inSync: 'In sync',
  error: 'Error',
}

const ACTIONS: Record<SyncErrorAction, string> = {
  signIn: 'Sign in again from the account menu; your changes stay on this device until then.',
  freeDeviceSlot: 'Sign out one of your other devices from the account menu (Devices), then sign in here again.',
  askForAccess: 'Ask an owner of this workspace to add you again, or switch to another workspace.',
  removeData: 'Delete some requests or history in this workspace to make it smaller.',
  closeTabs: 'Close Pigeon in some other tabs or windows of this browser.',
  waitForServer: 'Nothing to do: Pigeon keeps trying by itself, and your changes are kept on this device.',
  updateApp: 'Reload Pigeon to get the latest version.',
}

/** A sign-out that waits for the person to decide what happens to changes the server does not have yet. */
export interface PendingSignOut {
  /** Local changes not yet acked, across every workspace of the account. */
  unacked: number
  /** True while "Wait for sync" is waiting. */
  waiting: boolean
  /** Why waiting has not worked (yet), in words, or null. */
  problem: string | null
}

export type SignOutOutcome = 'signed-out' | 'asked'

const SIGN_OUT_WAIT_MS = 60_000
const SIGN_OUT_POLL_MS = 250
const UNREACHABLE_ON_SIGN_OUT = 'The server cannot be reached right now, so your changes cannot be saved there yet. Pigeon keeps trying while you wait; you can also export them to a file or discard them.'
const GAVE_UP_ON_SIGN_OUT = 'Your changes did not reach the server in time, so you are still signed in and nothing was deleted. Wait again, export them to a file, or discard them.'


function clock(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
}

/** The display of a connected workspace's status. Pure. */
export function displayOf(status: SyncStatus): SyncDisplay {
  const since = status.state === 'error' && status.unreachableSince !== null ? ` The server has been unreachable since ${clock(status.unreachableSince)}.` : ''
  return {
    state: status.state,
    label: STATE_LABELS[status.state],
    unacked: status.unacked,
    sentence: `${status.detail}${since}`,
    action: status.error ? ACTIONS[status.error.action] : null,
    syncs: true,
  }
}

/** The display while signed out: the open workspace stays on this device. Pure. */
export function signedOutDisplay(workspaceName: string | null): SyncDisplay {
  return {
    state: 'offline',
    // Not "Offline": the browser may well be online; this workspace just never leaves the device.
    label: `${workspaceName ?? 'Scratch Pad'} — not synced`,
    unacked: 0,
    sentence: 'Signed out: what you do here stays on this device. Sign in to sync your workspaces across devices.',
    action: null,
    syncs: false,
  }
}

export const useSyncStore = defineStore('sync', () => {
  const environment = environmentOf(getActivePinia())
  const session = useSessionStore()
  const workspaces = useWorkspacesStore()

  const connection = shallowRef<WorkspaceSync | null>(null)
  const remoteStatus = shallowRef<SyncStatus | null>(null)
  const browserOnline = ref(globalThis.navigator?.onLine ?? true)
  const {
    listProblem, serverWorkspaces, fetchServerWorkspaces, registerServerWorkspaces, publish, publishPending,
    refreshWorkspaces, renameOnServer, removeOnServer, lostWorkspaces, exportLostWorkspace, discardLostWorkspace,
  } = useAccountWorkspaces({ environment, workspaces, connection, remoteStatus })

  const signedInUserId = computed(() => session.signedIn ? session.user?.id ?? null : null)

  const status = computed<SyncDisplay>(() => {
    if (!signedInUserId.value)
      return signedOutDisplay(workspaces.activeWorkspace?.name ?? null)
    if (remoteStatus.value && connection.value?.workspaceId === workspaces.activeWorkspaceId)
      return displayOf(remoteStatus.value)
    if (!browserOnline.value)
      return { state: 'offline', label: STATE_LABELS.offline, unacked: 0, sentence: 'Offline. Changes you make are kept on this device and sync when you are back online.', action: null, syncs: true }
    return {
      state: 'connecting',
      label: STATE_LABELS.connecting,
      unacked: 0,
      sentence: listProblem.value ?? (workspaces.account ? 'Connecting to the server to sync this workspace.' : 'Opening your account\'s workspaces on this device.'),
      action: null,
      syncs: true,
    }
  })

  // ---- signing in and out ------------------------------------------------

  let applying: Promise<void> = Promise.resolve()

  /** Opens the account's database (or the signed-out one) for who is signed in now. */
  function applyAccount(userId: string | null): Promise<void> {
    applying = applying.catch(() => undefined).then(() => openFor(userId))
    return applying
  }

  async function openFor(userId: string | null): Promise<void> {
    if (userId === (workspaces.account?.userId ?? null))
      return
    await closeConnection()
    if (!userId) {
      serverWorkspaces.value = []
      listProblem.value = null
      await workspaces.openDatabase(LOCAL_DB_NAME, { account: null })
      return
    }
    const list = await fetchServerWorkspaces()
    const account: WorkspacesAccount = { userId, publish, rename: renameOnServer, remove: removeOnServer }
    await workspaces.openDatabase(accountDbName(userId), {
      account,
      prepare: async (db) => {
        if (list) {
          await registerServerWorkspaces(db, list)
          await publishPending(db, list)
        }
      },
      defaultWorkspaceId: list?.find(w => w.kind === 'personal')?.id,
    })
    if (!workspaces.activeWorkspaceId)
      await openPersonalWhenListed(account)
  }

  /** First sign-in with the server out of reach: nothing to open yet, so try the list again until it comes. */
  async function openPersonalWhenListed(account: WorkspacesAccount): Promise<void> {
    for (let attempt = 0; workspaces.account === account && !workspaces.activeWorkspaceId; attempt++) {
      await new Promise(resolve => setTimeout(resolve, Math.min(500 * 2 ** attempt, 10_000)))
      if (workspaces.account !== account)
        return
      const list = await fetchServerWorkspaces()
      const personal = list?.find(w => w.kind === 'personal')
      if (list && personal) {
        await registerServerWorkspaces(workspaces.db, list)
        await workspaces.switchTo(personal.id)
      }
    }
  }

  // ---- the connection of the active workspace ----------------------------

  let connecting: Promise<void> = Promise.resolve()
  let stopWatching: () => void = () => undefined

  async function closeConnection(): Promise<void> {
    const open = connection.value
    stopWatching()
    stopWatching = () => undefined
    connection.value = null
    remoteStatus.value = null
    await open?.close()
  }

  /** Connects the active workspace when signed in, and only it: switching workspaces reconnects. */
  function reconnect(): Promise<void> {
    connecting = connecting.catch(() => undefined).then(connectActive)
    return connecting
  }

  /** Opens and connects a workspace, the person's history doc and its runs doc with this app's server settings. */
  async function openWorkspaceSync(db: PigeonDb, workspaceId: string, userId: string): Promise<WorkspaceSync> {
    // Loaded once signed in (and precached): the Scratch Pad alone never connects.
    const { syncWorkspace } = await import('../sync/remote/workspaceSync')
    return syncWorkspace(db, workspaceId, userId, {
      serverUrl: environment.serverUrl,
      WebSocketPolyfill: environment.WebSocketPolyfill,
      maxBackoffTime: environment.maxBackoffTime,
      online: browserOnline.value,
    })
  }

  async function connectActive(): Promise<void> {
    const account = workspaces.account
    const workspaceId = workspaces.activeWorkspaceId
    const wanted = account && workspaces.handle && workspaceId && workspaceId !== SCRATCH_PAD_ID ? workspaceId : null
    if (connection.value && connection.value.workspaceId === wanted && connection.value.workspace.db === workspaces.db)
      return
    await closeConnection()
    if (!account || !wanted)
      return
    const opened = await openWorkspaceSync(workspaces.db, wanted, account.userId)
    if (workspaces.account !== account || workspaces.activeWorkspaceId !== wanted) {
      await opened.close() // Switched again meanwhile.
      return
    }
    connection.value = opened
    remoteStatus.value = opened.status
    let wasInSync = opened.status.state === 'inSync'
    stopWatching = opened.onStatus((next) => {
      remoteStatus.value = next
      // Signed out elsewhere (revoked, account deleted, or to make room for a fourth device:
      // 4409): tell the person and go back to the Scratch Pad. The account's database stays on
      // this device, unsynced changes included, until they sign in again.
      if (next.error?.code === CLOSE_UNAUTHORIZED || next.error?.code === CLOSE_DEVICE_LIMIT) {
        session.endedByServer()
        return
      }
      // Back in sync after a reconnect: a good moment to pick up workspaces made on other devices.
      if (next.state === 'inSync' && !wasInSync)
        void refreshWorkspaces()
      wasInSync = next.state === 'inSync'
    })
  }

  /** Resolves once the active workspace is connected and In sync (for tests and sign-out). */
  async function whenInSync(timeoutMs = 10_000): Promise<void> {
    await applying
    await connecting
    if (!connection.value)
      throw new Error('This workspace is not connected to the server, so it cannot be in sync.')
    await connection.value.whenInSync(timeoutMs)
  }

  /** Resolves once the database for who is signed in now is open and its workspace connected. */
  async function settled(): Promise<void> {
    await nextTick() // watchers of a change just made have run
    await applying
    await connecting
  }

  // ---- signing out: nothing unsynced is lost -------------------------------

  const pendingSignOut = ref<PendingSignOut | null>(null)
  let signOutWait = 0

  /**
   * Signs out, deleting the account's database from this device. With
   * changes the server has not acked yet nothing happens: `pendingSignOut`
   * holds the count and the person chooses wait, export or discard.
   */
  async function signOut(): Promise<SignOutOutcome> {
    await settled()
    if (!workspaces.account) {
      await session.signOut()
      return 'signed-out'
    }
    // Changes made a moment ago may still be on their way into the update log.
    await Promise.all([workspaces.handle?.flushed(), workspaces.historyHandle?.flushed(), workspaces.runsHandle?.flushed()])
    const unacked = await countUnackedInDatabase(workspaces.db)
    if (unacked > 0) {
      pendingSignOut.value = { unacked, waiting: false, problem: null }
      return 'asked'
    }
    await signOutAndDelete()
    return 'signed-out'
  }

  /** Ends the session on the server, goes back to the Scratch Pad, then deletes the account's database. */
  async function signOutAndDelete(): Promise<void> {
    const db = workspaces.db
    signOutWait++
    await session.signOut()
    pendingSignOut.value = null
    await settled()
    if (workspaces.db !== db)
      await deleteDatabase(db)
  }

  /** "Wait for sync": syncs every workspace with unacked changes, then signs out; says so when the server cannot be reached. */
  async function waitThenSignOut(timeoutMs = SIGN_OUT_WAIT_MS): Promise<SignOutOutcome> {
    const account = workspaces.account
    if (!account)
      return signOut()
    const db = workspaces.db
    const wait = ++signOutWait
    pendingSignOut.value = { unacked: pendingSignOut.value?.unacked ?? 0, waiting: true, problem: null }
    const extra: WorkspaceSync[] = []
    try {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const unacked = await countUnackedInDatabase(db)
        if (wait !== signOutWait)
          return 'asked' // Cancelled or another choice was made meanwhile.
        if (unacked === 0)
          break
        if (Date.now() > deadline) {
          pendingSignOut.value = { unacked, waiting: false, problem: GAVE_UP_ON_SIGN_OUT }
          return 'asked'
        }
        await connectUnsynced(db, account.userId, extra)
        const connections = [connection.value, ...extra].filter((each): each is WorkspaceSync => each !== null)
        const unreachable = connections.some(each => each.status.state === 'offline' || each.status.state === 'error')
        pendingSignOut.value = { unacked, waiting: true, problem: unreachable ? UNREACHABLE_ON_SIGN_OUT : null }
        await new Promise(resolve => setTimeout(resolve, SIGN_OUT_POLL_MS))
      }
    }
    finally {
      await Promise.allSettled(extra.map(each => each.close()))
    }
    try {
      await signOutAndDelete()
      return 'signed-out'
    }
    catch (error) {
      pendingSignOut.value = { unacked: 0, waiting: false, problem: error instanceof Error ? error.message : String(error) }
      return 'asked'
    }
  }

  /** Connects, besides the active one, every workspace that still has unacked changes (kept in `extra` until closed). */
  async function connectUnsynced(db: PigeonDb, userId: string, extra: WorkspaceSync[]): Promise<void> {
    for (const workspaceId of await workspacesWithUnacked(db)) {
      if (connection.value?.workspaceId === workspaceId || extra.some(each => each.workspaceId === workspaceId))
        continue
      extra.push(await openWorkspaceSync(db, workspaceId, userId))
    }
  }

  /** "Export and sign out": the account's workspaces as one Pigeon JSON text, for the person to save before it is deleted. */
  async function exportAccountData(): Promise<string> {
    return JSON.stringify(await readAccountExport(workspaces.db), null, 2)
  }

  /** "Discard" (or after an export): signs out and deletes the account's data, unacked changes included. */
  async function discardThenSignOut(): Promise<void> {
    try {
      await signOutAndDelete()
    }
    catch (error) {
      if (pendingSignOut.value)
        pendingSignOut.value = { ...pendingSignOut.value, waiting: false, problem: `You are still signed in and nothing was deleted: ${error instanceof Error ? error.message : String(error)}` }
      throw error
    }
  }

  /** Cancel: stays signed in, keeps everything. */
  function cancelSignOut(): void {
    signOutWait++
    pendingSignOut.value = null
  }

  // ---- wiring ------------------------------------------------------------

  function setBrowserOnline(online: boolean): void {
    browserOnline.value = online
    connection.value?.setBrowserOnline(online)
    if (online)
      void refreshWorkspaces()
  }

  if (typeof window !== 'undefined') {
    window.addEventListener('online', () => setBrowserOnline(true))
    window.addEventListener('offline', () => setBrowserOnline(false))
  }

  watch(signedInUserId, (userId) => {
    // Signed out some other way meanwhile (e.g. by the server): there is nothing left to decide here.
    if (!userId && pendingSignOut.value)
      cancelSignOut()
    void applyAccount(userId)
  }, { immediate: true })
  watch(() => [workspaces.handle, workspaces.account] as const, () => void reconnect())
  // Signed in again after the server ended the session: the refused connection tries again.
  watch(() => session.session?.sessionId, (sessionId, before) => {
    if (sessionId && before && sessionId !== before)
      connection.value?.connect()
  })
  void session.restore()

  return {
    status,
    connection,
    browserOnline,
    listProblem,
    serverWorkspaces,
    refreshWorkspaces,
    lostWorkspaces,
    exportLostWorkspace,
    discardLostWorkspace,
    whenInSync,
    setBrowserOnline,
    settled,
    openWorkspaceSync,
    pendingSignOut,
    signOut,
    waitThenSignOut,
    exportAccountData,
    discardThenSignOut,
    cancelSignOut,
  }
})
