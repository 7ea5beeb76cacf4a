/**
 * A team workspace's life as two people's apps see it, against the real
 * server: the owner renames it and the member's list follows; a member may
 * not rename it; the owner deletes it (or removes the member) and it goes
 * from the member's device, unless the member made changes there that the
 * server never got: then it stays, the app says so in words, and the member
 * exports or discards them. A workspace made while the server was down is
 * never taken for a deleted one.
 */
import 'fake-indexeddb/auto'
import type { TestAccount } from '../sync/accounts'
import { describe, expect, it } from 'vitest'
import { listWorkspaces } from '../../../src/db/queries'
import { lostWorkspaceSentence } from '../../../src/domain/serverWorkspaces'
import { eventually } from '../clientSync/devices'
import { deleteWorkspace, invite, removeMember } from '../sync/accounts'
import { type App, serverForAppTests, signUpInApp } from './appOnDevice'

const { server, openApp } = serverForAppTests()

/**
 * Signs a new person up in `app` and waits until in sync; returns them as the
 * server helpers want them, with the app's own session (cookie from its jar),
 * so what an owner does through those helpers is done as the owner's app.
 */
async function signUp(app: App): Promise<TestAccount> {
  const account = await signUpInApp(app)
  await app.sync.whenInSync()
  return { ...account, sessionId: app.session.session!.sessionId, cookie: `pigeon_session=${app.jar.cookies.get('pigeon_session')}` }
}

/** The owner's app with a team workspace shared with the member's app (an editor). */
async function sharedWorkspace(name: string) {
  const owner = openApp()
  await owner.workspaces.ready
  const ownerAccount = await signUp(owner)
  const member = openApp()
  await member.workspaces.ready
  const memberAccount = await signUp(member)
  const teamId = await owner.workspaces.create(name)
  await invite(server.url, ownerAccount, teamId, memberAccount, 'editor')
  await member.sync.refreshWorkspaces()
  await eventually(() => listWorkspaces(member.workspaces.db), list => list.some(w => w.id === teamId && w.name === name), 'the member\'s device lists the shared workspace')
  return { owner, ownerAccount, member, memberAccount, teamId }
}

const namesOn = async (app: App): Promise<string[]> => (await listWorkspaces(app.workspaces.db)).map(w => w.name)

describe('team workspaces come, change names and go', () => {
  it('renames on the owner\'s device and on the server, and the member\'s list shows the new name', async () => {
    const { owner, member, teamId } = await sharedWorkspace('Payments')
    await owner.workspaces.rename(teamId, 'Payments v2')

    const listed = await owner.jar(`${server.url}/api/workspaces/${teamId}`, { headers: { accept: 'application/json' } })
    expect((await listed.json() as { workspace: { name: string } }).workspace.name).toBe('Payments v2')
    await member.sync.refreshWorkspaces()
    await eventually(() => namesOn(member), names => names.includes('Payments v2') && !names.includes('Payments'), 'the member sees the new name')
  })

  it('tells a member who is not an owner that only owners rename, and changes nothing', async () => {
    const { owner, member, teamId } = await sharedWorkspace('Billing')
    await expect(member.workspaces.rename(teamId, 'Mine now')).rejects.toThrow('Only an owner of \'Billing\' can rename it; you are an editor.')
    expect(await namesOn(member)).toContain('Billing')
    await owner.sync.refreshWorkspaces()
    expect(owner.sync.serverWorkspaces.find(w => w.id === teamId)?.name).toBe('Billing')
  })

  it('sends a rename made while the server was down on the next refresh', async () => {
    const { owner, member, teamId } = await sharedWorkspace('Search')
    await server.stop()
    await owner.workspaces.rename(teamId, 'Search (renamed on a plane)')
    expect(await namesOn(owner)).toContain('Search (renamed on a plane)')
    await server.restart()
    await owner.sync.refreshWorkspaces()
    expect(owner.sync.serverWorkspaces.find(w => w.id === teamId)?.name).toBe('Search (renamed on a plane)')
    await member.sync.refreshWorkspaces()
    await eventually(() => namesOn(member), names => names.includes('Search (renamed on a plane)'), 'the member sees the name made offline')
  }, 40_000)

  it('drops a workspace its owner deleted from the member\'s device, opening the personal workspace instead', async () => {
    const { ownerAccount, member, memberAccount, teamId } = await sharedWorkspace('Old API')
    await member.workspaces.switchTo(teamId)
    await member.sync.whenInSync()

    await deleteWorkspace(server.url, ownerAccount, teamId)
    // The refused socket (4404) makes the member's app look at the list by itself.
    await eventually(() => listWorkspaces(member.workspaces.db), list => !list.some(w => w.id === teamId), 'the deleted workspace goes from the member\'s device')
    await eventually(() => member.workspaces.activeWorkspaceId, id => id === memberAccount.personalWorkspaceId, 'the personal workspace is open')
    expect(member.sync.lostWorkspaces).toEqual([])
  })

  it('deletes a workspace for everyone when its owner deletes it in the app, and a member who deletes it leaves it', async () => {
    const { owner, ownerAccount, member, memberAccount, teamId } = await sharedWorkspace('Shared for a while')
    const otherTeamId = await owner.workspaces.create('Still shared')
    await invite(server.url, ownerAccount, otherTeamId, memberAccount, 'viewer')
    await member.sync.refreshWorkspaces()
    await eventually(() => namesOn(member), names => names.includes('Still shared'), 'the member lists the second workspace')

    // The member deletes one from their device: they leave it, and it does not come back with the next refresh.
    await member.workspaces.remove(otherTeamId)
    await member.sync.refreshWorkspaces()
    expect(await namesOn(member)).not.toContain('Still shared')
    const members = await owner.jar(`${server.url}/api/workspaces/${otherTeamId}/members`, { headers: { accept: 'application/json' } })
    expect((await members.json() as { members: Array<{ userId: string }> }).members.map(m => m.userId)).not.toContain(memberAccount.userId)

    // The owner deletes the other: gone on the server, and from the member's device at the next refresh.
    await owner.workspaces.remove(teamId)
    const gone = await owner.jar(`${server.url}/api/workspaces/${teamId}`, { headers: { accept: 'application/json' } })
    expect(gone.status).toBe(404)
    await member.sync.refreshWorkspaces()
    await eventually(() => namesOn(member), names => !names.includes('Shared for a while'), 'the deleted workspace goes from the member\'s device')
  })

  it('refuses to delete a synced workspace while the server cannot be reached, and keeps it', async () => {
    const { owner, teamId } = await sharedWorkspace('Kept while offline')
    await server.stop()
    await expect(owner.workspaces.remove(teamId)).rejects.toThrow(/cannot be reached.*Nothing was deleted/)
    expect(await namesOn(owner)).toContain('Kept while offline')
    await server.restart()
  })

  it('keeps a workspace the member was removed from while it has changes the server never got, says so, and exports or discards them', async () => {
    const { ownerAccount, member, memberAccount, teamId } = await sharedWorkspace('Orders')
    await member.workspaces.switchTo(teamId)
    await member.sync.whenInSync()
    member.sync.setBrowserOnline(false)
    member.sync.connection!.disconnect()
    await member.collections.createCollection('Written after removal')

    await removeMember(server.url, ownerAccount, teamId, memberAccount)
    await member.sync.refreshWorkspaces()

    expect(await namesOn(member)).toContain('Orders')
    const [lost] = member.sync.lostWorkspaces
    expect(lost).toMatchObject({ id: teamId, name: 'Orders' })
    expect(lost.unacked).toBeGreaterThan(0)
    expect(lostWorkspaceSentence(lost)).toMatch(/^You no longer have access to 'Orders'\. \d+ changes? made here (was|were) not saved on the server: export them or discard them\.$/)

    const exported = JSON.parse(await member.sync.exportLostWorkspace(teamId)) as { format: string, workspaces: Array<{ id: string, collections: Array<{ name: string }> }> }
    expect(exported.format).toBe('pigeon-account-export')
    expect(exported.workspaces.map(w => w.id)).toEqual([teamId])
    expect(exported.workspaces[0].collections.map(c => c.name)).toContain('Written after removal')

    await member.sync.discardLostWorkspace(teamId)
    expect(await namesOn(member)).not.toContain('Orders')
    expect(member.sync.lostWorkspaces).toEqual([])
    expect(member.workspaces.activeWorkspaceId).toBe(memberAccount.personalWorkspaceId)
  })

  it('never drops a team workspace made while the server was down: it is made on the server on the next refresh', async () => {
    const app = openApp()
    await app.workspaces.ready
    await signUp(app)
    await server.stop()
    const teamId = await app.workspaces.create('Made offline')
    await app.sync.refreshWorkspaces() // server unreachable: nothing decided
    expect(await namesOn(app)).toContain('Made offline')
    await server.restart()
    await app.sync.refreshWorkspaces()
    expect(await namesOn(app)).toContain('Made offline')
    expect(app.sync.serverWorkspaces.map(w => w.id)).toContain(teamId)
    expect(app.sync.lostWorkspaces).toEqual([])
  }, 40_000)
})
