import type { PigeonServer } from '../../support/pigeonServer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPigeonServer } from '../../support/pigeonServer'
import { Device, signedUpUser } from './support'

let server: PigeonServer

beforeAll(async () => {
  server = await startPigeonServer({ env: { TRUST_PROXY: '1' } })
})
afterAll(() => server?.stop())

describe('deleting an account', () => {
  it('needs the password', async () => {
    const { device } = await signedUpUser(server.url)
    const answer = await device.post('/api/account/delete', { password: 'not my password' })
    expect(answer.status).toBe(403)
    expect(answer.body.message).toMatch(/password is not right, so your account was not deleted/)
    expect((await device.get('/api/auth/me')).status).toBe(200)
    expect((await new Device(server.url).post('/api/account/delete', { password: 'x' })).status).toBe(401)
  })

  it('removes sessions, the personal workspace and memberships, and hands team workspaces over', async () => {
    const leaving = await signedUpUser(server.url)
    const phone = new Device(server.url)
    await phone.signIn(leaving.account.username, leaving.account.password)
    const editor = await signedUpUser(server.url)
    const viewer = await signedUpUser(server.url)
    const teammate = await signedUpUser(server.url)

    // A team with an editor and a viewer: the editor takes over.
    const shared = (await leaving.device.post('/api/workspaces', { name: 'Shared' })).body.workspace.id
    await leaving.device.post(`/api/workspaces/${shared}/members`, { user: viewer.account.username, role: 'viewer' })
    await leaving.device.post(`/api/workspaces/${shared}/members`, { user: editor.account.username, role: 'editor' })
    // A team with only a viewer: the viewer takes over.
    const viewersOnly = (await leaving.device.post('/api/workspaces', { name: 'Viewers only' })).body.workspace.id
    await leaving.device.post(`/api/workspaces/${viewersOnly}/members`, { user: viewer.account.username, role: 'viewer' })
    // A team nobody else is in: it goes.
    const alone = (await leaving.device.post('/api/workspaces', { name: 'Alone' })).body.workspace.id
    // Someone else's team the account is a member of: the membership goes.
    const theirs = (await teammate.device.post('/api/workspaces', { name: 'Theirs' })).body.workspace.id
    await teammate.device.post(`/api/workspaces/${theirs}/members`, { user: leaving.account.username, role: 'editor' })

    const deleted = await leaving.device.post('/api/account/delete', { password: leaving.account.password })
    expect(deleted.status).toBe(204)
    expect(deleted.headers.getSetCookie()[0]).toMatch(/^pigeon_session=;.*Max-Age=0/)

    const stolen = new Device(server.url)
    stolen.copyCookiesFrom(phone)
    expect((await stolen.get('/api/auth/me')).status).toBe(401)
    expect((await new Device(server.url).signIn(leaving.account.username, leaving.account.password)).status).toBe(401)

    const sharedNow = await editor.device.get(`/api/workspaces/${shared}`)
    expect(sharedNow.body.workspace).toMatchObject({ role: 'owner', ownerId: editor.userId })
    expect(sharedNow.body.members.map((m: { userId: string, role: string }) => [m.userId, m.role]).sort())
      .toEqual([[editor.userId, 'owner'], [viewer.userId, 'viewer']].sort())
    expect((await viewer.device.get(`/api/workspaces/${viewersOnly}`)).body.workspace).toMatchObject({ role: 'owner', ownerId: viewer.userId })

    const theirsNow = await teammate.device.get(`/api/workspaces/${theirs}`)
    expect(theirsNow.body.members.map((m: { userId: string }) => m.userId)).toEqual([teammate.userId])

    // The name and email are free again; a new account with them sees none of the old workspaces.
    const reborn = new Device(server.url)
    expect((await reborn.signUp(leaving.account)).status).toBe(201)
    const workspaces = (await reborn.get('/api/workspaces')).body.workspaces
    expect(workspaces).toHaveLength(1)
    expect(workspaces[0].id).not.toBe(leaving.personalWorkspaceId)
    expect(workspaces.map((w: { id: string }) => w.id)).not.toContain(alone)
    expect((await reborn.post('/api/workspaces', { id: leaving.personalWorkspaceId, name: 'Back?' })).body.error).toBe('workspace_deleted')
    expect((await reborn.post('/api/workspaces', { id: alone, name: 'Back?' })).body.error).toBe('workspace_deleted')
  })
})
