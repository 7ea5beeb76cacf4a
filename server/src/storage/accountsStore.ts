/**
 * The accounts storage contract: users, sessions bound to devices, workspaces
 * with members, password reset tokens. Every method is async so a Postgres
 * implementation can stand behind the same interface; the SQLite one
 * (accountsSqlite.ts) is the default. Methods that must not interleave with
 * other requests (the device limit, account deletion) are single calls so
 * each implementation can run them in one transaction.
 */
import type { WorkspaceRole } from '../events.js'

export type { WorkspaceRole }
export type WorkspaceKind = 'personal' | 'team'

export interface UserRecord {
  id: string
  email: string
  username: string
  passwordHash: string
  createdAt: number
  updatedAt: number
}

export interface SessionRecord {
  /** Public id: shown in session lists and used to revoke. Not a secret. */
  id: string
  userId: string
  deviceId: string
  deviceName: string
  userAgent: string
  createdAt: number
  lastSeenAt: number
  expiresAt: number
}

export interface NewSession extends SessionRecord {
  /** SHA-256 of the cookie token; the token itself is never stored. */
  tokenHash: string
}

export interface WorkspaceRecord {
  id: string
  name: string
  kind: WorkspaceKind
  ownerId: string
  createdAt: number
  updatedAt: number
  deletedAt: number | null
}

export interface MembershipRecord {
  workspace: WorkspaceRecord
  role: WorkspaceRole
}

export interface MemberRecord {
  userId: string
  username: string
  email: string
  role: WorkspaceRole
  joinedAt: number
}

export interface ResetTokenRecord {
  tokenHash: string
  userId: string
  createdAt: number
  expiresAt: number
  usedAt: number | null
}

export interface CreateSessionRequest {
  session: NewSession
  maxDevices: number
  /** A session of another device the user chose to sign out to make room. */
  signOutSessionId?: string
  now: number
}

export type CreateSessionResult =
  | {
    kind: 'created'
    /** The same device's earlier sessions, replaced by this one. */
    replaced: SessionRecord[]
    /** The session the user chose to sign out (signOutSessionId). */
    signedOut: SessionRecord[]
  }
  | { kind: 'device_limit', devices: SessionRecord[] }

/** What deleting an account changed, so the caller can tell open sockets. */
export interface AccountDeletion {
  sessions: SessionRecord[]
  /** Workspaces tombstoned: personal ones, and team ones with nobody left. */
  deletedWorkspaceIds: string[]
  /** Team workspaces whose ownership passed to another member. */
  newOwners: Array<{ workspaceId: string, userId: string }>
  /** Team workspaces the user was simply a member of (other owners remain). */
  leftWorkspaceIds: string[]
}

export interface AccountStore {
  /** Creates the user together with their personal workspace (owner). */
  createUser: (user: UserRecord, personalWorkspace: WorkspaceRecord) => Promise<void>
  findUserById: (id: string) => Promise<UserRecord | null>
  /** By email or username (both stored lowercase). */
  findUserByLogin: (login: string) => Promise<UserRecord | null>
  findUserByEmail: (email: string) => Promise<UserRecord | null>
  findUserByUsername: (username: string) => Promise<UserRecord | null>
  setPasswordHash: (userId: string, passwordHash: string, now: number) => Promise<void>
  /** Removes the account, its sessions, tokens and memberships; hands over or tombstones its workspaces. */
  deleteUser: (userId: string, now: number) => Promise<AccountDeletion>

  /** Creates a session unless the account is at its device limit (the same device replaces its own). */
  createSession: (request: CreateSessionRequest) => Promise<CreateSessionResult>
  findSessionByTokenHash: (tokenHash: string) => Promise<SessionRecord | null>
  findSession: (sessionId: string) => Promise<SessionRecord | null>
  listSessions: (userId: string, now: number) => Promise<SessionRecord[]>
  touchSession: (sessionId: string, lastSeenAt: number, expiresAt: number) => Promise<void>
  renameDevice: (sessionId: string, deviceName: string) => Promise<void>
  deleteSession: (sessionId: string) => Promise<SessionRecord | null>
  deleteSessionsOfUser: (userId: string) => Promise<SessionRecord[]>
  /** Removes and returns sessions whose expiry has passed. */
  deleteExpiredSessions: (now: number) => Promise<SessionRecord[]>

  createResetToken: (token: ResetTokenRecord) => Promise<void>
  /** Uses an unused, unexpired code, and with it every other open code of that user; null when it cannot be used. */
  consumeResetToken: (tokenHash: string, now: number) => Promise<ResetTokenRecord | null>

  createWorkspace: (workspace: WorkspaceRecord) => Promise<void>
  /** The workspace even when tombstoned (deletedAt set); null when it never existed. */
  findWorkspace: (workspaceId: string) => Promise<WorkspaceRecord | null>
  renameWorkspace: (workspaceId: string, name: string, now: number) => Promise<void>
  /** Tombstones the workspace and drops its members. */
  tombstoneWorkspace: (workspaceId: string, now: number) => Promise<void>
  /** Live workspaces the user is a member of, with their role. */
  listMemberships: (userId: string) => Promise<MembershipRecord[]>
  findRole: (workspaceId: string, userId: string) => Promise<WorkspaceRole | null>
  listMembers: (workspaceId: string) => Promise<MemberRecord[]>
  /** Adds or replaces the membership; the workspace's recorded owner follows when owners change. */
  setMember: (workspaceId: string, userId: string, role: WorkspaceRole, now: number) => Promise<void>
  /** Removes the membership; the workspace's recorded owner follows when owners change. */
  removeMember: (workspaceId: string, userId: string) => Promise<void>
}

/** Who takes over a team workspace from a departing owner: the longest-standing editor, else viewer. */
export function chooseSuccessor(members: Array<{ userId: string, role: WorkspaceRole, joinedAt: number }>): string | null {
  const rank: Record<WorkspaceRole, number> = { owner: 0, editor: 1, viewer: 2 }
  const sorted = [...members].sort((a, b) => rank[a.role] - rank[b.role] || a.joinedAt - b.joinedAt)
  return sorted[0]?.userId ?? null
}
