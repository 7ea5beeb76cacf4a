/**
 * Who may do what in a workspace: members see it, owners manage it. A
 * non-member gets the same 404 as for a workspace that does not exist, so
 * workspace ids cannot be probed.
 */
import type { AccountStore, WorkspaceRecord, WorkspaceRole } from '../storage/accountsStore.js'
import type { WorkspaceAccess } from '../sync/access.js'
import { HttpError } from '../http/respond.js'

export interface Membership {
  workspace: WorkspaceRecord
  role: WorkspaceRole
}

/** The caller's membership of a live workspace, or the 404. */
export async function requireMember(store: AccountStore, workspaceId: string, userId: string): Promise<Membership> {
  const workspace = await store.findWorkspace(workspaceId)
  const role = workspace && workspace.deletedAt === null ? await store.findRole(workspaceId, userId) : null
  if (!workspace || !role)
    throw new HttpError(404, 'There is no workspace with this id, or you are not a member of it.', 'no_such_workspace')
  return { workspace, role }
}

/** The caller's membership when they own the workspace, else 404 (not a member) or 403. */
export async function requireOwner(store: AccountStore, workspaceId: string, userId: string): Promise<Membership> {
  const membership = await requireMember(store, workspaceId, userId)
  if (membership.role !== 'owner')
    throw new HttpError(403, `Only an owner of this workspace can do that; you are ${membership.role === 'editor' ? 'an editor' : 'a viewer'}.`, 'owner_only')
  return membership
}

/** The sync module's view: member with role, not a member, or missing (never existed or tombstoned). */
export async function workspaceAccess(store: AccountStore, userId: string, workspaceId: string): Promise<WorkspaceAccess> {
  const workspace = await store.findWorkspace(workspaceId)
  if (!workspace || workspace.deletedAt !== null)
    return { kind: 'missing' }
  const role = await store.findRole(workspaceId, userId)
  return role ? { kind: 'member', role } : { kind: 'not_member' }
}

export const LAST_OWNER_MESSAGE = 'You are the last owner of this workspace. Make another member an owner, or delete the workspace, first.'

/** Throws when `userId` is the workspace's only owner (they cannot leave or step down). */
export async function refuseLastOwner(store: AccountStore, workspaceId: string, userId: string): Promise<void> {
  const owners = (await store.listMembers(workspaceId)).filter(m => m.role === 'owner')
  if (owners.length === 1 && owners[0].userId === userId)
    throw new HttpError(409, LAST_OWNER_MESSAGE, 'last_owner')
}
