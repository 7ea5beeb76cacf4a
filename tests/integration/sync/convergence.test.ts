import type { SyncClient } from '../../support/syncClient.js'
import { describe, expect, it } from 'vitest'
import { serverForThisFile, syncClientsClosedAfterEach } from '../../support/hooks.js'
import { waitUntil } from '../../support/syncClient.js'
import { createWorkspace, invite, signInOnAnotherDevice, signUp } from './accounts.js'

const server = serverForThisFile()
const openSyncClient = syncClientsClosedAfterEach(server)

function open(document: string, cookie: string): SyncClient {
  return openSyncClient(document, { cookie })
}

function requestNames(client: SyncClient): string[] {
  return [...client.doc.getMap<string>('requests').values()].sort()
}

describe('syncing a workspace', () => {
  it('two devices of one account edit the personal workspace and converge', async () => {
    const laptop = await signUp(server.url, 'ada')
    const phone = await signInOnAnotherDevice(server.url, laptop)
    const document = `ws/${laptop.personalWorkspaceId}`
    const a = open(document, laptop.cookie)
    const b = open(document, phone.cookie)
    await Promise.all([a.synced(), b.synced()])

    a.doc.getMap('requests').set('r1', 'Get users')
    b.doc.getMap('requests').set('r2', 'Create user')
    await Promise.all([a.ack(), b.ack()])

    await waitUntil(() => requestNames(a).length === 2 && requestNames(b).length === 2, 'both devices see both requests')
    expect(requestNames(a)).toEqual(['Create user', 'Get users'])
    expect(requestNames(b)).toEqual(requestNames(a))
  })

  it('a member of a shared workspace sees the owner\'s edits and the owner sees theirs', async () => {
    const owner = await signUp(server.url, 'owner')
    const member = await signUp(server.url, 'member')
    const workspaceId = await createWorkspace(server.url, owner)
    await invite(server.url, owner, workspaceId, member, 'editor')
    const a = open(`ws/${workspaceId}`, owner.cookie)
    a.doc.getText('description').insert(0, 'Shared API')
    await a.synced()
    await a.ack()

    const b = open(`ws/${workspaceId}`, member.cookie)
    await b.synced()
    expect(b.doc.getText('description').toString()).toBe('Shared API')
    b.doc.getText('description').insert(10, ' tests')
    await b.ack()
    await waitUntil(() => a.doc.getText('description').toString() === 'Shared API tests', 'the owner sees the member\'s edit')
  })

  it('shows who else is here (awareness), and forgets them when they leave', async () => {
    const account = await signUp(server.url, 'presence')
    const document = `ws/${account.personalWorkspaceId}`
    const a = open(document, account.cookie)
    const b = open(document, account.cookie)
    await Promise.all([a.synced(), b.synced()])
    a.provider.awareness.setLocalStateField('user', { name: 'Ada' })
    const aId = a.doc.clientID
    await waitUntil(() => (b.provider.awareness.getStates().get(aId) as { user?: { name: string } } | undefined)?.user?.name === 'Ada', 'b sees Ada')
    a.destroy()
    await waitUntil(() => !b.provider.awareness.getStates().has(aId), 'b no longer sees Ada')
  })

  it('a fresh device loads what earlier devices saved, after the server restarts', async () => {
    const account = await signUp(server.url, 'restart')
    const document = `runs/${account.personalWorkspaceId}`
    const writer = open(document, account.cookie)
    await writer.synced()
    for (let i = 0; i < 20; i++)
      writer.doc.getArray<number>('runs').push([i])
    await writer.ack()
    writer.destroy()

    await server.restart()
    const reader = open(document, account.cookie)
    await reader.synced()
    expect(reader.doc.getArray<number>('runs').toArray()).toEqual([...Array.from({ length: 20 }).keys()])
  })
})
