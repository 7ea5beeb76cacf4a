/**
 * The hooks the sync module relies on, driven through the real HTTP API of an
 * in-process server: the caller resolver, workspace access and the events
 * that make open sockets close or turn read-only.
 */
import type { IncomingMessage } from 'node:http'
import type { App } from '../../../server/src/app'
import type { ServerEvents } from '../../../server/src/events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../../server/src/app'
import { loadConfig } from '../../../server/src/config'
import { tempDir } from '../../support/pigeonServer'
import { Device, signedUpUser } from './support'

const quiet = { info: () => {}, warn: () => {}, error: () => {} }
let app: App
let baseUrl: string
const seen: Array<[keyof ServerEvents, unknown]> = []

beforeAll(async () => {
  app = createApp(loadConfig({ PORT: '0', DATA_DIR: tempDir(), PASSWORD_COST_LOG2: '10', TRUST_PROXY: '1' }), quiet)
  const { port } = await app.listen()
  baseUrl = `http://localhost:${port}`
  for (const name of ['sessionRevoked', 'accountDeleted', 'workspaceDeleted', 'memberRemoved', 'roleChanged'] as const)
    app.context.events.on(name, (payload: unknown) => seen.push([name, payload]))
})
afterAll(() => app?.close())

/** A request carrying the device's cookie, as the sync upgrade would receive it. */
function requestOf(device: Device): IncomingMessage {
  return { headers: { cookie: `pigeon_session=${device.sessionCookie}` } } as IncomingMessage
}

function eventsNamed(name: keyof ServerEvents): unknown[] {
  return seen.filter(([n]) => n === name).map(([, payload]) => payload)
}

describe('the hooks for the sync module', () => {
  it('resolves the session cookie of a request to the caller, and nothing once signed out', async () => {
    const { device, userId } = await signedUpUser(baseUrl)
    const me = (await device.get('/api/auth/me')).body
    const caller = await app.context.caller(requestOf(device))
    expect(caller).toEqual({ userId, sessionId: me.session.sessionId, deviceId: device.deviceId })

    const signedOutRequest = requestOf(device)
    await device.post('/api/auth/signout')
    expect(await app.context.caller(signedOutRequest)).toBeNull()
    expect(eventsNamed('sessionRevoked')).toContainEqual({ sessionId: me.session.sessionId, userId, reason: 'signed_out' })
  })

  it('announces a replaced session and a revoked one', async () => {
    const { device, account, userId } = await signedUpUser(baseUrl)
    const first = (await device.get('/api/auth/me')).body.session.sessionId
    await device.signIn(account.username, account.password)
    expect(eventsNamed('sessionRevoked')).toContainEqual({ sessionId: first, userId, reason: 'replaced' })

    const phone = new Device(baseUrl)
    const phoneSession = (await phone.signIn(account.username, account.password)).body.session.sessionId
    await device.delete(`/api/auth/sessions/${phoneSession}`)
    expect(eventsNamed('sessionRevoked')).toContainEqual({ sessionId: phoneSession, userId, reason: 'revoked' })
    expect(await app.context.caller(requestOf(phone))).toBeNull()
  })

  it('announces a session signed out to make room for a fourth device as device_limit', async () => {
    const { account, userId } = await signedUpUser(baseUrl)
    const phone = new Device(baseUrl, { deviceName: 'Phone' })
    const phoneSession = (await phone.signIn(account.username, account.password)).body.session.sessionId
    await new Device(baseUrl, { deviceName: 'Tablet' }).signIn(account.username, account.password)
    const desktop = new Device(baseUrl, { deviceName: 'Desktop' })
    expect((await desktop.signIn(account.username, account.password)).status).toBe(409)
    expect((await desktop.signIn(account.username, account.password, { signOutSessionId: phoneSession })).status).toBe(200)
    expect(eventsNamed('sessionRevoked')).toContainEqual({ sessionId: phoneSession, userId, reason: 'device_limit' })
  })

  it('tells member, not member and missing apart, and follows role changes and removal', async () => {
    const owner = await signedUpUser(baseUrl)
    const member = await signedUpUser(baseUrl)
    const stranger = await signedUpUser(baseUrl)
    const team = (await owner.device.post('/api/workspaces', { name: 'Team' })).body.workspace.id
    await owner.device.post(`/api/workspaces/${team}/members`, { user: member.account.username, role: 'editor' })

    const access = app.context.access
    expect(await access.workspaceAccess(owner.userId, team)).toEqual({ kind: 'member', role: 'owner' })
    expect(await access.workspaceAccess(member.userId, team)).toEqual({ kind: 'member', role: 'editor' })
    expect(await access.workspaceAccess(stranger.userId, team)).toEqual({ kind: 'not_member' })
    expect(await access.workspaceAccess(owner.userId, 'no-such-workspace')).toEqual({ kind: 'missing' })
    expect(await access.workspaceAccess(owner.userId, owner.personalWorkspaceId)).toEqual({ kind: 'member', role: 'owner' })

    await owner.device.patch(`/api/workspaces/${team}/members/${member.userId}`, { role: 'viewer' })
    expect(eventsNamed('roleChanged')).toContainEqual({ workspaceId: team, userId: member.userId, role: 'viewer' })
    expect(await access.workspaceAccess(member.userId, team)).toEqual({ kind: 'member', role: 'viewer' })

    await owner.device.delete(`/api/workspaces/${team}/members/${member.userId}`)
    expect(eventsNamed('memberRemoved')).toContainEqual({ workspaceId: team, userId: member.userId })
    expect(await access.workspaceAccess(member.userId, team)).toEqual({ kind: 'not_member' })

    await owner.device.delete(`/api/workspaces/${team}`)
    expect(eventsNamed('workspaceDeleted')).toContainEqual({ workspaceId: team })
    expect(await access.workspaceAccess(owner.userId, team)).toEqual({ kind: 'missing' })
  })

  it('announces an account deletion: its sessions, the account and its personal workspace', async () => {
    const { device, account, userId, personalWorkspaceId } = await signedUpUser(baseUrl)
    const sessionId = (await device.get('/api/auth/me')).body.session.sessionId
    expect((await device.post('/api/account/delete', { password: account.password })).status).toBe(204)
    expect(eventsNamed('sessionRevoked')).toContainEqual({ sessionId, userId, reason: 'account_deleted' })
    expect(eventsNamed('accountDeleted')).toContainEqual({ userId })
    expect(eventsNamed('workspaceDeleted')).toContainEqual({ workspaceId: personalWorkspaceId })
    expect(await app.context.access.workspaceAccess(userId, personalWorkspaceId)).toEqual({ kind: 'missing' })
  })
})
