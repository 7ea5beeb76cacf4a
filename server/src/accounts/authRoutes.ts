/** Sign up, sign in, sign out and who-am-I: /api/auth/… */
import type { AccountsModule } from './module.js'
import type { SessionRecord, UserRecord } from '../storage/accountsStore.js'
import type { RouteContext } from '../http/router.js'
import { z } from 'zod'
import { HttpError, sendJson } from '../http/respond.js'
import { clientAddress, enforceLimits } from '../http/rateLimit.js'
import { emailProblem, normalizeLogin, passwordProblem, usernameProblem } from '../auth/rules.js'
import { needsRehash } from '../auth/passwords.js'
import { newPublicId } from '../auth/tokens.js'
import { clearSessionCookie, setSessionCookie } from '../auth/sessionCookie.js'
import { apiRoute, logEvent, readBodyAs, requireSession } from './http.js'
import { deviceFields, deviceInfo } from './deviceFields.js'
import { deviceView, sessionView, userView, workspaceView } from './views.js'

const SignUpBody = z.object({
  email: z.string().max(300),
  username: z.string().max(100),
  password: z.string().max(2000),
  ...deviceFields,
})

const SignInBody = z.object({
  /** Email or username. */
  login: z.string().max(300),
  password: z.string().max(2000),
  /** When the account is at its device limit: the session to sign out to make room. */
  signOutSessionId: z.string().max(100).optional(),
  ...deviceFields,
})

export const WRONG_CREDENTIALS = 'Wrong email/username or password.'

export function authRoutes(module: AccountsModule) {
  const { app, store, sessions, passwords, limits } = module

  function signedIn(ctx: RouteContext, status: number, user: UserRecord, token: string, session: SessionRecord, extra: Record<string, unknown> = {}): void {
    setSessionCookie(ctx.req, ctx.res, app.config, token)
    logEvent(module, ctx, 'signed_in', { userId: user.id, sessionId: session.id, deviceId: session.deviceId })
    sendJson(ctx.res, status, { user: userView(user), session: sessionView(session, session.id), ...extra })
  }

  return [
    apiRoute(module, 'POST', '/api/auth/signup', async (ctx) => {
      const body = await readBodyAs(ctx, SignUpBody)
      const email = normalizeLogin(body.email)
      const username = normalizeLogin(body.username)
      const address = clientAddress(ctx.req, app.config)
      enforceLimits([[limits.signUpPerAddress, address], [limits.signUpPerAccount, email]])
      limits.signUpPerAddress.hit(address)
      limits.signUpPerAccount.hit(email)

      const problem = emailProblem(email) ?? usernameProblem(username) ?? passwordProblem(body.password, { username, email })
      if (problem)
        throw new HttpError(400, problem, 'invalid_signup')
      if (await store.findUserByUsername(username))
        throw new HttpError(409, `The username "${username}" is taken. Choose another one.`, 'username_taken')
      if (await store.findUserByEmail(email))
        throw new HttpError(409, 'An account with this email address exists. Sign in, or use "Forgot password?" to get back in.', 'email_taken')

      const now = Date.now()
      const user: UserRecord = { id: newPublicId(), email, username, passwordHash: await passwords.hash(body.password), createdAt: now, updatedAt: now }
      const personal = { id: newPublicId(), name: 'Personal', kind: 'personal' as const, ownerId: user.id, createdAt: now, updatedAt: now, deletedAt: null }
      try {
        await store.createUser(user, personal)
      }
      catch (err) {
        // Two sign-ups raced for the same name while the password was hashing.
        if (/UNIQUE/.test((err as Error).message))
          throw new HttpError(409, 'That username or email address was just taken. Choose another one.', 'taken')
        throw err
      }
      logEvent(module, ctx, 'signed_up', { userId: user.id })
      const started = await sessions.start(user.id, deviceInfo(ctx.req, body))
      if (started.kind !== 'signed_in')
        throw new Error('A new account cannot be at its device limit.')
      signedIn(ctx, 201, user, started.token, started.session, { workspaces: [workspaceView(personal, 'owner')] })
    }),

    apiRoute(module, 'POST', '/api/auth/signin', async (ctx) => {
      const body = await readBodyAs(ctx, SignInBody)
      const login = normalizeLogin(body.login)
      const address = clientAddress(ctx.req, app.config)
      enforceLimits([[limits.signInPerAddress, address], [limits.signInPerAccount, login]])
      limits.signInPerAddress.hit(address)

      const user = login ? await store.findUserByLogin(login) : null
      const ok = await passwords.check(body.password, user?.passwordHash ?? null)
      if (!user || !ok) {
        limits.signInPerAccount.hit(login)
        logEvent(module, ctx, 'sign_in_failed', { address })
        throw new HttpError(401, WRONG_CREDENTIALS, 'wrong_credentials')
      }
      if (needsRehash(user.passwordHash, passwords.params))
        await store.setPasswordHash(user.id, await passwords.hash(body.password), Date.now())

      const started = await sessions.start(user.id, deviceInfo(ctx.req, body), body.signOutSessionId)
      if (started.kind === 'device_limit') {
        throw new HttpError(409, `Your account is signed in on ${started.devices.length} devices, the most it may use at once. Sign one of them out to continue here.`, 'device_limit', {
          devices: started.devices.map(deviceView),
        })
      }
      signedIn(ctx, 200, user, started.token, started.session)
    }),

    apiRoute(module, 'POST', '/api/auth/signout', async (ctx) => {
      const resolved = await sessions.resolve(ctx.req)
      if (resolved) {
        await sessions.end(resolved.session.id, 'signed_out')
        logEvent(module, ctx, 'signed_out', { userId: resolved.session.userId, sessionId: resolved.session.id })
      }
      clearSessionCookie(ctx.req, ctx.res, app.config)
      ctx.res.writeHead(204).end()
    }),

    apiRoute(module, 'GET', '/api/auth/me', async (ctx) => {
      const session = await requireSession(module, ctx)
      const user = await store.findUserById(session.userId)
      if (!user)
        throw new HttpError(401, 'This account no longer exists. Sign up or sign in with another account.', 'not_signed_in')
      sendJson(ctx.res, 200, { user: userView(user), session: sessionView(session, session.id) })
    }),
  ]
}
