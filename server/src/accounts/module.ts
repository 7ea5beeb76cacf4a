/** What the accounts route files share: storage, sessions, passwords, mail, limits. */
import type { AppContext } from '../app.js'
import type { PasswordChecker } from '../auth/passwords.js'
import type { SessionService } from '../auth/sessions.js'
import type { Mailer } from '../mail/mailer.js'
import type { AccountStore } from '../storage/accountsStore.js'
import type { AccountLimits } from './limits.js'
import type { AccountsConfig } from './accountsConfig.js'

export interface AccountsModule {
  app: AppContext
  settings: AccountsConfig
  store: AccountStore
  sessions: SessionService
  passwords: PasswordChecker
  mailer: Mailer
  limits: AccountLimits
}
