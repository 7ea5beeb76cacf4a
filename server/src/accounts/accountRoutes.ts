/** Deleting one's own account: POST /api/account/delete (password required). */
import type { AccountsModule } from './module.js'
import { z } from 'zod'
import { HttpError } from '../http/respond.js'
import { enforceLimits } from '../http/rateLimit.js'
import { clearSessionCookie } from '../auth/sessionCookie.js'
import { apiRoute, logEvent, readBodyAs, requireSession } from './http.js'

const DeleteAccountBody = z.object({ password: z.string().max(2000) })

export function accountRoutes(module: AccountsModule) {
  const { app, store, sessions, passwords, limits } = module
  return [
    apiRoute(module, 'POST', '/api/account/delete', async (ctx) => {
      const current = await requireSession(module, ctx)
      const { password } = await readBodyAs(ctx, DeleteAccountBody)
      // A stolen cookie must not be a way to guess the password faster than sign-in allows.
      const key = `user:${current.userId}`
      enforceLimits([[limits.signInPerAccount, key]])
      const user = await store.findUserById(current.userId)
      if (!user || !(await passwords.check(password, user.passwordHash))) {
        limits.signInPerAccount.hit(key)
        throw new HttpError(403, 'That password is not right, so your account was not deleted.', 'wrong_password')
      }

      const deleted = await store.deleteUser(user.id, Date.now())
      for (const session of deleted.sessions)
        sessions.announce(session, 'account_deleted')
      app.events.emit('accountDeleted', { userId: user.id })
      for (const workspaceId of deleted.deletedWorkspaceIds)
        app.events.emit('workspaceDeleted', { workspaceId })
      for (const { workspaceId, userId } of deleted.newOwners) {
        app.events.emit('memberRemoved', { workspaceId, userId: user.id })
        app.events.emit('roleChanged', { workspaceId, userId, role: 'owner' })
      }
      for (const workspaceId of deleted.leftWorkspaceIds)
        app.events.emit('memberRemoved', { workspaceId, userId: user.id })

      logEvent(module, ctx, 'account_deleted', { userId: user.id, deletedWorkspaces: deleted.deletedWorkspaceIds.length, handedOver: deleted.newOwners.length })
      clearSessionCookie(ctx.req, ctx.res, app.config)
      ctx.res.writeHead(204).end()
    }),
  ]
}
