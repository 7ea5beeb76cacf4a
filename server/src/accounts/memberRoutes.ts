/** Workspace members: list, invite, change role, remove, leave: /api/workspaces/:id/members… */
import type { AccountsModule } from './module.js'
import { z } from 'zod'
import { HttpError, sendJson } from '../http/respond.js'
import { normalizeLogin } from '../auth/rules.js'
import { apiRoute, logEvent, readBodyAs, requireSession } from './http.js'
import { refuseLastOwner, requireMember, requireOwner } from './workspaceAccess.js'
import { memberView } from './views.js'

const InviteBody = z.object({
  /** Username or email of an existing account. */
  user: z.string().max(300),
  role: z.enum(['editor', 'viewer']),
})
const RoleBody = z.object({ role: z.enum(['owner', 'editor', 'viewer']) })

export function memberRoutes(module: AccountsModule) {
  const { app, store } = module

  /** Removes `userId` from the workspace and closes their sockets on it. */
  async function removeMember(workspaceId: string, userId: string): Promise<void> {
    await store.removeMember(workspaceId, userId)
    app.events.emit('memberRemoved', { workspaceId, userId })
  }

  return [
    apiRoute(module, 'GET', '/api/workspaces/:workspaceId/members', async (ctx) => {
      const session = await requireSession(module, ctx)
      const { workspace } = await requireMember(store, ctx.params.workspaceId, session.userId)
      sendJson(ctx.res, 200, { members: (await store.listMembers(workspace.id)).map(memberView) })
    }),

    apiRoute(module, 'POST', '/api/workspaces/:workspaceId/members', async (ctx) => {
      const session = await requireSession(module, ctx)
      const { workspace } = await requireOwner(store, ctx.params.workspaceId, session.userId)
      const body = await readBodyAs(ctx, InviteBody)
      if (workspace.kind === 'personal')
        throw new HttpError(400, 'A personal workspace cannot be shared. Create a team workspace and invite people there.', 'personal_workspace')
      const invitee = await store.findUserByLogin(normalizeLogin(body.user))
      if (!invitee)
        throw new HttpError(404, 'No account has this username or email address. Check the spelling, or ask them to sign up first.', 'no_such_user')
      if (await store.findRole(workspace.id, invitee.id))
        throw new HttpError(409, `${invitee.username} is a member already. Change their role instead.`, 'already_member')
      const now = Date.now()
      await store.setMember(workspace.id, invitee.id, body.role, now)
      logEvent(module, ctx, 'member_added', { userId: session.userId, workspaceId: workspace.id, memberId: invitee.id, role: body.role })
      sendJson(ctx.res, 201, { member: memberView({ userId: invitee.id, username: invitee.username, email: invitee.email, role: body.role, joinedAt: now }) })
    }),

    apiRoute(module, 'PATCH', '/api/workspaces/:workspaceId/members/:userId', async (ctx) => {
      const session = await requireSession(module, ctx)
      const { workspace } = await requireOwner(store, ctx.params.workspaceId, session.userId)
      const { role } = await readBodyAs(ctx, RoleBody)
      const member = (await store.listMembers(workspace.id)).find(m => m.userId === ctx.params.userId)
      if (!member)
        throw new HttpError(404, 'This person is not a member of the workspace. Reload the list of members.', 'no_such_member')
      if (role !== 'owner')
        await refuseLastOwner(store, workspace.id, member.userId)
      if (workspace.kind === 'personal' && role !== 'owner')
        throw new HttpError(400, 'The owner of a personal workspace stays its owner.', 'personal_workspace')
      await store.setMember(workspace.id, member.userId, role, Date.now())
      app.events.emit('roleChanged', { workspaceId: workspace.id, userId: member.userId, role })
      logEvent(module, ctx, 'member_role_changed', { userId: session.userId, workspaceId: workspace.id, memberId: member.userId, role })
      sendJson(ctx.res, 200, { member: memberView({ ...member, role }) })
    }),

    apiRoute(module, 'DELETE', '/api/workspaces/:workspaceId/members/:userId', async (ctx) => {
      const session = await requireSession(module, ctx)
      const targetId = ctx.params.userId
      // Removing yourself is leaving, which any member may do; removing others is for owners.
      const { workspace } = targetId === session.userId
        ? await requireMember(store, ctx.params.workspaceId, session.userId)
        : await requireOwner(store, ctx.params.workspaceId, session.userId)
      if (!(await store.findRole(workspace.id, targetId)))
        throw new HttpError(404, 'This person is not a member of the workspace. Reload the list of members.', 'no_such_member')
      if (workspace.kind === 'personal')
        throw new HttpError(400, 'You cannot leave your personal workspace; it goes when you delete your account.', 'personal_workspace')
      await refuseLastOwner(store, workspace.id, targetId)
      await removeMember(workspace.id, targetId)
      logEvent(module, ctx, 'member_removed', { userId: session.userId, workspaceId: workspace.id, memberId: targetId })
      ctx.res.writeHead(204).end()
    }),

    apiRoute(module, 'POST', '/api/workspaces/:workspaceId/leave', async (ctx) => {
      const session = await requireSession(module, ctx)
      const { workspace } = await requireMember(store, ctx.params.workspaceId, session.userId)
      if (workspace.kind === 'personal')
        throw new HttpError(400, 'You cannot leave your personal workspace; it goes when you delete your account.', 'personal_workspace')
      await refuseLastOwner(store, workspace.id, session.userId)
      await removeMember(workspace.id, session.userId)
      logEvent(module, ctx, 'member_left', { userId: session.userId, workspaceId: workspace.id })
      ctx.res.writeHead(204).end()
    }),
  ]
}
