/**
 * Who is signed in on this device: sign-up, sign-in (with the fourth-device
 * refusal), sign-out, recovery, the account's devices and account deletion.
 * The last known user is cached locally so a start without the server still
 * shows who this is; only the server (or the user) ever signs this device out.
 */
import type { Pinia } from 'pinia'
import type { AccountsApi, KeyValueStorage, LimitedDevice, Session, SignUpInput, User, Workspace } from '../api'
import { defineStore, getActivePinia } from 'pinia'
import { computed, ref } from 'vue'
import { z } from 'zod/mini'
import { ApiError, browserStorage, createAccountsApi, createApiClient, deviceIdentity, isNotSignedIn, isUnreachable } from '../api'
import { SessionSchema, UserSchema } from '../api/schemas'

export type SessionStatus = 'signed-out' | 'signing-in' | 'signed-in'

/** What the store talks to; the app uses the defaults, tests pass their own. */
export interface SessionEnvironment {
  api: AccountsApi
  storage: KeyValueStorage
  userAgent: string
}

/** The fourth-device refusal, as the dialog shows it. */
export interface DeviceLimit {
  message: string
  devices: LimitedDevice[]
}

export type SignInOutcome = 'signed-in' | 'device-limit'

const LAST_SESSION_KEY = 'pigeon.session.last'
const CachedSessionSchema = z.object({ user: UserSchema, session: SessionSchema })

export const SESSION_ENDED_MESSAGE = 'Your session on this device has ended: it was signed out from another device, expired, or the account was deleted. Sign in again to keep syncing; your local work is safe.'

const environments = new WeakMap<Pinia, Partial<SessionEnvironment>>()

/** Gives the session store of one Pinia (one app) its API and storage; call before first use. */
export function provideSessionEnvironment(pinia: Pinia, environment: Partial<SessionEnvironment>): void {
  environments.set(pinia, environment)
}

function environmentOf(pinia: Pinia | undefined): SessionEnvironment {
  const given = pinia ? environments.get(pinia) ?? {} : {}
  return {
    api: given.api ?? createAccountsApi(createApiClient()),
    storage: given.storage ?? browserStorage(),
    userAgent: given.userAgent ?? globalThis.navigator?.userAgent ?? '',
  }
}

export const useSessionStore = defineStore('session', () => {
  const { api, storage, userAgent } = environmentOf(getActivePinia())
  const identity = deviceIdentity(storage, userAgent)

  const user = ref<User | null>(null)
  const session = ref<Session | null>(null)
  const status = ref<SessionStatus>('signed-out')
  /** Why the server could not be reached at the last try, or null when it answered. */
  const offlineReason = ref<string | null>(null)
  /** Set when the server ended this device's session without the user asking here. */
  const endedMessage = ref<string | null>(null)
  const deviceLimit = ref<DeviceLimit | null>(null)
  const sessions = ref<Session[]>([])
  const deviceId = identity.deviceId
  const deviceName = ref(identity.deviceName())
  const restored = ref(false)

  const offline = computed(() => offlineReason.value !== null)
  const signedIn = computed(() => status.value === 'signed-in')

  // Kept outside reactive state on purpose: the password is needed once more only to continue after a device-limit refusal.
  let pendingSignIn: { login: string, password: string } | null = null
  let restoring: Promise<void> | null = null

  function device() {
    return { deviceId, deviceName: deviceName.value }
  }

  function remember(next: { user: User, session: Session }): void {
    user.value = next.user
    session.value = next.session
    status.value = 'signed-in'
    offlineReason.value = null
    endedMessage.value = null
    storage.setItem(LAST_SESSION_KEY, JSON.stringify({ user: next.user, session: next.session }))
  }

  function forget(): void {
    user.value = null
    session.value = null
    sessions.value = []
    status.value = 'signed-out'
    storage.removeItem(LAST_SESSION_KEY)
  }

  function cachedSession(): { user: User, session: Session } | null {
    const text = storage.getItem(LAST_SESSION_KEY)
    if (!text)
      return null
    try {
      const parsed = CachedSessionSchema.safeParse(JSON.parse(text))
      return parsed.success ? parsed.data : null
    }
    catch {
      return null
    }
  }

  /** Runs a signed-in call; a 401 means the server ended this session, an unreachable server means offline. */
  async function signedInCall<T>(call: () => Promise<T>): Promise<T> {
    try {
      const result = await call()
      offlineReason.value = null
      return result
    }
    catch (error) {
      if (isNotSignedIn(error) && user.value) {
        forget()
        endedMessage.value = SESSION_ENDED_MESSAGE
      }
      else if (isUnreachable(error)) {
        offlineReason.value = error.message
      }
      throw error
    }
  }

  /** Asks the server who is signed in; an unreachable or failing server only marks us offline, never signs out. */
  async function refresh(): Promise<void> {
    const hadUser = user.value !== null
    try {
      remember(await api.me())
    }
    catch (error) {
      if (isNotSignedIn(error)) {
        forget()
        if (hadUser)
          endedMessage.value = SESSION_ENDED_MESSAGE
      }
      else {
        offlineReason.value = error instanceof Error ? error.message : String(error)
      }
    }
  }

  /** Finds out who is signed in at startup, showing the last known user until the server answers. */
  function restore(): Promise<void> {
    restoring ??= (async () => {
      const cached = cachedSession()
      if (cached) {
        user.value = cached.user
        session.value = cached.session
        status.value = 'signed-in'
      }
      await refresh()
      restored.value = true
    })()
    return restoring
  }

  /** Creates an account and signs this device in; returns the new personal workspace. */
  async function signUp(input: SignUpInput): Promise<Workspace[]> {
    status.value = 'signing-in'
    try {
      const answer = await api.signUp({ email: input.email.trim(), username: input.username.trim(), password: input.password }, device())
      remember(answer)
      return answer.workspaces
    }
    catch (error) {
      status.value = user.value ? 'signed-in' : 'signed-out'
      throw error
    }
  }

  async function attemptSignIn(login: string, password: string, signOutSessionId?: string): Promise<SignInOutcome> {
    status.value = 'signing-in'
    try {
      remember(await api.signIn({ login: login.trim(), password, signOutSessionId }, device()))
      pendingSignIn = null
      deviceLimit.value = null
      return 'signed-in'
    }
    catch (error) {
      status.value = user.value ? 'signed-in' : 'signed-out'
      if (error instanceof ApiError && error.code === 'device_limit') {
        pendingSignIn = { login, password }
        deviceLimit.value = { message: error.message, devices: error.devices ?? [] }
        return 'device-limit'
      }
      throw error
    }
  }

  /** Signs in with an email or username; 'device-limit' means `deviceLimit` now holds the other devices. */
  function signIn(login: string, password: string): Promise<SignInOutcome> {
    return attemptSignIn(login, password)
  }

  /** After a device-limit refusal: signs that other session out and this device in. */
  async function continueBySigningOut(sessionId: string): Promise<SignInOutcome> {
    if (!pendingSignIn)
      throw new Error('There is no sign-in waiting for a free device slot. Sign in again.')
    return attemptSignIn(pendingSignIn.login, pendingSignIn.password, sessionId)
  }

  /** Gives up the sign-in that was refused for the device limit. */
  function cancelDeviceLimit(): void {
    pendingSignIn = null
    deviceLimit.value = null
  }

  /** Ends this device's session on the server, then forgets the user here. */
  /** True while this device signs itself out: the server closing its sockets then is no news to tell. */
  let signingOut = false

  async function signOut(): Promise<void> {
    signingOut = true
    try {
      await signedInCall(() => api.signOut())
      forget()
    }
    finally {
      signingOut = false
    }
  }

  /** Mails a reset code when an account matches; returns the server's sentence (the same either way). */
  function forgotPassword(login: string): Promise<string> {
    return api.forgotPassword(login.trim())
  }

  /** Mails the username to that address when an account uses it; returns the server's sentence. */
  function forgotUsername(email: string): Promise<string> {
    return api.forgotUsername(email.trim())
  }

  /** Sets a new password with a mailed code; every device of the account is signed out by the server. */
  async function resetPassword(code: string, newPassword: string): Promise<string> {
    const message = await api.resetPassword(code, newPassword)
    if (user.value)
      forget()
    return message
  }

  /** Loads the account's signed-in devices, this one marked `current`. */
  async function listSessions(): Promise<Session[]> {
    sessions.value = await signedInCall(() => api.sessions())
    return sessions.value
  }

  /** Renames this device, locally always and on the server when signed in. */
  async function renameDevice(name: string): Promise<void> {
    identity.setDeviceName(name)
    deviceName.value = identity.deviceName()
    if (status.value !== 'signed-in')
      return
    const renamed = await signedInCall(() => api.renameCurrentDevice(deviceName.value))
    session.value = renamed
    sessions.value = sessions.value.map(s => s.sessionId === renamed.sessionId ? renamed : s)
    if (user.value)
      remember({ user: user.value, session: renamed })
  }

  /** Signs one of the account's sessions out; revoking this device's own session signs it out here too. */
  async function revokeSession(sessionId: string): Promise<void> {
    await signedInCall(() => api.revokeSession(sessionId))
    if (sessionId === session.value?.sessionId)
      forget()
    else
      sessions.value = sessions.value.filter(s => s.sessionId !== sessionId)
  }

  /** Deletes the account on the server (the password confirms it) and forgets it here. */
  async function deleteAccount(password: string): Promise<void> {
    await signedInCall(() => api.deleteAccount(password))
    forget()
  }

  /**
   * The server ended this device's session some other way (the sync socket
   * closed with 4401): forget the user and say so. Local data is untouched.
   */
  function endedByServer(): void {
    if (!user.value || signingOut)
      return
    forget()
    endedMessage.value = SESSION_ENDED_MESSAGE
  }

  /** Dismisses the "your session has ended" notice. */
  function dismissEnded(): void {
    endedMessage.value = null
  }

  return {
    user,
    session,
    status,
    offlineReason,
    offline,
    signedIn,
    endedMessage,
    deviceLimit,
    sessions,
    deviceId,
    deviceName,
    restored,
    restore,
    refresh,
    signUp,
    signIn,
    continueBySigningOut,
    cancelDeviceLimit,
    signOut,
    forgotPassword,
    forgotUsername,
    resetPassword,
    listSessions,
    renameDevice,
    revokeSession,
    deleteAccount,
    endedByServer,
    dismissEnded,
  }
})

/**
 * Which form field a server refusal is about, so the sentence can sit next to
 * it; null puts it in the form's alert.
 */
export function fieldOf<F extends string>(error: unknown, fields: readonly F[]): F | null {
  if (!(error instanceof ApiError))
    return null
  const byCode: Record<string, string> = {
    username_taken: 'username',
    email_taken: 'email',
    wrong_password: 'password',
    invalid_password: 'password',
    invalid_token: 'code',
    invalid_device_name: 'deviceName',
  }
  const coded = byCode[error.code]
  if (coded && (fields as readonly string[]).includes(coded))
    return coded as F
  if (error.code === 'invalid_signup') {
    const text = error.message.toLowerCase()
    return fields.find(field => text.includes(field.toLowerCase())) ?? null
  }
  return null
}
