/**
 * The server side of a workspace's runs document (`runs/<workspaceId>`):
 * members share it, the summary counts its runs, and it goes with its
 * workspace — a removed member is closed out, a deleted workspace's runs are
 * deleted and an old copy cannot bring them back.
 */
import type { SyncClient } from '../../support/syncClient.js'
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { CLOSE_FORBIDDEN, CLOSE_NOT_FOUND, CLOSE_REASONS } from '../../../src/domain/syncProtocol.js'
import { serverForThisFile, syncClientsClosedAfterEach } from '../../support/hooks.js'
import { waitUntil } from '../../support/syncClient.js'
import { type TestAccount, createWorkspace, deleteWorkspace, invite, removeMember, signUp } from './accounts.js'

const server = serverForThisFile()
const openSyncClient = syncClientsClosedAfterEach(server)

function open(document: string, account: TestAccount): SyncClient {
  return openSyncClient(document, { cookie: account.cookie })
}

/** Adds a run the way the app lays it out: one map per run under `runs`. */
function saveRun(client: SyncClient, id: string, name: string): void {
  const run = new Y.Map<unknown>()
  run.set('id', id)
  run.set('name', name)
  run.set('results', [{ requestId: 'r1', iteration: 1, status: 200 }])
  client.doc.getMap('runs').set(id, run)
}

async function summaryOf(workspaceId: string, account: TestAccount): Promise<{ runs: number }> {
  const response = await fetch(`${server.url}/api/workspaces/${workspaceId}/summary`, { headers: { cookie: account.cookie } })
  return response.json() as Promise<{ runs: number }>
}

describe('a workspace\'s runs document', () => {
  it('is shared by the members and counted in the summary', async () => {
    const owner = await signUp(server.url, 'owner')
    const member = await signUp(server.url, 'member')
    const workspaceId = await createWorkspace(server.url, owner)
    await invite(server.url, owner, workspaceId, member, 'editor')
    const ownersCopy = open(`runs/${workspaceId}`, owner)
    const membersCopy = open(`runs/${workspaceId}`, member)
    await Promise.all([ownersCopy.synced(), membersCopy.synced()])

    saveRun(ownersCopy, 'run-1', 'Nightly')
    saveRun(membersCopy, 'run-2', 'Smoke')
    await Promise.all([ownersCopy.ack(), membersCopy.ack()])
    await waitUntil(() => membersCopy.doc.getMap('runs').size === 2 && ownersCopy.doc.getMap('runs').size === 2, 'both runs reach both members')
    expect(await summaryOf(workspaceId, member)).toMatchObject({ runs: 2 })
  })

  it('takes a viewer\'s run: viewers may run a collection, and the team sees the run', async () => {
    const owner = await signUp(server.url, 'owner')
    const viewer = await signUp(server.url, 'viewer')
    const workspaceId = await createWorkspace(server.url, owner)
    await invite(server.url, owner, workspaceId, viewer, 'viewer')
    const ownersCopy = open(`runs/${workspaceId}`, owner)
    const viewersCopy = open(`runs/${workspaceId}`, viewer)
    await Promise.all([ownersCopy.synced(), viewersCopy.synced()])

    saveRun(viewersCopy, 'run-by-viewer', 'Smoke')
    await viewersCopy.ack()
    await waitUntil(() => ownersCopy.doc.getMap('runs').has('run-by-viewer'), 'the owner sees the viewer\'s run')
    expect(viewersCopy.notices.some(notice => notice.readOnly)).toBe(false)
  })

  it('closes a removed member\'s runs socket with 4403', async () => {
    const owner = await signUp(server.url, 'owner')
    const member = await signUp(server.url, 'member')
    const workspaceId = await createWorkspace(server.url, owner)
    await invite(server.url, owner, workspaceId, member, 'editor')
    const membersCopy = open(`runs/${workspaceId}`, member)
    await membersCopy.synced()
    const closed = membersCopy.closed()
    await removeMember(server.url, owner, workspaceId, member)
    expect(await closed).toEqual({ code: CLOSE_FORBIDDEN, reason: CLOSE_REASONS.notMember })
  })

  it('is deleted with its workspace, and an old copy cannot bring its runs back', async () => {
    const owner = await signUp(server.url, 'owner')
    const workspaceId = await createWorkspace(server.url, owner)
    const client = open(`runs/${workspaceId}`, owner)
    await client.synced()
    saveRun(client, 'run-1', 'Before the delete')
    await client.ack()

    const closed = client.closed()
    await deleteWorkspace(server.url, owner, workspaceId)
    expect(await closed).toEqual({ code: CLOSE_NOT_FOUND, reason: CLOSE_REASONS.notFound })
    client.provider.connect()
    expect((await client.closed()).code).toBe(CLOSE_NOT_FOUND)
    expect((await open(`runs/${workspaceId}`, owner).closed()).code).toBe(CLOSE_NOT_FOUND)
  })
})
