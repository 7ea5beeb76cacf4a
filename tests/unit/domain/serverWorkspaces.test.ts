import type { DeviceWorkspace, ListedWorkspace } from '../../../src/domain/serverWorkspaces'
import { describe, expect, it } from 'vitest'
import { fateOfUnlisted, lostWorkspaceSentence, planRefresh, renameRefusal } from '../../../src/domain/serverWorkspaces'

const personalHere: DeviceWorkspace = { id: 'p', name: 'Personal', kind: 'personal' }
const personalListed: ListedWorkspace = { id: 'p', name: 'Personal', kind: 'personal', role: 'owner' }

describe('what a refresh of the server list does on this device', () => {
  it('registers workspaces made or shared elsewhere', () => {
    const shared: ListedWorkspace = { id: 't', name: 'Payments', kind: 'team', role: 'editor' }
    expect(planRefresh([personalHere], [personalListed, shared]).register).toEqual([shared])
  })

  it('takes a name given on another device', () => {
    const plan = planRefresh([personalHere, { id: 't', name: 'Payments', kind: 'team' }], [personalListed, { id: 't', name: 'Payments v2', kind: 'team', role: 'editor' }])
    expect(plan.takeServerName).toEqual([{ id: 't', name: 'Payments v2' }])
    expect(plan.sendName).toEqual([])
  })

  it('sends a name an owner gave here while offline, instead of taking the server\'s old one', () => {
    const plan = planRefresh([{ id: 't', name: 'Renamed on a plane', kind: 'team', renamePending: true }], [{ id: 't', name: 'Payments', kind: 'team', role: 'owner' }])
    expect(plan.sendName).toEqual([{ id: 't', name: 'Renamed on a plane' }])
    expect(plan.takeServerName).toEqual([])
  })

  it('takes the server\'s name over an offline rename by someone who is no longer an owner', () => {
    const plan = planRefresh([{ id: 't', name: 'Mine', kind: 'team', renamePending: true }], [{ id: 't', name: 'Payments', kind: 'team', role: 'editor' }])
    expect(plan.sendName).toEqual([])
    expect(plan.takeServerName).toEqual([{ id: 't', name: 'Payments' }])
  })

  it('forgets an offline rename the server already has', () => {
    const plan = planRefresh([{ id: 't', name: 'Same', kind: 'team', renamePending: true }], [{ id: 't', name: 'Same', kind: 'team', role: 'owner' }])
    expect(plan.clearPending).toEqual(['t'])
    expect(plan.sendName).toEqual([])
  })

  it('asks about team workspaces the server does not list, never about personal or local ones', () => {
    const gone: DeviceWorkspace = { id: 'gone', name: 'Old', kind: 'team' }
    const plan = planRefresh([personalHere, gone, { id: 'scratch-pad', name: 'Scratch Pad', kind: 'local' }, { id: 'other-personal', name: 'x', kind: 'personal' }], [personalListed])
    expect(plan.unlisted).toEqual([gone])
  })
})

describe('the fate of a workspace the server does not list', () => {
  it('keeps one made offline (the server creates it now) or when the server cannot be asked', () => {
    expect(fateOfUnlisted('created', 1)).toBe('keep')
    expect(fateOfUnlisted('member', 0)).toBe('keep')
    expect(fateOfUnlisted('unreachable', 3)).toBe('keep')
  })

  it('drops one that is gone when the server has every change made here', () => {
    expect(fateOfUnlisted('gone', 0)).toBe('drop')
  })

  it('keeps one that is gone while it holds changes the server never got, and asks', () => {
    expect(fateOfUnlisted('gone', 2)).toBe('ask')
  })

  it('says what happened and what to do, in words', () => {
    expect(lostWorkspaceSentence({ id: 't', name: 'Orders', unacked: 3 })).toBe('You no longer have access to \'Orders\'. 3 changes made here were not saved on the server: export them or discard them.')
    expect(lostWorkspaceSentence({ id: 't', name: 'Orders', unacked: 1 })).toBe('You no longer have access to \'Orders\'. 1 change made here was not saved on the server: export them or discard them.')
  })
})

describe('who may rename', () => {
  it('lets owners and local workspaces be renamed, and tells editors and viewers why not', () => {
    const team: DeviceWorkspace = { id: 't', name: 'Payments', kind: 'team' }
    expect(renameRefusal(team, { id: 't', name: 'Payments', kind: 'team', role: 'owner' })).toBeNull()
    expect(renameRefusal({ id: 'l', name: 'Mine', kind: 'local' }, undefined)).toBeNull()
    expect(renameRefusal(team, { id: 't', name: 'Payments', kind: 'team', role: 'viewer' })).toBe('Only an owner of \'Payments\' can rename it; you are a viewer. Ask one of its owners to rename it.')
  })
})
