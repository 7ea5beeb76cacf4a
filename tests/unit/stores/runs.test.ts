import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { useRunsStore } from '../../../src/stores/runs'
import { useWorkspacesStore } from '../../../src/stores/workspaces'
import { finishedRun } from '../../support/runs'
import { freshDatabaseName, openWorkspace, until } from './support'

async function openApp(databaseName = freshDatabaseName()) {
  const workspaces = await openWorkspace(databaseName)
  const runs = useRunsStore()
  await until(() => runs.loaded, 'the runs loaded')
  return { workspaces, runs }
}

describe('runs store', () => {
  it('keeps finished runs in the Scratch Pad, newest first, after a reload too', async () => {
    const databaseName = freshDatabaseName()
    const { runs } = await openApp(databaseName)
    await runs.saveRun(finishedRun({ name: 'Pets, first try', collectionId: 'c-pets', startedAt: 1000 }))
    const second = await runs.saveRun(finishedRun({ name: 'Shop', collectionId: 'c-shop', startedAt: 2000, iterations: 2 }))
    await runs.saveRun(finishedRun({ name: 'Pets, again', collectionId: 'c-pets', startedAt: 3000 }))
    await until(() => runs.runs.length === 3, 'three runs show')

    expect(runs.runs.map(run => run.name)).toEqual(['Pets, again', 'Shop', 'Pets, first try'])
    expect(runs.runsOf('c-pets').map(run => run.name)).toEqual(['Pets, again', 'Pets, first try'])
    expect(runs.runById(second.id)?.results).toHaveLength(4)

    const reloaded = await openApp(databaseName)
    expect(reloaded.runs.runs.map(run => run.name)).toEqual(['Pets, again', 'Shop', 'Pets, first try'])
  })

  it('deletes one run, clears a collection\'s runs, then all of them', async () => {
    const { runs } = await openApp()
    const first = await runs.saveRun(finishedRun({ collectionId: 'c-pets', startedAt: 1 }))
    await runs.saveRun(finishedRun({ collectionId: 'c-pets', startedAt: 2 }))
    await runs.saveRun(finishedRun({ collectionId: 'c-shop', startedAt: 3 }))
    await until(() => runs.runs.length === 3, 'three runs show')

    await runs.deleteRun(first.id)
    await until(() => runs.runs.length === 2, 'one run went')
    expect(runs.runById(first.id)).toBeUndefined()
    await runs.clearRuns('c-pets')
    await until(() => runs.runs.length === 1, 'the pets runs went')
    expect(runs.runs[0].collectionId).toBe('c-shop')
    await runs.clearRuns()
    await until(() => runs.runs.length === 0, 'no run is left')
  })

  it('shows only the active workspace\'s runs', async () => {
    const { runs } = await openApp()
    const workspaces = useWorkspacesStore()
    await runs.saveRun(finishedRun({ name: 'Scratch run' }))
    const team = await workspaces.create('Team')
    await workspaces.switchTo(team)
    await until(() => runs.loaded && runs.runs.length === 0, 'the new workspace has no runs')
    await runs.saveRun(finishedRun({ name: 'Team run' }))
    await until(() => runs.runs.length === 1, 'the team run shows')
    expect(runs.runs[0].name).toBe('Team run')
  })
})
