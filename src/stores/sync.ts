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
import type { Workspace } from '../domain/model'
import type { SyncErrorAction, SyncState, SyncStatus } from '../sync/remote/status'
import type { WorkspaceSync } from '../sync/remote/workspaceSync'
import type { WorkspacesAccount } from './workspaces'

export type { SyncState }
import { defineStore, getActivePinia } from 'pinia'
import { computed, nextTick, ref, shallowRef, watch } from 'vue'
import { z } from 'zod'
import { ApiError, createApiClient, isUnreachable } from '../api'
import { WorkspaceSchema } from '../api/schemas'
import { listWorkspaces as listLocalWorkspaces } from '../db/queries'
import { accountDbName, LOCAL_DB_NAME } from '../db/schema'
import { syncWorkspace } from '../sync/remote/workspaceSync'
import { createWorkspace, SCRATCH_PAD_ID } from '../sync/workspaceDocs'
import { useSessionStore } from './session'
import { CLOSE_UNAUTHORIZED } from '../domain/syncProtocol'
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

function environmentOf(pinia: Pinia | undefined): SyncEnvironment {
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

const ServerWorkspaceList = z.object({ workspaces: z.array(WorkspaceSchema) })
const OneServerWorkspace = z.object({ workspace: WorkspaceSchema })
type ServerWorkspace = z.infer<typeof WorkspaceSchema>

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

/** Registers on this device every workspace the account has on the server, under the server's id. */
async function registerServerWorkspaces(db: PigeonDb, list: readonly ServerWorkspace[]): Promise<void> {
  const known = new Set((await listLocalWorkspaces(db)).map(w => w.id))
  for (const workspace of list) {
    if (!known.has(workspace.id))
      await createWorkspace(db, workspace.name, workspace.kind, workspace.id)
  }
}

export const useSyncStore = defineStore('sync', () => {
  const environment = environmentOf(getActivePinia())
  const session = useSessionStore()
  const workspaces = useWorkspacesStore()

  const connection = shallowRef<WorkspaceSync | null>(null)
  const remoteStatus = shallowRef<SyncStatus | null>(null)
  const browserOnline = ref(globalThis.navigator?.onLine ?? true)
  /** Why the account's workspaces could not be loaded at the last try, or null. */
  const listProblem = ref<string | null>(null)
  /** The account's workspaces as the server listed them last. */
  const serverWorkspaces = shallowRef<ServerWorkspace[]>([])

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

  // ---- the account's workspaces on the server ----------------------------

  /** Creates a workspace made on this device on the server too, under the same id. Offline it waits for the next refresh. */
  async function publish(workspace: Workspace): Promise<void> {
    try {
      const { workspace: created } = await environment.client.request('POST', '/api/workspaces', OneServerWorkspace, { id: workspace.id, name: workspace.name })
      serverWorkspaces.value = [...serverWorkspaces.value.filter(w => w.id !== created.id), created]
    }
    catch (error) {
      // Made offline: it syncs once the server has it, which the next refresh takes care of.
      if (isUnreachable(error) || (error instanceof ApiError && error.code === 'workspace_exists'))
        return
      throw error
    }
  }

  /** The account's workspaces from the server, or null when it cannot be reached (the reason goes to `listProblem`). */
  async function fetchServerWorkspaces(): Promise<ServerWorkspace[] | null> {
    try {
      const { workspaces: list } = await environment.client.request('GET', '/api/workspaces', ServerWorkspaceList)
      listProblem.value = null
      serverWorkspaces.value = list
      return list
    }
    catch (error) {
      listProblem.value = error instanceof Error ? error.message : String(error)
      return null
    }
  }

  /** Team workspaces made here while the server was unreachable: made on the server now. */
  async function publishPending(db: PigeonDb, list: readonly ServerWorkspace[]): Promise<void> {
    const onServer = new Set(list.map(w => w.id))
    const pending = (await listLocalWorkspaces(db)).filter(w => w.kind === 'team' && !onServer.has(w.id))
    for (const workspace of pending) {
      await publish(workspace).catch((error: unknown) => console.error(error instanceof Error ? error.message : error))
      // Its socket was refused while the server did not know it (4404); now it can connect.
      if (connection.value?.workspaceId === workspace.id && serverWorkspaces.value.some(w => w.id === workspace.id))
        connection.value.connect()
    }
  }

  /** Asks the server for the account's workspaces again and registers new ones here (e.g. made on another device). */
  async function refreshWorkspaces(): Promise<void> {
    if (!workspaces.account)
      return
    const db = workspaces.db
    const list = await fetchServerWorkspaces()
    if (!list || workspaces.db !== db)
      return
    await registerServerWorkspaces(db, list)
    await publishPending(db, list)
  }

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
    const account: WorkspacesAccount = { userId, publish }
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

  async function connectActive(): Promise<void> {
    const account = workspaces.account
    const workspaceId = workspaces.activeWorkspaceId
    const wanted = account && workspaces.handle && workspaceId && workspaceId !== SCRATCH_PAD_ID ? workspaceId : null
    if (connection.value && connection.value.workspaceId === wanted && connection.value.workspace.db === workspaces.db)
      return
    await closeConnection()
    if (!account || !wanted)
      return
    const opened = await syncWorkspace(workspaces.db, wanted, account.userId, {
      serverUrl: environment.serverUrl,
      WebSocketPolyfill: environment.WebSocketPolyfill,
      maxBackoffTime: environment.maxBackoffTime,
      online: browserOnline.value,
    })
    if (workspaces.account !== account || workspaces.activeWorkspaceId !== wanted) {
      await opened.close() // Switched again meanwhile.
      return
    }
    connection.value = opened
    remoteStatus.value = opened.status
    let wasInSync = opened.status.state === 'inSync'
    stopWatching = opened.onStatus((next) => {
      remoteStatus.value = next
      // Signed out elsewhere (revoked, account deleted): tell the person and go back to the
      // Scratch Pad. The account's database stays on this device, unsynced changes included,
      // until they sign in again.
      if (next.error?.code === CLOSE_UNAUTHORIZED) {
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

  watch(signedInUserId, userId => void applyAccount(userId), { immediate: true })
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
    whenInSync,
    setBrowserOnline,
    settled,
  }
})
