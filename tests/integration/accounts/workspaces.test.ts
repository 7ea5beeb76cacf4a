import type { PigeonServer } from '../../support/pigeonServer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPigeonServer } from '../../support/pigeonServer'
import { signedUpUser } from './support'

let server: PigeonServer

beforeAll(async () => {
  server = await startPigeonServer({ env: { TRUST_PROXY: '1' } })
})
afterAll(() => server?.stop())

type User = Awaited<ReturnType<typeof signedUpUser>>

/** An owner with a team workspace, an editor and a viewer in it. */
async function teamOfThree(): Promise<{ owner: User, editor: User, viewer: User, teamId: string }> {
  const [owner, editor, viewer] = [await signedUpUser(server.url), await signedUpUser(server.url), await signedUpUser(server.url)]
  const created = await owner.device.post('/api/workspaces', { name: 'Team API' })
  const teamId = created.body.workspace.id
  expect((await owner.device.post(`/api/workspaces/${teamId}/members`, { user: editor.account.username, role: 'editor' })).status).toBe(201)
  expect((await owner.device.post(`/api/workspaces/${teamId}/members`, { user: viewer.account.email, role: 'viewer' })).status).toBe(201)
  return { owner, editor, viewer, teamId }
}

describe('workspaces', () => {
  it('lists my workspaces with my role in each', async () => {
    const { owner, editor, teamId } = await teamOfThree()
    const mine = await editor.device.get('/api/workspaces')
    expect(mine.status).toBe(200)
    expect(mine.body.workspaces).toEqual([
      expect.objectContaining({ id: editor.personalWorkspaceId, kind: 'personal', role: 'owner', name: 'Personal' }),
      expect.objectContaining({ id: teamId, kind: 'team', role: 'editor', name: 'Team API', ownerId: owner.userId }),
    ])
  })

  it('creates a team workspace with an id the app chose, and never resurrects a deleted one', async () => {
    const { device } = await signedUpUser(server.url)
    const created = await device.post('/api/workspaces', { id: 'client-made-id-1', name: '  Payments  ' })
    expect(created.status).toBe(201)
    expect(created.body.workspace).toMatchObject({ id: 'client-made-id-1', name: 'Payments', kind: 'team', role: 'owner' })
    expect((await device.post('/api/workspaces', { id: 'client-made-id-1', name: 'Again' })).body.error).toBe('workspace_exists')

    expect((await device.delete('/api/workspaces/client-made-id-1')).status).toBe(204)
    const resurrect = await device.post('/api/workspaces', { id: 'client-made-id-1', name: 'Payments' })
    expect(resurrect.status).toBe(409)
    expect(resurrect.body).toMatchObject({ error: 'workspace_deleted', message: expect.stringMatching(/deleted and cannot be brought back/) })
    expect((await device.get('/api/workspaces/client-made-id-1')).status).toBe(404)
    expect((await device.post('/api/workspaces', { name: '' })).status).toBe(400)
    expect((await device.post('/api/workspaces', { id: '../x', name: 'Bad id' })).status).toBe(400)
  })

  it('shows a workspace and its members only to members', async () => {
    const { owner, viewer, teamId } = await teamOfThree()
    const stranger = await signedUpUser(server.url)
    const seen = await viewer.device.get(`/api/workspaces/${teamId}`)
    expect(seen.status).toBe(200)
    expect(seen.body.workspace).toMatchObject({ id: teamId, role: 'viewer' })
    expect(seen.body.members.map((m: { role: string }) => m.role)).toEqual(['owner', 'editor', 'viewer'])
    expect(seen.body.members[0]).toEqual({ userId: owner.userId, username: owner.account.username, role: 'owner', joinedAt: expect.any(Number) })

    for (const path of [`/api/workspaces/${teamId}`, `/api/workspaces/${teamId}/members`]) {
      const hidden = await stranger.device.get(path)
      expect(hidden.status).toBe(404)
      expect(hidden.body.message).toMatch(/no workspace with this id, or you are not a member/)
    }
    expect((await stranger.device.patch(`/api/workspaces/${teamId}`, { name: 'Mine now' })).status).toBe(404)
    expect((await stranger.device.post(`/api/workspaces/${teamId}/members`, { user: stranger.account.username, role: 'editor' })).status).toBe(404)
    expect((await stranger.device.get('/api/workspaces')).body.workspaces).toHaveLength(1)
  })

  it('lets only owners rename, delete and manage members', async () => {
    const { owner, editor, viewer, teamId } = await teamOfThree()
    const outsider = await signedUpUser(server.url)
    for (const member of [editor, viewer]) {
      const rename = await member.device.patch(`/api/workspaces/${teamId}`, { name: 'Renamed' })
      expect(rename.status).toBe(403)
      expect(rename.body).toMatchObject({ error: 'owner_only', message: expect.stringMatching(/Only an owner/) })
      expect((await member.device.delete(`/api/workspaces/${teamId}`)).status).toBe(403)
      expect((await member.device.post(`/api/workspaces/${teamId}/members`, { user: outsider.account.username, role: 'editor' })).status).toBe(403)
      expect((await member.device.patch(`/api/workspaces/${teamId}/members/${owner.userId}`, { role: 'viewer' })).status).toBe(403)
    }
    expect((await viewer.device.delete(`/api/workspaces/${teamId}/members/${editor.userId}`)).status).toBe(403)

    const renamed = await owner.device.patch(`/api/workspaces/${teamId}`, { name: 'Renamed' })
    expect(renamed.status).toBe(200)
    expect(renamed.body.workspace.name).toBe('Renamed')
    expect((await viewer.device.get(`/api/workspaces/${teamId}`)).body.workspace.name).toBe('Renamed')
  })

  it('invites by username or email, changes roles and removes members', async () => {
    const { owner, editor, viewer, teamId } = await teamOfThree()
    const newcomer = await signedUpUser(server.url)
    const nobody = await owner.device.post(`/api/workspaces/${teamId}/members`, { user: 'nobody-here', role: 'editor' })
    expect(nobody.status).toBe(404)
    expect(nobody.body.message).toMatch(/No account has this username or email/)
    expect((await owner.device.post(`/api/workspaces/${teamId}/members`, { user: editor.account.username, role: 'viewer' })).body.error).toBe('already_member')
    expect((await owner.device.post(`/api/workspaces/${teamId}/members`, { user: newcomer.account.username, role: 'owner' })).status).toBe(400)

    const promoted = await owner.device.patch(`/api/workspaces/${teamId}/members/${viewer.userId}`, { role: 'editor' })
    expect(promoted.status).toBe(200)
    expect(promoted.body.member).toMatchObject({ userId: viewer.userId, role: 'editor' })
    expect((await viewer.device.get('/api/workspaces')).body.workspaces[1].role).toBe('editor')

    expect((await owner.device.delete(`/api/workspaces/${teamId}/members/${editor.userId}`)).status).toBe(204)
    expect((await editor.device.get(`/api/workspaces/${teamId}`)).status).toBe(404)
    expect((await owner.device.delete(`/api/workspaces/${teamId}/members/${editor.userId}`)).status).toBe(404)
  })

  it('lets a member leave, but not the last owner, who must pass ownership or delete first', async () => {
    const { owner, editor, viewer, teamId } = await teamOfThree()
    expect((await viewer.device.post(`/api/workspaces/${teamId}/leave`)).status).toBe(204)
    expect((await viewer.device.get(`/api/workspaces/${teamId}`)).status).toBe(404)

    const stuck = await owner.device.post(`/api/workspaces/${teamId}/leave`)
    expect(stuck.status).toBe(409)
    expect(stuck.body).toEqual({ error: 'last_owner', message: 'You are the last owner of this workspace. Make another member an owner, or delete the workspace, first.' })
    expect((await owner.device.patch(`/api/workspaces/${teamId}/members/${owner.userId}`, { role: 'editor' })).body.error).toBe('last_owner')

    expect((await owner.device.patch(`/api/workspaces/${teamId}/members/${editor.userId}`, { role: 'owner' })).status).toBe(200)
    expect((await owner.device.delete(`/api/workspaces/${teamId}/members/${owner.userId}`)).status).toBe(204)
    const afterwards = await editor.device.get(`/api/workspaces/${teamId}`)
    expect(afterwards.body.workspace).toMatchObject({ role: 'owner', ownerId: editor.userId })
    expect(afterwards.body.members).toHaveLength(1)
  })

  it('keeps the personal workspace personal', async () => {
    const { device, personalWorkspaceId } = await signedUpUser(server.url)
    const friend = await signedUpUser(server.url)
    expect((await device.delete(`/api/workspaces/${personalWorkspaceId}`)).body.error).toBe('personal_workspace')
    expect((await device.post(`/api/workspaces/${personalWorkspaceId}/leave`)).body.error).toBe('personal_workspace')
    expect((await device.post(`/api/workspaces/${personalWorkspaceId}/members`, { user: friend.account.username, role: 'editor' })).body.error).toBe('personal_workspace')
    expect((await device.patch(`/api/workspaces/${personalWorkspaceId}`, { name: 'My stuff' })).status).toBe(200)
  })

  it('deletes a workspace for every member at once', async () => {
    const { owner, editor, teamId } = await teamOfThree()
    expect((await owner.device.delete(`/api/workspaces/${teamId}`)).status).toBe(204)
    expect((await editor.device.get(`/api/workspaces/${teamId}`)).status).toBe(404)
    expect((await editor.device.get('/api/workspaces')).body.workspaces).toHaveLength(1)
  })

  it('asks to sign in first', async () => {
    const { device } = await signedUpUser(server.url)
    await device.post('/api/auth/signout')
    expect((await device.get('/api/workspaces')).status).toBe(401)
    expect((await device.post('/api/workspaces', { name: 'X' })).status).toBe(401)
  })
})
