/**
 * The accounts feature: storage, sessions, recovery mail, workspaces and
 * their routes, plus the hooks other modules use: the caller resolver (the
 * session cookie of an HTTP request or socket upgrade) and workspace access.
 */
import type { AppContext } from '../app.js'
import type { AccountsModule } from './module.js'
import { createSqliteAccountStore } from '../storage/accountsSqlite.js'
import { PasswordChecker, scryptParams } from '../auth/passwords.js'
import { SessionService } from '../auth/sessions.js'
import { createMailer } from '../mail/mailer.js'
import { createAccountLimits, pruneAccountLimits } from './limits.js'
import { workspaceAccess } from './workspaceAccess.js'
import { loadAccountsConfig } from './accountsConfig.js'
import { authRoutes } from './authRoutes.js'
import { sessionRoutes } from './sessionRoutes.js'
import { recoveryRoutes } from './recoveryRoutes.js'
import { accountRoutes } from './accountRoutes.js'
import { workspaceRoutes } from './workspaceRoutes.js'
import { memberRoutes } from './memberRoutes.js'

export function registerAccounts(app: AppContext): AccountsModule {
  const store = createSqliteAccountStore(app.sqlite)
  const passwords = new PasswordChecker(scryptParams(app.config.passwordCostLog2))
  const settings = loadAccountsConfig()
  const module: AccountsModule = {
    app,
    settings,
    store,
    sessions: new SessionService(store, app.config, app.events),
    passwords,
    mailer: createMailer({ smtpUrl: app.config.smtpUrl, from: app.config.mailFrom, dataDir: app.config.dataDir, log: app.log }),
    limits: createAccountLimits(settings.rateLimitFactor),
  }
  // The first unknown-account sign-in must not take longer than the others.
  passwords.warmUp().catch((err: Error) => app.log.error('password_warmup_failed', { error: err.message }))

  app.setCallerResolver(async (req) => {
    const resolved = await module.sessions.resolve(req)
    return resolved && { userId: resolved.session.userId, sessionId: resolved.session.id, deviceId: resolved.session.deviceId }
  })
  app.access = { workspaceAccess: (userId, workspaceId) => workspaceAccess(store, userId, workspaceId) }

  app.router.add(
    ...authRoutes(module),
    ...sessionRoutes(module),
    ...recoveryRoutes(module),
    ...accountRoutes(module),
    ...workspaceRoutes(module),
    ...memberRoutes(module),
  )

  // Expired sessions are swept (their sockets closed) and old rate-limit entries forgotten.
  const sweeper = setInterval(() => {
    pruneAccountLimits(module.limits)
    module.sessions.sweepExpired().catch((err: Error) => app.log.error('session_sweep_failed', { error: err.message }))
  }, settings.sweepIntervalMs)
  sweeper.unref()
  app.onShutdown(() => clearInterval(sweeper))
  return module
}
