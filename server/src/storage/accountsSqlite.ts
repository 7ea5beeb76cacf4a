/**
 * AccountStore on the embedded SQLite database. better-sqlite3 is
 * synchronous, so each method is one uninterrupted step; the multi-row ones
 * (device limit, account deletion) also run in one transaction.
 */
import type { SqliteDatabase } from './sqlite.js'
import type {
  AccountDeletion,
  AccountStore,
  CreateSessionRequest,
  CreateSessionResult,
  MemberRecord,
  MembershipRecord,
  ResetTokenRecord,
  SessionRecord,
  UserRecord,
  WorkspaceRecord,
  WorkspaceRole,
} from './accountsStore.js'
import { chooseSuccessor } from './accountsStore.js'
import { ACCOUNTS_MIGRATIONS } from './accountsSchema.js'
import { migrate } from './sqlite.js'

interface UserRow { id: string, email: string, username: string, password_hash: string, created_at: number, updated_at: number }
interface SessionRow { id: string, user_id: string, device_id: string, device_name: string, user_agent: string, created_at: number, last_seen_at: number, expires_at: number }
interface WorkspaceRow { id: string, name: string, kind: 'personal' | 'team', owner_id: string, created_at: number, updated_at: number, deleted_at: number | null }
interface MemberRow { user_id: string, username: string, email: string, role: WorkspaceRole, joined_at: number }
interface ResetTokenRow { token_hash: string, user_id: string, created_at: number, expires_at: number, used_at: number | null }

const toUser = (r: UserRow): UserRecord => ({ id: r.id, email: r.email, username: r.username, passwordHash: r.password_hash, createdAt: r.created_at, updatedAt: r.updated_at })
const toSession = (r: SessionRow): SessionRecord => ({ id: r.id, userId: r.user_id, deviceId: r.device_id, deviceName: r.device_name, userAgent: r.user_agent, createdAt: r.created_at, lastSeenAt: r.last_seen_at, expiresAt: r.expires_at })
const toWorkspace = (r: WorkspaceRow): WorkspaceRecord => ({ id: r.id, name: r.name, kind: r.kind, ownerId: r.owner_id, createdAt: r.created_at, updatedAt: r.updated_at, deletedAt: r.deleted_at })
const toMember = (r: MemberRow): MemberRecord => ({ userId: r.user_id, username: r.username, email: r.email, role: r.role, joinedAt: r.joined_at })
const toResetToken = (r: ResetTokenRow): ResetTokenRecord => ({ tokenHash: r.token_hash, userId: r.user_id, createdAt: r.created_at, expiresAt: r.expires_at, usedAt: r.used_at })

/** Opens the accounts tables on `db` (migrating them) and returns the store. */
export function createSqliteAccountStore(db: SqliteDatabase): AccountStore {
  migrate(db, 'accounts', ACCOUNTS_MIGRATIONS)

  const q = {
    insertUser: db.prepare('INSERT INTO users (id, email, username, password_hash, created_at, updated_at) VALUES (@id, @email, @username, @passwordHash, @createdAt, @updatedAt)'),
    userById: db.prepare('SELECT * FROM users WHERE id = ?'),
    userByLogin: db.prepare('SELECT * FROM users WHERE email = ? OR username = ? LIMIT 1'),
    userByEmail: db.prepare('SELECT * FROM users WHERE email = ?'),
    userByUsername: db.prepare('SELECT * FROM users WHERE username = ?'),
    setPassword: db.prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?'),
    deleteUser: db.prepare('DELETE FROM users WHERE id = ?'),

    insertSession: db.prepare(`INSERT INTO sessions (id, token_hash, user_id, device_id, device_name, user_agent, created_at, last_seen_at, expires_at)
      VALUES (@id, @tokenHash, @userId, @deviceId, @deviceName, @userAgent, @createdAt, @lastSeenAt, @expiresAt)`),
    sessionByToken: db.prepare('SELECT * FROM sessions WHERE token_hash = ?'),
    sessionById: db.prepare('SELECT * FROM sessions WHERE id = ?'),
    sessionsOfUser: db.prepare('SELECT * FROM sessions WHERE user_id = ? ORDER BY created_at'),
    liveSessionsOfUser: db.prepare('SELECT * FROM sessions WHERE user_id = ? AND expires_at > ? ORDER BY last_seen_at DESC'),
    touchSession: db.prepare('UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?'),
    renameDevice: db.prepare('UPDATE sessions SET device_name = ? WHERE id = ?'),
    deleteSession: db.prepare('DELETE FROM sessions WHERE id = ?'),
    deleteSessionsOfUser: db.prepare('DELETE FROM sessions WHERE user_id = ?'),
    expiredSessions: db.prepare('SELECT * FROM sessions WHERE expires_at <= ?'),

    insertResetToken: db.prepare('INSERT INTO reset_tokens (token_hash, user_id, created_at, expires_at, used_at) VALUES (@tokenHash, @userId, @createdAt, @expiresAt, @usedAt)'),
    resetToken: db.prepare('SELECT * FROM reset_tokens WHERE token_hash = ?'),
    useResetTokensOf: db.prepare('UPDATE reset_tokens SET used_at = ? WHERE user_id = ? AND used_at IS NULL'),
    dropStaleResetTokens: db.prepare('DELETE FROM reset_tokens WHERE expires_at <= ?'),

    insertWorkspace: db.prepare('INSERT INTO workspaces (id, name, kind, owner_id, created_at, updated_at, deleted_at) VALUES (@id, @name, @kind, @ownerId, @createdAt, @updatedAt, @deletedAt)'),
    workspaceById: db.prepare('SELECT * FROM workspaces WHERE id = ?'),
    renameWorkspace: db.prepare('UPDATE workspaces SET name = ?, updated_at = ? WHERE id = ?'),
    tombstone: db.prepare('UPDATE workspaces SET deleted_at = ?, updated_at = ? WHERE id = ?'),
    setOwner: db.prepare('UPDATE workspaces SET owner_id = ?, updated_at = ? WHERE id = ?'),
    memberships: db.prepare(`SELECT w.*, m.role AS role FROM members m JOIN workspaces w ON w.id = m.workspace_id
      WHERE m.user_id = ? AND w.deleted_at IS NULL ORDER BY w.kind = 'team', w.created_at`),
    role: db.prepare(`SELECT m.role FROM members m JOIN workspaces w ON w.id = m.workspace_id
      WHERE m.workspace_id = ? AND m.user_id = ? AND w.deleted_at IS NULL`),
    members: db.prepare(`SELECT m.user_id, u.username, u.email, m.role, m.joined_at FROM members m JOIN users u ON u.id = m.user_id
      WHERE m.workspace_id = ? ORDER BY m.joined_at`),
    upsertMember: db.prepare(`INSERT INTO members (workspace_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = excluded.role`),
    removeMember: db.prepare('DELETE FROM members WHERE workspace_id = ? AND user_id = ?'),
    dropMembers: db.prepare('DELETE FROM members WHERE workspace_id = ?'),
  }

  const sessionsOf = (userId: string): SessionRecord[] => (q.sessionsOfUser.all(userId) as SessionRow[]).map(toSession)
  const membersOf = (workspaceId: string): MemberRecord[] => (q.members.all(workspaceId) as MemberRow[]).map(toMember)

  /** Keeps `workspaces.owner_id` on a current owner after memberships change. */
  const followOwner = (workspaceId: string, now: number): void => {
    const workspace = q.workspaceById.get(workspaceId) as WorkspaceRow | undefined
    if (!workspace)
      return
    const owners = membersOf(workspaceId).filter(m => m.role === 'owner')
    if (owners.length > 0 && !owners.some(o => o.userId === workspace.owner_id))
      q.setOwner.run(owners[0].userId, now, workspaceId)
  }

  const tombstone = (workspaceId: string, now: number): void => {
    q.tombstone.run(now, now, workspaceId)
    q.dropMembers.run(workspaceId)
  }

  const createSession = db.transaction((request: CreateSessionRequest): CreateSessionResult => {
    const { session, maxDevices, signOutSessionId, now } = request
    const live = (q.liveSessionsOfUser.all(session.userId, now) as SessionRow[]).map(toSession)
    const sameDevice = live.filter(s => s.deviceId === session.deviceId)
    const otherDevices = live.filter(s => s.deviceId !== session.deviceId)
    const chosen = otherDevices.filter(s => s.id === signOutSessionId)
    const remainingDevices = new Set(otherDevices.filter(s => !chosen.includes(s)).map(s => s.deviceId))
    if (remainingDevices.size >= maxDevices)
      return { kind: 'device_limit', devices: otherDevices }
    // A chosen session frees its device only if it was that device's last one.
    for (const s of [...sameDevice, ...chosen])
      q.deleteSession.run(s.id)
    q.insertSession.run(session)
    return { kind: 'created', replaced: sameDevice, signedOut: chosen }
  })

  const deleteUser = db.transaction((userId: string, now: number): AccountDeletion => {
    const result: AccountDeletion = { sessions: sessionsOf(userId), deletedWorkspaceIds: [], newOwners: [], leftWorkspaceIds: [] }
    const memberships = (q.memberships.all(userId) as Array<WorkspaceRow & { role: WorkspaceRole }>)
    for (const row of memberships) {
      const others = membersOf(row.id).filter(m => m.userId !== userId)
      if (row.kind === 'personal' || others.length === 0) {
        tombstone(row.id, now)
        result.deletedWorkspaceIds.push(row.id)
        continue
      }
      q.removeMember.run(row.id, userId)
      if (row.role === 'owner' && !others.some(m => m.role === 'owner')) {
        const successor = chooseSuccessor(others)!
        q.upsertMember.run(row.id, successor, 'owner', now)
        result.newOwners.push({ workspaceId: row.id, userId: successor })
      }
      else {
        result.leftWorkspaceIds.push(row.id)
      }
      followOwner(row.id, now)
    }
    q.deleteUser.run(userId)
    return result
  })

  return {
    createUser: async (user, personalWorkspace) => {
      db.transaction(() => {
        q.insertUser.run(user)
        q.insertWorkspace.run(personalWorkspace)
        q.upsertMember.run(personalWorkspace.id, user.id, 'owner', user.createdAt)
      })()
    },
    findUserById: async (id) => {
      const row = q.userById.get(id) as UserRow | undefined
      return row ? toUser(row) : null
    },
    findUserByLogin: async (login) => {
      const row = q.userByLogin.get(login, login) as UserRow | undefined
      return row ? toUser(row) : null
    },
    findUserByEmail: async (email) => {
      const row = q.userByEmail.get(email) as UserRow | undefined
      return row ? toUser(row) : null
    },
    findUserByUsername: async (username) => {
      const row = q.userByUsername.get(username) as UserRow | undefined
      return row ? toUser(row) : null
    },
    setPasswordHash: async (userId, passwordHash, now) => {
      q.setPassword.run(passwordHash, now, userId)
    },
    deleteUser: async (userId, now) => deleteUser(userId, now),

    createSession: async request => createSession(request),
    findSessionByTokenHash: async (tokenHash) => {
      const row = q.sessionByToken.get(tokenHash) as SessionRow | undefined
      return row ? toSession(row) : null
    },
    findSession: async (sessionId) => {
      const row = q.sessionById.get(sessionId) as SessionRow | undefined
      return row ? toSession(row) : null
    },
    listSessions: async (userId, now) => (q.liveSessionsOfUser.all(userId, now) as SessionRow[]).map(toSession),
    touchSession: async (sessionId, lastSeenAt, expiresAt) => {
      q.touchSession.run(lastSeenAt, expiresAt, sessionId)
    },
    renameDevice: async (sessionId, deviceName) => {
      q.renameDevice.run(deviceName, sessionId)
    },
    deleteSession: async (sessionId) => {
      const row = q.sessionById.get(sessionId) as SessionRow | undefined
      if (!row)
        return null
      q.deleteSession.run(sessionId)
      return toSession(row)
    },
    deleteSessionsOfUser: async (userId) => {
      const sessions = sessionsOf(userId)
      q.deleteSessionsOfUser.run(userId)
      return sessions
    },
    deleteExpiredSessions: async (now) => {
      const expired = (q.expiredSessions.all(now) as SessionRow[]).map(toSession)
      for (const s of expired)
        q.deleteSession.run(s.id)
      q.dropStaleResetTokens.run(now - 24 * 3600 * 1000)
      return expired
    },

    createResetToken: async (token) => {
      q.insertResetToken.run(token)
    },
    consumeResetToken: async (tokenHash, now) => {
      const row = q.resetToken.get(tokenHash) as ResetTokenRow | undefined
      if (!row || row.used_at !== null || row.expires_at <= now)
        return null
      q.useResetTokensOf.run(now, row.user_id)
      return toResetToken({ ...row, used_at: now })
    },

    createWorkspace: async (workspace) => {
      db.transaction(() => {
        q.insertWorkspace.run(workspace)
        q.upsertMember.run(workspace.id, workspace.ownerId, 'owner', workspace.createdAt)
      })()
    },
    findWorkspace: async (workspaceId) => {
      const row = q.workspaceById.get(workspaceId) as WorkspaceRow | undefined
      return row ? toWorkspace(row) : null
    },
    renameWorkspace: async (workspaceId, name, now) => {
      q.renameWorkspace.run(name, now, workspaceId)
    },
    tombstoneWorkspace: async (workspaceId, now) => {
      db.transaction(() => tombstone(workspaceId, now))()
    },
    listMemberships: async userId => (q.memberships.all(userId) as Array<WorkspaceRow & { role: WorkspaceRole }>)
      .map((row): MembershipRecord => ({ workspace: toWorkspace(row), role: row.role })),
    findRole: async (workspaceId, userId) => {
      const row = q.role.get(workspaceId, userId) as { role: WorkspaceRole } | undefined
      return row?.role ?? null
    },
    listMembers: async workspaceId => membersOf(workspaceId),
    setMember: async (workspaceId, userId, role, now) => {
      db.transaction(() => {
        q.upsertMember.run(workspaceId, userId, role, now)
        followOwner(workspaceId, now)
      })()
    },
    removeMember: async (workspaceId, userId) => {
      db.transaction(() => {
        q.removeMember.run(workspaceId, userId)
        followOwner(workspaceId, Date.now())
      })()
    },
  }
}
