/**
 * What a device does with its workspaces after asking the server for the
 * account's list: register new ones, take renames made elsewhere, send its
 * own renames made offline, and decide the fate of workspaces the server no
 * longer lists. Pure: the stores and src/db carry the plan out.
 */

export type WorkspaceKind = 'local' | 'personal' | 'team'
export type ServerRole = 'owner' | 'editor' | 'viewer'

/** A workspace as this device's registry knows it. */
export interface DeviceWorkspace {
  id: string
  name: string
  kind: WorkspaceKind
  /** Renamed here while the server could not be told: its name goes to the server on the next refresh. */
  renamePending?: boolean
}

/** A workspace as the server lists it for this account. */
export interface ListedWorkspace {
  id: string
  name: string
  kind: 'personal' | 'team'
  role: ServerRole
}

export interface RefreshPlan<T extends DeviceWorkspace = DeviceWorkspace> {
  /** On the server but not on this device (made on another device, or shared with this person). */
  register: ListedWorkspace[]
  /** Renamed elsewhere: this device takes the server's name. */
  takeServerName: Array<{ id: string, name: string }>
  /** Renamed here while offline: the server gets this device's name. */
  sendName: Array<{ id: string, name: string }>
  /**
   * Synced workspaces here that the server does not list: made offline and
   * not published yet, or deleted / access removed. Publishing tells which
   * (see `fateOfUnlisted`).
   */
  unlisted: T[]
  /** Renamed offline to the name the server has now anyway: nothing left to send. */
  clearPending: string[]
}

/** Compares this device's workspaces with the server's list. */
export function planRefresh<T extends DeviceWorkspace>(device: readonly T[], server: readonly ListedWorkspace[]): RefreshPlan<T> {
  const here = new Map(device.map(w => [w.id, w]))
  const listed = new Set(server.map(w => w.id))
  const plan: RefreshPlan<T> = { register: [], takeServerName: [], sendName: [], unlisted: [], clearPending: [] }
  for (const workspace of server) {
    const local = here.get(workspace.id)
    if (!local)
      plan.register.push(workspace)
    else if (local.renamePending && local.name !== workspace.name && workspace.role === 'owner')
      plan.sendName.push({ id: local.id, name: local.name })
    else if (local.name !== workspace.name)
      // Someone else renamed it, or this device may not rename it (no longer an owner): the server's name wins.
      plan.takeServerName.push({ id: workspace.id, name: workspace.name })
    else if (local.renamePending)
      plan.clearPending.push(local.id)
  }
  for (const workspace of device) {
    // Only team workspaces come and go; the personal one goes only with the account, local ones never sync.
    if (workspace.kind === 'team' && !listed.has(workspace.id))
      plan.unlisted.push(workspace)
  }
  return plan
}

/** What asking the server to create an unlisted workspace (under its own id) answered. */
export type PublishOutcome =
  /** It did not exist: it was made offline here and now it is on the server. */
  | 'created'
  /** It exists and this person is a member after all (e.g. another tab published it meanwhile). */
  | 'member'
  /** Deleted on the server, or it exists and this person is no longer a member. */
  | 'gone'
  /** No answer: nothing can be decided now. */
  | 'unreachable'

export type UnlistedFate =
  /** Keep it and sync it as usual. */
  | 'keep'
  /** Remove it from this device: nothing here is missing on the server. */
  | 'drop'
  /** Keep it, and tell the person their changes here did not reach the server: export or discard. */
  | 'ask'

/**
 * The fate of a workspace the server does not list. A workspace made offline
 * always has unacked changes (its first update), so it is never dropped
 * silently even when the answer is misread.
 */
export function fateOfUnlisted(outcome: PublishOutcome, unackedChanges: number): UnlistedFate {
  if (outcome !== 'gone')
    return 'keep'
  return unackedChanges > 0 ? 'ask' : 'drop'
}

/** A workspace kept here after the server stopped listing it, with unsaved changes. */
export interface LostWorkspace {
  id: string
  name: string
  unacked: number
}

/** The notice about a lost workspace, in words. */
export function lostWorkspaceSentence(lost: LostWorkspace): string {
  const changes = lost.unacked === 1 ? '1 change' : `${lost.unacked} changes`
  const verb = lost.unacked === 1 ? 'was' : 'were'
  return `You no longer have access to '${lost.name}'. ${changes} made here ${verb} not saved on the server: export them or discard them.`
}

/** Why a rename was refused before anything changed, or null when this person may rename it. */
export function renameRefusal(workspace: DeviceWorkspace, listed: ListedWorkspace | undefined): string | null {
  if (workspace.kind === 'local' || !listed || listed.role === 'owner')
    return null
  return `Only an owner of '${listed.name}' can rename it; you are ${listed.role === 'editor' ? 'an editor' : 'a viewer'}. Ask one of its owners to rename it.`
}
