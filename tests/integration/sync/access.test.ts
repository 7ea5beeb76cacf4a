import type { SyncClient } from '../../support/syncClient.js'
import { describe, expect, it } from 'vitest'
import {
  CLOSE_FORBIDDEN,
  CLOSE_NOT_FOUND,
  CLOSE_REASONS,
  CLOSE_TOO_MANY_DOCUMENTS,
  CLOSE_UNAUTHORIZED,
  READ_ONLY_SENTENCE,
} from '../../../src/domain/syncProtocol.js'
import { serverForThisFile, syncClientsClosedAfterEach } from '../../support/hooks.js'
import { waitUntil } from '../../support/syncClient.js'
import { changeRole, createWorkspace, deleteAccount, deleteWorkspace, invite, removeMember, revokeSession, signInOnAnotherDevice, signUp } from './accounts.js'

const server = serverForThisFile({ env: { SYNC_MAX_SOCKETS_PER_SESSION: '4' } })
const open = syncClientsClosedAfterEach(server)

const title = (client: SyncClient): string => client.doc.getText('title').toString()
const pause = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

describe('who may open a document', () => {
  it('refuses a signed-out socket with 4401', async () => {
    const owner = await signUp(server.url)
    const closed = await open(`ws/${owner.personalWorkspaceId}`).closed()
    expect(closed).toEqual({ code: CLOSE_UNAUTHORIZED, reason: CLOSE_REASONS.signedOut })
  })

  it('refuses someone who is not a member with 4403', async () => {
    const owner = await signUp(server.url, 'owner')
    const stranger = await signUp(server.url, 'stranger')
    const closed = await open(`ws/${owner.personalWorkspaceId}`, { cookie: stranger.cookie }).closed()
    expect(closed).toEqual({ code: CLOSE_FORBIDDEN, reason: CLOSE_REASONS.notMember })
  })

  it('refuses another person\'s history with 4403', async () => {
    const owner = await signUp(server.url, 'owner')
    const member = await signUp(server.url, 'member')
    const workspaceId = await createWorkspace(server.url, owner)
    await invite(server.url, owner, workspaceId, member, 'editor')
    const closed = await open(`history/${workspaceId}/${owner.userId}`, { cookie: member.cookie }).closed()
    expect(closed.code).toBe(CLOSE_FORBIDDEN)
    const own = open(`history/${workspaceId}/${member.userId}`, { cookie: member.cookie })
    await own.synced()
  })

  it('refuses a page from another origin with 4403', async () => {
    const owner = await signUp(server.url)
    const closed = await open(`ws/${owner.personalWorkspaceId}`, { cookie: owner.cookie, origin: 'https://evil.example' }).closed()
    expect(closed).toEqual({ code: CLOSE_FORBIDDEN, reason: CLOSE_REASONS.foreignOrigin })
  })

  it('refuses a workspace that does not exist with 4404', async () => {
    const owner = await signUp(server.url)
    const closed = await open('ws/no-such-workspace', { cookie: owner.cookie }).closed()
    expect(closed.code).toBe(CLOSE_NOT_FOUND)
  })
})

describe('limits per session', () => {
  it('refuses a socket past the per-session limit with 4429 and keeps the others', async () => {
    const owner = await signUp(server.url, 'tabs')
    const workspaces = [owner.personalWorkspaceId, ...await Promise.all([1, 2].map(() => createWorkspace(server.url, owner)))]
    const documents = [...workspaces.map(id => `ws/${id}`), `runs/${workspaces[0]}`]
    const allowed = documents.map(document => open(document, { cookie: owner.cookie }))
    await Promise.all(allowed.map(c => c.synced()))
    const closed = await open(`runs/${workspaces[1]}`, { cookie: owner.cookie }).closed()
    expect(closed).toEqual({ code: CLOSE_TOO_MANY_DOCUMENTS, reason: CLOSE_REASONS.tooManyDocuments })
    expect(allowed.every(c => c.closes.length === 0)).toBe(true)
  })
})

describe('viewers', () => {
  it('a viewer\'s edit is not applied anywhere, and the viewer is told and still receives edits', async () => {
    const owner = await signUp(server.url, 'owner')
    const viewer = await signUp(server.url, 'viewer')
    const workspaceId = await createWorkspace(server.url, owner)
    await invite(server.url, owner, workspaceId, viewer, 'viewer')
    const ownerClient = open(`ws/${workspaceId}`, { cookie: owner.cookie })
    const viewerClient = open(`ws/${workspaceId}`, { cookie: viewer.cookie })
    await Promise.all([ownerClient.synced(), viewerClient.synced()])
    expect(viewerClient.notices).toEqual([{ readOnly: true, sentence: READ_ONLY_SENTENCE }])

    viewerClient.doc.getText('title').insert(0, 'vandalised ')
    await viewerClient.ack()
    ownerClient.doc.getText('title').insert(0, 'Orders API')
    await ownerClient.ack()
    await waitUntil(() => title(viewerClient).includes('Orders API'), 'the viewer receives the owner\'s edit')

    const fresh = open(`ws/${workspaceId}`, { cookie: owner.cookie })
    await fresh.synced()
    expect(title(fresh)).toBe('Orders API')
    expect(title(ownerClient)).toBe('Orders API')
  })

  it('a viewer\'s offline edits, sent in its sync step 2 on connect, are dropped too', async () => {
    const owner = await signUp(server.url, 'owner')
    const viewer = await signUp(server.url, 'viewer')
    const workspaceId = await createWorkspace(server.url, owner)
    await invite(server.url, owner, workspaceId, viewer, 'viewer')
    const ownerClient = open(`ws/${workspaceId}`, { cookie: owner.cookie })
    await ownerClient.synced()

    const viewerClient = open(`ws/${workspaceId}`, { cookie: viewer.cookie, connect: false })
    viewerClient.doc.getMap('requests').set('offline', 'made while offline')
    viewerClient.provider.connect()
    await viewerClient.synced()
    await viewerClient.ack()

    const fresh = open(`ws/${workspaceId}`, { cookie: owner.cookie })
    await fresh.synced()
    expect(fresh.doc.getMap('requests').has('offline')).toBe(false)
    expect(ownerClient.doc.getMap('requests').has('offline')).toBe(false)
  })

  it('a viewer made editor can write at once, and back to viewer cannot', async () => {
    const owner = await signUp(server.url, 'owner')
    const member = await signUp(server.url, 'member')
    const workspaceId = await createWorkspace(server.url, owner)
    await invite(server.url, owner, workspaceId, member, 'viewer')
    const ownerClient = open(`ws/${workspaceId}`, { cookie: owner.cookie })
    const memberClient = open(`ws/${workspaceId}`, { cookie: member.cookie })
    await Promise.all([ownerClient.synced(), memberClient.synced()])

    await changeRole(server.url, owner, workspaceId, member, 'editor')
    await waitUntil(() => memberClient.notices.at(-1)?.readOnly === false, 'the member is told they can edit')
    memberClient.doc.getMap('meta').set('editedBy', 'member')
    await memberClient.ack()
    await waitUntil(() => ownerClient.doc.getMap('meta').get('editedBy') === 'member', 'the owner sees the member\'s edit')

    await changeRole(server.url, owner, workspaceId, member, 'viewer')
    await waitUntil(() => memberClient.notices.at(-1)?.readOnly === true, 'the member is told they can only view')
    memberClient.doc.getMap('meta').set('editedBy', 'viewer again')
    await memberClient.ack()
    await pause(100)
    expect(ownerClient.doc.getMap('meta').get('editedBy')).toBe('member')
  })
})

describe('access that ends while a socket is open', () => {
  it('revoking a session closes its socket with 4401, and other sessions stay', async () => {
    const laptop = await signUp(server.url, 'laptop')
    const phone = await signInOnAnotherDevice(server.url, laptop)
    const document = `ws/${laptop.personalWorkspaceId}`
    const laptopClient = open(document, { cookie: laptop.cookie })
    const phoneClient = open(document, { cookie: phone.cookie })
    await Promise.all([laptopClient.synced(), phoneClient.synced()])

    const closed = phoneClient.closed()
    await revokeSession(server.url, laptop, phone)
    expect(await closed).toEqual({ code: CLOSE_UNAUTHORIZED, reason: CLOSE_REASONS.signedOut })
    laptopClient.doc.getMap('meta').set('still', 'here')
    await laptopClient.ack()
    await expect(open(document, { cookie: phone.cookie }).closed()).resolves.toMatchObject({ code: CLOSE_UNAUTHORIZED })
  })

  it('deleting an account closes its sockets with 4401 and its personal workspace is gone', async () => {
    const leaving = await signUp(server.url, 'leaving')
    const personal = open(`ws/${leaving.personalWorkspaceId}`, { cookie: leaving.cookie })
    const history = open(`history/${leaving.personalWorkspaceId}/${leaving.userId}`, { cookie: leaving.cookie })
    await Promise.all([personal.synced(), history.synced()])
    const closed = Promise.all([personal.closed(), history.closed()])
    await deleteAccount(server.url, leaving)
    expect((await closed).map(c => c.code)).toEqual([CLOSE_UNAUTHORIZED, CLOSE_UNAUTHORIZED])
  })

  it('removing a member closes their sockets on that workspace with 4403', async () => {
    const owner = await signUp(server.url, 'owner')
    const member = await signUp(server.url, 'member')
    const workspaceId = await createWorkspace(server.url, owner)
    await invite(server.url, owner, workspaceId, member, 'editor')
    const memberClient = open(`ws/${workspaceId}`, { cookie: member.cookie })
    await memberClient.synced()
    const closed = memberClient.closed()
    await removeMember(server.url, owner, workspaceId, member)
    expect(await closed).toEqual({ code: CLOSE_FORBIDDEN, reason: CLOSE_REASONS.notMember })
  })

  it('deleting a workspace closes its sockets with 4404 and the old copy cannot bring it back', async () => {
    const owner = await signUp(server.url, 'owner')
    const workspaceId = await createWorkspace(server.url, owner)
    const document = `ws/${workspaceId}`
    const client = open(document, { cookie: owner.cookie })
    await client.synced()
    client.doc.getText('title').insert(0, 'Soon gone')
    await client.ack()

    const closed = client.closed()
    await deleteWorkspace(server.url, owner, workspaceId)
    expect(await closed).toEqual({ code: CLOSE_NOT_FOUND, reason: CLOSE_REASONS.notFound })

    // The old local copy reconnects with everything it has: refused, and nothing is stored.
    client.provider.connect()
    expect((await client.closed()).code).toBe(CLOSE_NOT_FOUND)
    const again = open(document, { cookie: owner.cookie })
    expect((await again.closed()).code).toBe(CLOSE_NOT_FOUND)
  })
})
