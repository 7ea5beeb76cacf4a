import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { useCollectionsStore } from '../../../src/stores/collections'
import { freshDatabaseName, openWorkspace, until } from './support'

async function openApp(databaseName = freshDatabaseName()) {
  const workspaces = await openWorkspace(databaseName)
  return { workspaces, collections: useCollectionsStore(), databaseName }
}

describe('workspaces store', () => {
  it('starts in the Scratch Pad on the first start', async () => {
    const { workspaces } = await openApp()
    await until(() => workspaces.workspaces.length === 1, 'the list loaded')
    expect(workspaces.activeWorkspace?.name).toBe('Scratch Pad')
    expect(workspaces.handle?.loaded).toBe(true)
    expect(workspaces.historyHandle?.loaded).toBe(true)
  })

  it('creates, switches to, renames and deletes a workspace, keeping each one\'s collections apart', async () => {
    const { workspaces, collections } = await openApp()
    await collections.createCollection('Scratch stuff')
    const id = await workspaces.create('Team API')
    await workspaces.switchTo(id)
    await until(() => collections.loaded && collections.collections.length === 0, 'the new workspace is empty')
    await collections.createCollection('Team stuff')
    await workspaces.rename(id, 'Team APIs')
    await until(() => workspaces.activeWorkspace?.name === 'Team APIs', 'the new name shows')
    expect(workspaces.workspaces.map(w => w.name)).toEqual(['Scratch Pad', 'Team APIs'])

    await workspaces.remove(id)
    await until(() => workspaces.workspaces.length === 1, 'the workspace is gone')
    expect(workspaces.activeWorkspace?.name).toBe('Scratch Pad')
    await until(() => collections.collections.map(c => c.name).join() === 'Scratch stuff', 'the Scratch Pad collections show')
  })

  it('opens the last used workspace after a restart', async () => {
    const first = await openApp()
    const id = await first.workspaces.create('Side project')
    await first.workspaces.switchTo(id)
    await first.workspaces.handle?.flushed()

    const again = await openApp(first.databaseName)
    expect(again.workspaces.activeWorkspaceId).toBe(id)
  })

  it('sets aside a stored record that cannot be read, says so, and can be told to stop saying it', async () => {
    const { workspaces, collections } = await openApp()
    await collections.createCollection('Fine')
    await until(() => collections.collections.length === 1, 'the good collection shows')
    // A record damaged on disk: its name is not text.
    await workspaces.db.collections.put({ workspaceId: workspaces.activeWorkspaceId!, id: 'damaged', name: 42 } as never)

    await until(() => workspaces.unseenQuarantine.length === 1, 'the damaged record is reported')
    expect(workspaces.unseenQuarantine[0].sentence).toMatch(/does not match Pigeon's format/)
    expect(collections.collections.map(c => c.name)).toEqual(['Fine'])

    await workspaces.dismissQuarantine()
    expect(workspaces.unseenQuarantine).toEqual([])
  })

  it('refuses to delete the Scratch Pad, in words', async () => {
    const { workspaces } = await openApp()
    await expect(workspaces.remove(workspaces.activeWorkspaceId!)).rejects.toThrow(/Scratch Pad cannot be deleted/)
  })
})
