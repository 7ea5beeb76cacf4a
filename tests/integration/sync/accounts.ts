/**
 * Tiny factories for the sync tests: real accounts and workspaces made
 * through the server's own /api routes (docs/api.md).
 */
let counter = 0

export interface TestAccount {
  userId: string
  username: string
  password: string
  sessionId: string
  /** `pigeon_session=…`, for the Cookie header. */
  cookie: string
  personalWorkspaceId: string
}

async function api(serverUrl: string, method: string, path: string, body?: unknown, cookie?: string): Promise<Response> {
  return fetch(`${serverUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'origin': serverUrl, ...(cookie ? { cookie } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

async function expectOk(response: Response, what: string): Promise<Response> {
  if (!response.ok)
    throw new Error(`${what} failed with ${response.status}: ${await response.text()}`)
  return response
}

function cookieOf(response: Response): string {
  const header = response.headers.getSetCookie().find(c => c.startsWith('pigeon_session='))
  if (!header)
    throw new Error('The server set no session cookie.')
  return header.split(';')[0]
}

/** Signs up a new account on its own device. */
export async function signUp(serverUrl: string, name = 'user'): Promise<TestAccount> {
  const username = `${name}${Date.now().toString(36)}${counter++}`
  const password = 'correct horse battery staple 42'
  const response = await expectOk(await api(serverUrl, 'POST', '/api/auth/signup', {
    email: `${username}@example.com`,
    username,
    password,
    deviceId: `device-${username}`,
  }), 'Sign-up')
  const body = await response.json() as { user: { id: string }, session: { sessionId: string }, workspaces: Array<{ id: string }> }
  return { userId: body.user.id, username, password, sessionId: body.session.sessionId, cookie: cookieOf(response), personalWorkspaceId: body.workspaces[0].id }
}

/** Signs the same account in on another device: a second session. */
export async function signInOnAnotherDevice(serverUrl: string, account: TestAccount): Promise<TestAccount> {
  const response = await expectOk(await api(serverUrl, 'POST', '/api/auth/signin', {
    login: account.username,
    password: account.password,
    deviceId: `device-${account.username}-${counter++}`,
  }), 'Sign-in')
  const body = await response.json() as { session: { sessionId: string } }
  return { ...account, sessionId: body.session.sessionId, cookie: cookieOf(response) }
}

/** Creates a team workspace owned by `owner`. */
export async function createWorkspace(serverUrl: string, owner: TestAccount, name = 'Team'): Promise<string> {
  const response = await expectOk(await api(serverUrl, 'POST', '/api/workspaces', { name }, owner.cookie), 'Creating a workspace')
  return (await response.json() as { workspace: { id: string } }).workspace.id
}

export async function invite(serverUrl: string, owner: TestAccount, workspaceId: string, member: TestAccount, role: 'editor' | 'viewer'): Promise<void> {
  await expectOk(await api(serverUrl, 'POST', `/api/workspaces/${workspaceId}/members`, { user: member.username, role }, owner.cookie), 'Inviting')
}

export async function changeRole(serverUrl: string, owner: TestAccount, workspaceId: string, member: TestAccount, role: 'owner' | 'editor' | 'viewer'): Promise<void> {
  await expectOk(await api(serverUrl, 'PATCH', `/api/workspaces/${workspaceId}/members/${member.userId}`, { role }, owner.cookie), 'Changing a role')
}

export async function removeMember(serverUrl: string, owner: TestAccount, workspaceId: string, member: TestAccount): Promise<void> {
  await expectOk(await api(serverUrl, 'DELETE', `/api/workspaces/${workspaceId}/members/${member.userId}`, undefined, owner.cookie), 'Removing a member')
}

export async function deleteWorkspace(serverUrl: string, owner: TestAccount, workspaceId: string): Promise<void> {
  await expectOk(await api(serverUrl, 'DELETE', `/api/workspaces/${workspaceId}`, undefined, owner.cookie), 'Deleting a workspace')
}

/** Revokes `session` from the device of `by` (the sessions list of the account). */
export async function revokeSession(serverUrl: string, by: TestAccount, session: TestAccount): Promise<void> {
  await expectOk(await api(serverUrl, 'DELETE', `/api/auth/sessions/${session.sessionId}`, undefined, by.cookie), 'Revoking a session')
}

/** Deletes the account (its password confirms it). */
export async function deleteAccount(serverUrl: string, account: TestAccount): Promise<void> {
  await expectOk(await api(serverUrl, 'POST', '/api/account/delete', { password: account.password }, account.cookie), 'Deleting an account')
}
