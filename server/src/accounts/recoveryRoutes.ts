/**
 * Password recovery and username reminder: /api/auth/forgot-password,
 * /api/auth/forgot-username, /api/auth/reset-password. The first two answer
 * the same (status, body, about the same time) whether or not an account
 * matches: the token and the mail are made after the answer, in the background.
 */
import type { AccountsModule } from './module.js'
import type { RouteContext } from '../http/router.js'
import { z } from 'zod'
import { HttpError, sendJson } from '../http/respond.js'
import { clientAddress, enforceLimits } from '../http/rateLimit.js'
import { normalizeLogin, passwordProblem } from '../auth/rules.js'
import { hashToken, isSecretTokenShape, newSecretToken } from '../auth/tokens.js'
import { describeDuration, passwordResetMessage, usernameReminderMessage } from '../mail/recoveryMessages.js'
import { apiRoute, logEvent, readBodyAs } from './http.js'

const ForgotPasswordBody = z.object({ login: z.string().max(300) })
const ForgotUsernameBody = z.object({ email: z.string().max(300) })
const ResetPasswordBody = z.object({ token: z.string().max(200), password: z.string().max(2000) })

export const FORGOT_USERNAME_ANSWER = 'If an account uses this email address, its username is on its way there.'

export function recoveryRoutes(module: AccountsModule) {
  const { app, store, sessions, passwords, limits, mailer, settings } = module
  const validFor = describeDuration(settings.resetTokenTtlMs)
  const forgotPasswordAnswer = `If an account matches, a reset code is on its way to the account's email address. The code works once, within ${validFor}.`

  /** Counts the attempt for the identifier and the address, or throws the 429. */
  function limitRecovery(ctx: RouteContext, identifier: string): void {
    const address = clientAddress(ctx.req, app.config)
    enforceLimits([[limits.recoveryPerAddress, address], [limits.recoveryPerAccount, identifier]])
    limits.recoveryPerAddress.hit(address)
    limits.recoveryPerAccount.hit(identifier)
  }

  /**
   * Runs the work for an existing account after the answer is on its way, so
   * its database write and mail do not make that answer slower than the one
   * for an unknown account.
   */
  function afterAnswer(ctx: RouteContext, userId: string, work: () => Promise<void>): void {
    setImmediate(() => {
      work().catch((err: Error) => {
        app.log.error('recovery_mail_failed', { requestId: ctx.res.getHeader('x-request-id'), userId, error: err.message })
      })
    })
  }

  return [
    apiRoute(module, 'POST', '/api/auth/forgot-password', async (ctx) => {
      const login = normalizeLogin((await readBodyAs(ctx, ForgotPasswordBody)).login)
      limitRecovery(ctx, login)
      const user = login ? await store.findUserByLogin(login) : null
      sendJson(ctx.res, 202, { message: forgotPasswordAnswer })
      if (user) {
        logEvent(module, ctx, 'password_reset_requested', { userId: user.id })
        afterAnswer(ctx, user.id, async () => {
          const token = newSecretToken()
          const now = Date.now()
          await store.createResetToken({ tokenHash: hashToken(token), userId: user.id, createdAt: now, expiresAt: now + settings.resetTokenTtlMs, usedAt: null })
          await mailer.send(passwordResetMessage(user.email, user.username, token, validFor))
        })
      }
    }),

    apiRoute(module, 'POST', '/api/auth/forgot-username', async (ctx) => {
      const email = normalizeLogin((await readBodyAs(ctx, ForgotUsernameBody)).email)
      limitRecovery(ctx, email)
      const user = email ? await store.findUserByEmail(email) : null
      sendJson(ctx.res, 202, { message: FORGOT_USERNAME_ANSWER })
      if (user) {
        logEvent(module, ctx, 'username_reminder_requested', { userId: user.id })
        afterAnswer(ctx, user.id, () => mailer.send(usernameReminderMessage(user.email, user.username)))
      }
    }),

    apiRoute(module, 'POST', '/api/auth/reset-password', async (ctx) => {
      const body = await readBodyAs(ctx, ResetPasswordBody)
      const code = body.token.trim()
      limitRecovery(ctx, `reset:${hashToken(code)}`)
      const problem = passwordProblem(body.password)
      if (problem)
        throw new HttpError(400, problem, 'invalid_password')
      const used = isSecretTokenShape(code) ? await store.consumeResetToken(hashToken(code), Date.now()) : null
      if (!used)
        throw new HttpError(400, 'This reset code is wrong, used or expired. Ask for a new one with "Forgot password?".', 'invalid_token')
      await store.setPasswordHash(used.userId, await passwords.hash(body.password), Date.now())
      await sessions.endAll(used.userId, 'revoked')
      logEvent(module, ctx, 'password_reset', { userId: used.userId })
      sendJson(ctx.res, 200, { message: 'Your password is changed and every device is signed out. Sign in with the new password.' })
    }),
  ]
}
