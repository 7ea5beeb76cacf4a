/** Workspaces: list mine, create a team workspace, read, rename, delete: /api/workspaces… */
import type { AccountsModule } from './module.js'
import type { WorkspaceRecord } from '../storage/accountsStore.js'
import { z } from 'zod'
import { HttpError, sendJson } from '../http/respond.js'
import { newPublicId } from '../auth/tokens.js'
import { apiRoute, logEvent, readBodyAs, requireSession } from './http.js'
import { requireMember, requireOwner } from './workspaceAccess.js'
import { memberView, workspaceView } from './views.js'

const name = z.string().trim().min(1, 'a workspace needs a name').max(200, 'a workspace name has at most 200 characters')
const CreateBody = z.object({
  /** Optional id made by the app (offline creation); it goes into document names, hence the characters. */
  id: z.string().regex(/^[\w-]{1,64}$/, 'a workspace id has 1 to 64 letters, digits, _ or -').optional(),
  name,
})
const RenameBody = z.object({ name })

export function workspaceRoutes(module: AccountsModule) {
  const { app, store } = module
  return [
    apiRoute(module, 'GET', '/api/workspaces', async (ctx) => {
      const session = await requireSession(module, ctx)
      const memberships = await store.listMemberships(session.userId)
      sendJson(ctx.res, 200, { workspaces: memberships.map(m => workspaceView(m.workspace, m.role)) })
    }),

    apiRoute(module, 'POST', '/api/workspaces', async (ctx) => {
      const session = await requireSession(module, ctx)
      const body = await readBodyAs(ctx, CreateBody)
      const id = body.id ?? newPublicId()
      const existing = await store.findWorkspace(id)
      if (existing?.deletedAt != null)
        throw new HttpError(409, 'This workspace was deleted and cannot be brought back. Create a new one, or import an export of it.', 'workspace_deleted')
      if (existing)
        throw new HttpError(409, 'A workspace with this id exists already. Let the app choose another id.', 'workspace_exists')
      const now = Date.now()
      const workspace: WorkspaceRecord = { id, name: body.name, kind: 'team', ownerId: session.userId, createdAt: now, updatedAt: now, deletedAt: null }
      await store.createWorkspace(workspace)
      logEvent(module, ctx, 'workspace_created', { userId: session.userId, workspaceId: id })
      sendJson(ctx.res, 201, { workspace: workspaceView(workspace, 'owner') })
    }),

    apiRoute(module, 'GET', '/api/workspaces/:workspaceId', async (ctx) => {
      const session = await requireSession(module, ctx)
      const { workspace, role } = await requireMember(store, ctx.params.workspaceId, session.userId)
      const members = await store.listMembers(workspace.id)
      sendJson(ctx.res, 200, { workspace: workspaceView(workspace, role), members: members.map(memberView) })
    }),

    apiRoute(module, 'PATCH', '/api/workspaces/:workspaceId', async (ctx) => {
      const session = await requireSession(module, ctx)
      const { workspace, role } = await requireOwner(store, ctx.params.workspaceId, session.userId)
      const body = await readBodyAs(ctx, RenameBody)
      const now = Date.now()
      await store.renameWorkspace(workspace.id, body.name, now)
      sendJson(ctx.res, 200, { workspace: workspaceView({ ...workspace, name: body.name, updatedAt: now }, role) })
    }),

    apiRoute(module, 'DELETE', '/api/workspaces/:workspaceId', async (ctx) => {
      const session = await requireSession(module, ctx)
      const { workspace } = await requireOwner(store, ctx.params.workspaceId, session.userId)
      if (workspace.kind === 'personal')
        throw new HttpError(400, 'Your personal workspace cannot be deleted on its own; it goes when you delete your account.', 'personal_workspace')
      await store.tombstoneWorkspace(workspace.id, Date.now())
      app.events.emit('workspaceDeleted', { workspaceId: workspace.id })
      logEvent(module, ctx, 'workspace_deleted', { userId: session.userId, workspaceId: workspace.id })
      ctx.res.writeHead(204).end()
    }),
  ]
}
