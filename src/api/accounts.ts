/** The accounts, sessions and recovery routes of docs/api.md, typed. */
import type { ApiClient } from './client'
import type { Session, SignedIn, SignedUp, User } from './schemas'
import { MessageSchema, OneSessionSchema, SessionListSchema, SignedInSchema, SignedUpSchema } from './schemas'

/** Which install is signing in: sent at sign-up and sign-in. */
export interface DeviceFields {
  deviceId: string
  deviceName: string
}

export interface SignUpInput {
  email: string
  username: string
  password: string
}

export interface SignInInput {
  /** Email or username. */
  login: string
  password: string
  /** A session to sign out to make room, after a device_limit refusal. */
  signOutSessionId?: string
}

export interface AccountsApi {
  signUp: (input: SignUpInput, device: DeviceFields) => Promise<SignedUp>
  signIn: (input: SignInInput, device: DeviceFields) => Promise<SignedIn>
  signOut: () => Promise<void>
  me: () => Promise<SignedIn>
  sessions: () => Promise<Session[]>
  renameCurrentDevice: (deviceName: string) => Promise<Session>
  revokeSession: (sessionId: string) => Promise<void>
  forgotPassword: (login: string) => Promise<string>
  forgotUsername: (email: string) => Promise<string>
  resetPassword: (code: string, password: string) => Promise<string>
  deleteAccount: (password: string) => Promise<void>
}

export type { Session, SignedIn, SignedUp, User }

/** The accounts routes over one client. */
export function createAccountsApi(client: ApiClient): AccountsApi {
  const { request, send } = client
  return {
    signUp: (input, device) => request('POST', '/api/auth/signup', SignedUpSchema, { ...input, ...device }),
    signIn: (input, device) => request('POST', '/api/auth/signin', SignedInSchema, { ...input, ...device }),
    signOut: () => send('POST', '/api/auth/signout'),
    me: () => request('GET', '/api/auth/me', SignedInSchema),
    sessions: async () => (await request('GET', '/api/auth/sessions', SessionListSchema)).sessions,
    renameCurrentDevice: async deviceName => (await request('PATCH', '/api/auth/sessions/current', OneSessionSchema, { deviceName })).session,
    revokeSession: sessionId => send('DELETE', `/api/auth/sessions/${encodeURIComponent(sessionId)}`),
    forgotPassword: async login => (await request('POST', '/api/auth/forgot-password', MessageSchema, { login })).message,
    forgotUsername: async email => (await request('POST', '/api/auth/forgot-username', MessageSchema, { email })).message,
    resetPassword: async (code, password) => (await request('POST', '/api/auth/reset-password', MessageSchema, { token: code.trim(), password })).message,
    deleteAccount: password => send('POST', '/api/account/delete', { password }),
  }
}
