/**
 * The account's workspaces on the server, as the sync store keeps them on
 * this device: new ones registered here, ones made here (offline too)
 * created there, renames sent both ways, and ones the server no longer has
 * for this account dropped, or kept and reported while they hold changes
 * the server never acked (src/domain/serverWorkspaces.ts decides which).
 * Used only by the sync store, which owns the connection it reads.
 */
import type { ShallowRef } from 'vue'
import type { PigeonDb } from '../db/schema'
import type { Workspace } from '../domain/model'
import type { SyncStatus } from '../sync/remote/status'
import type { WorkspaceSync } from '../sync/remote/workspaceSync'
import type { SyncEnvironment } from './sync'
import type { useWorkspacesStore } from './workspaces'
import { ref, shallowRef, watch } from 'vue'
import { z } from 'zod/mini'
import { ApiError, isUnreachable } from '../api'
import { WorkspaceSchema } from '../api/schemas'
import { countUnackedInWorkspace, readWorkspaceExport } from '../db/accountData'
import { listWorkspaces as listLocalWorkspaces } from '../db/queries'
import { listRegistryRows, markRenamePending, readWorkspace, setRegistryName } from '../db/registry'
import { fateOfUnlisted, type LostWorkspace, planRefresh, type PublishOutcome, renameRefusal } from '../domain/serverWorkspaces'
import { CLOSE_FORBIDDEN, CLOSE_NOT_FOUND } from '../domain/syncProtocol'
import { deleteWorkspace, registerListedWorkspace, renameWorkspace } from '../sync/workspaceDocs'

const ServerWorkspaceList = z.object({ workspaces: z.array(WorkspaceSchema) })
const OneServerWorkspace = z.object({ workspace: WorkspaceSchema })
export type ServerWorkspace = z.infer<typeof WorkspaceSchema>

export interface AccountWorkspacesContext {
  environment: SyncEnvironment
  workspaces: ReturnType<typeof useWorkspacesStore>
  /** The active workspace's connection (the sync store's). */
  connection: ShallowRef<WorkspaceSync | null>
  remoteStatus: ShallowRef<SyncStatus | null>
}

export function useAccountWorkspaces({ environment, workspaces, connection, remoteStatus }: AccountWorkspacesContext) {
  /** Why the account's workspaces could not be loaded at the last try, or null. */
  const listProblem = ref<string | null>(null)
  /** The account's workspaces as the server listed them last. */
  const serverWorkspaces = shallowRef<ServerWorkspace[]>([])

  /**
   * Registers on this device every workspace the account has on the server,
   * under the server's id, and takes the names given on other devices.
   */
  async function registerServerWorkspaces(db: PigeonDb, list: readonly ServerWorkspace[]): Promise<void> {
    const plan = planRefresh(await listRegistryRows(db), list)
    for (const workspace of plan.register)
      await registerListedWorkspace(db, workspace)
    for (const { id, name } of plan.takeServerName)
      await setRegistryName(db, id, name, false)
    for (const id of plan.clearPending)
      await markRenamePending(db, id, false)
  }

  /** Creates a workspace made on this device on the server too, under the same id. Offline it waits for the next refresh. */
  async function publish(workspace: Workspace): Promise<void> {
    const outcome = await publishOutcome(workspace)
    if (outcome === 'gone')
      throw new Error(`The server no longer has the workspace '${workspace.name}' (it was deleted, or you were removed from it), so it cannot sync.`)
  }

  /** Asks the server to create a workspace under this device's id and tells what that says about it (see `fateOfUnlisted`). */
  async function publishOutcome(workspace: Workspace): Promise<PublishOutcome> {
    try {
      const { workspace: created } = await environment.client.request('POST', '/api/workspaces', OneServerWorkspace, { id: workspace.id, name: workspace.name })
      remember(created)
      return 'created'
    }
    catch (error) {
      // Made offline: it syncs once the server has it, which the next refresh takes care of.
      if (isUnreachable(error))
        return 'unreachable'
      if (error instanceof ApiError && error.code === 'workspace_deleted')
        return 'gone'
      if (error instanceof ApiError && error.code === 'workspace_exists')
        return memberOf(workspace.id)
      throw error
    }
  }

  /** The id exists on the server: 'member' when this person can still open it, else 'gone'. */
  async function memberOf(workspaceId: string): Promise<PublishOutcome> {
    try {
      const { workspace } = await environment.client.request('GET', `/api/workspaces/${encodeURIComponent(workspaceId)}`, OneServerWorkspace)
      remember(workspace)
      return 'member'
    }
    catch (error) {
      if (isUnreachable(error))
        return 'unreachable'
      if (error instanceof ApiError && error.status === 404)
        return 'gone'
      throw error
    }
  }

  function remember(workspace: ServerWorkspace): void {
    serverWorkspaces.value = [...serverWorkspaces.value.filter(w => w.id !== workspace.id), workspace]
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

  /**
   * What this device owes the server, and what the server no longer has:
   * renames made offline are sent; team workspaces made offline are created
   * there; a workspace the server no longer lists for this account is
   * dropped, or kept and reported in `lostWorkspaces` while it holds changes
   * the server never acked.
   */
  async function publishPending(db: PigeonDb, list: readonly ServerWorkspace[]): Promise<void> {
    const plan = planRefresh(await listRegistryRows(db), list)
    for (const { id, name } of plan.sendName)
      await sendRename(db, id, name).catch((error: unknown) => console.error(error instanceof Error ? error.message : error))
    for (const workspace of plan.unlisted) {
      const outcome = await publishOutcome(workspace).catch((error: unknown) => {
        console.error(error instanceof Error ? error.message : error)
        return 'unreachable' as const
      })
      const fate = fateOfUnlisted(outcome, outcome === 'gone' ? await countUnackedInWorkspace(db, workspace.id) : 0)
      if (fate === 'drop')
        await dropWorkspace(db, workspace.id)
      else if (fate === 'ask')
        await reportLost(db, workspace)
      // Its socket was refused while the server did not know it (4404); now it can connect.
      else if (connection.value?.workspaceId === workspace.id && serverWorkspaces.value.some(w => w.id === workspace.id))
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

  /**
   * Renames a synced workspace here and on the server (owners only). Offline
   * the name is kept here and sent on the next refresh. A refusal changes
   * nothing and says why.
   */
  async function renameOnServer(workspaceId: string, name: string): Promise<void> {
    const db = workspaces.db
    const here = await readWorkspace(db, workspaceId)
    if (!here)
      throw new Error('That workspace is no longer on this device; it may have been deleted in another tab.')
    const refusal = renameRefusal(here, serverWorkspaces.value.find(w => w.id === workspaceId))
    if (refusal)
      throw new Error(refusal)
    await renameWorkspace(db, workspaceId, name)
    if (here.kind === 'local')
      return
    if (!serverWorkspaces.value.some(w => w.id === workspaceId)) {
      // The list has not come yet (or it is not on the server yet): the next refresh sends the name.
      await markRenamePending(db, workspaceId, true)
      return
    }
    try {
      await sendRename(db, workspaceId, name.trim())
    }
    catch (error) {
      // Refused after all (e.g. no longer an owner): the old name comes back and the reason is shown.
      await renameWorkspace(db, workspaceId, here.name)
      throw error
    }
  }

  async function sendRename(db: PigeonDb, workspaceId: string, name: string): Promise<void> {
    try {
      const { workspace } = await environment.client.request('PATCH', `/api/workspaces/${encodeURIComponent(workspaceId)}`, OneServerWorkspace, { name })
      remember(workspace)
      await markRenamePending(db, workspaceId, false)
    }
    catch (error) {
      if (!isUnreachable(error))
        throw error
      await markRenamePending(db, workspaceId, true)
    }
  }

  /**
   * Deleting a synced workspace on this device: an owner deletes it for
   * everyone, anyone else leaves it, or the next refresh would bring it back.
   * Offline nothing is deleted (it would come back) and the sentence says so.
   * A workspace the server never had (made offline) needs nothing there.
   */
  async function removeOnServer(workspaceId: string): Promise<void> {
    const listed = serverWorkspaces.value.find(w => w.id === workspaceId)
    if (!listed)
      return
    const path = `/api/workspaces/${encodeURIComponent(workspaceId)}`
    const owner = listed.role === 'owner'
    try {
      await environment.client.send(owner ? 'DELETE' : 'POST', owner ? path : `${path}/leave`)
    }
    catch (error) {
      if (isUnreachable(error))
        throw new Error(`The server cannot be reached, so '${listed.name}' cannot be ${owner ? 'deleted for everyone' : 'left'} now. Nothing was deleted; try again when you are online.`)
      // Already gone there: deleting it here is all that is left.
      if (!(error instanceof ApiError && error.status === 404))
        throw error
    }
    serverWorkspaces.value = serverWorkspaces.value.filter(w => w.id !== workspaceId)
  }

  // ---- workspaces the server no longer has for this account --------------

  /** Kept here because they hold changes the server never acked; the person exports or discards them. */
  const lostWorkspaces = ref<LostWorkspace[]>([])

  async function dropWorkspace(db: PigeonDb, workspaceId: string): Promise<void> {
    lostWorkspaces.value = lostWorkspaces.value.filter(w => w.id !== workspaceId)
    if (workspaces.db !== db) {
      await deleteWorkspace(db, workspaceId)
      return
    }
    // When it is open, the personal workspace opens instead.
    const personal = (await listLocalWorkspaces(db)).find(w => w.kind === 'personal')
    if (personal && workspaces.activeWorkspaceId === workspaceId)
      await workspaces.switchTo(personal.id)
    await workspaces.remove(workspaceId)
  }

  async function reportLost(db: PigeonDb, workspace: { id: string, name: string }): Promise<void> {
    const unacked = await countUnackedInWorkspace(db, workspace.id)
    const others = lostWorkspaces.value.filter(w => w.id !== workspace.id)
    lostWorkspaces.value = [...others, { id: workspace.id, name: workspace.name, unacked }]
  }

  /** The lost workspace's contents as Pigeon JSON (the account export's shape), for the person to save. */
  async function exportLostWorkspace(workspaceId: string): Promise<string> {
    return JSON.stringify(await readWorkspaceExport(workspaces.db, workspaceId), null, 2)
  }

  /** Removes the lost workspace from this device, unsaved changes included. */
  async function discardLostWorkspace(workspaceId: string): Promise<void> {
    await dropWorkspace(workspaces.db, workspaceId)
  }

  // Refused by the server (removed from it, or deleted): look at the list now, not at the next reconnect.
  watch(() => remoteStatus.value?.error?.code, (code) => {
    if (code === CLOSE_FORBIDDEN || code === CLOSE_NOT_FOUND)
      void refreshWorkspaces()
  })
  // Another account, or signed out: those notices were about the other database.
  watch(() => workspaces.db, () => { lostWorkspaces.value = [] }, { flush: 'sync' })

  return {
    listProblem,
    serverWorkspaces,
    fetchServerWorkspaces,
    registerServerWorkspaces,
    publish,
    publishPending,
    refreshWorkspaces,
    renameOnServer,
    removeOnServer,
    lostWorkspaces,
    exportLostWorkspace,
    discardLostWorkspace,
  }
}
