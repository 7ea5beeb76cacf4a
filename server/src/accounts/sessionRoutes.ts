/** A user's own sessions: list, rename this device, revoke any: /api/auth/sessions… */
import type { AccountsModule } from './module.js'
import { z } from 'zod'
import { HttpError, sendJson } from '../http/respond.js'
import { cleanDeviceName } from '../../../src/domain/deviceName.js'
import { clearSessionCookie } from '../auth/sessionCookie.js'
import { apiRoute, logEvent, readBodyAs, requireSession } from './http.js'
import { sessionView } from './views.js'

const RenameBody = z.object({ deviceName: z.string().max(200) })

export function sessionRoutes(module: AccountsModule) {
  const { app, store, sessions } = module
  return [
    apiRoute(module, 'GET', '/api/auth/sessions', async (ctx) => {
      const current = await requireSession(module, ctx)
      const list = await store.listSessions(current.userId, Date.now())
      sendJson(ctx.res, 200, { sessions: list.map(s => sessionView(s.id === current.id ? current : s, current.id)) })
    }),

    apiRoute(module, 'PATCH', '/api/auth/sessions/current', async (ctx) => {
      const current = await requireSession(module, ctx)
      const deviceName = cleanDeviceName((await readBodyAs(ctx, RenameBody)).deviceName)
      if (!deviceName)
        throw new HttpError(400, 'Give this device a name of 1 to 100 characters.', 'invalid_device_name')
      await store.renameDevice(current.id, deviceName)
      sendJson(ctx.res, 200, { session: sessionView({ ...current, deviceName }, current.id) })
    }),

    apiRoute(module, 'DELETE', '/api/auth/sessions/:sessionId', async (ctx) => {
      const current = await requireSession(module, ctx)
      const target = await store.findSession(ctx.params.sessionId)
      if (!target || target.userId !== current.userId)
        throw new HttpError(404, 'There is no session with this id on your account. Reload the list of sessions.', 'no_such_session')
      await sessions.end(target.id, target.id === current.id ? 'signed_out' : 'revoked')
      logEvent(module, ctx, 'session_revoked', { userId: current.userId, sessionId: target.id, by: current.id })
      if (target.id === current.id)
        clearSessionCookie(ctx.req, ctx.res, app.config)
      ctx.res.writeHead(204).end()
    }),
  ]
}
