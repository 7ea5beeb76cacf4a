/** The JSON shapes the accounts API answers with (documented in docs/api.md). */
import type { MemberRecord, SessionRecord, UserRecord, WorkspaceRecord, WorkspaceRole } from '../storage/accountsStore.js'
import { describeUserAgent } from '../auth/userAgent.js'

export function userView(user: UserRecord) {
  return { id: user.id, email: user.email, username: user.username, createdAt: user.createdAt }
}

export function sessionView(session: SessionRecord, currentSessionId?: string) {
  return {
    sessionId: session.id,
    deviceId: session.deviceId,
    deviceName: session.deviceName,
    browser: describeUserAgent(session.userAgent),
    createdAt: session.createdAt,
    lastSeenAt: session.lastSeenAt,
    expiresAt: session.expiresAt,
    current: session.id === currentSessionId,
  }
}

/** A device in the 409 device-limit answer: enough to choose which one to sign out. */
export function deviceView(session: SessionRecord) {
  return {
    sessionId: session.id,
    deviceName: session.deviceName,
    browser: describeUserAgent(session.userAgent),
    lastSeenAt: session.lastSeenAt,
  }
}

export function workspaceView(workspace: WorkspaceRecord, role: WorkspaceRole) {
  return {
    id: workspace.id,
    name: workspace.name,
    kind: workspace.kind,
    ownerId: workspace.ownerId,
    role,
    createdAt: workspace.createdAt,
    updatedAt: workspace.updatedAt,
  }
}

export function memberView(member: MemberRecord) {
  return { userId: member.userId, username: member.username, role: member.role, joinedAt: member.joinedAt }
}
