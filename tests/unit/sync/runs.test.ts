import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { RUN_MAX_ITERATIONS } from '../../../src/domain/model'
import { listRuns } from '../../../src/db/queries'
import { addRun, clearRuns, deleteRun, openRunsDoc, runsDocName } from '../../../src/sync/runDocs'
import { createWorkspace, deleteWorkspace } from '../../../src/sync/workspaceDocs'
import { finishedRun } from '../../support/runs'
import { freshDb } from './support'

async function workspaceWithRuns() {
  const db = freshDb()
  const { id: ws } = await createWorkspace(db, 'Team')
  const runs = openRunsDoc(db, ws, 'user-1')
  await runs.whenLoaded
  return { db, ws, runs }
}

describe('collection runs', () => {
  it('keeps a finished run with every result, newest first', async () => {
    const { db, ws, runs } = await workspaceWithRuns()
    addRun(runs, finishedRun({ name: 'Morning', startedAt: 1000 }))
    const saved = addRun(runs, finishedRun({ name: 'Evening', startedAt: 2000, iterations: 3 }))
    await runs.flushed()

    const listed = await listRuns(db, ws)
    expect(listed.map(run => run.name)).toEqual(['Evening', 'Morning'])
    expect(listed[0]).toEqual(saved)
    expect(listed[0].results).toHaveLength(6)
    expect(listed[0].results[5]).toMatchObject({ requestId: 'r-create', iteration: 3, status: 200 })
    expect(listed[0].updatedBy).toBe('user-1')
    await runs.close()
    db.close()
  })

  it('drops the oldest runs beyond the limit, in the same change', async () => {
    const { db, ws, runs } = await workspaceWithRuns()
    for (let index = 1; index <= 5; index++)
      addRun(runs, finishedRun({ name: `Run ${index}`, startedAt: 1000 + index }), 3)
    await runs.flushed()

    expect((await listRuns(db, ws)).map(run => run.name)).toEqual(['Run 5', 'Run 4', 'Run 3'])
    expect(runs.doc.getMap('runs').size).toBe(3)
    await runs.close()
    db.close()
  })

  it('drops the oldest runs when the results in all pass their limit, keeping the new one', async () => {
    const { db, ws, runs } = await workspaceWithRuns()
    // Two requests per iteration: 2, 4 and 6 results.
    addRun(runs, finishedRun({ name: 'Small', startedAt: 1, iterations: 1 }), 100, 8)
    addRun(runs, finishedRun({ name: 'Medium', startedAt: 2, iterations: 2 }), 100, 8)
    addRun(runs, finishedRun({ name: 'Large', startedAt: 3, iterations: 3 }), 100, 8)
    await runs.flushed()
    expect((await listRuns(db, ws)).map(run => run.name)).toEqual(['Large'])

    addRun(runs, finishedRun({ name: 'Huge, just saved', startedAt: 0, iterations: 5 }), 100, 8)
    await runs.flushed()
    expect((await listRuns(db, ws)).map(run => run.name)).toEqual(['Huge, just saved'])
    await runs.close()
    db.close()
  })

  it('refuses a run that does not match its format, saying what is wrong', async () => {
    const { db, ws, runs } = await workspaceWithRuns()
    expect(() => addRun(runs, finishedRun({ iterations: RUN_MAX_ITERATIONS + 1 })))
      .toThrow(/^Pigeon could not keep this collection run: iterations: .+\.$/)
    expect(() => addRun(runs, { ...finishedRun(), collectionId: undefined as unknown as string }))
      .toThrow(/collectionId/)
    await runs.flushed()
    expect(await listRuns(db, ws)).toEqual([])
    await runs.close()
    db.close()
  })

  it('deletes one run, clears one collection\'s runs, then all, and survives a reload', async () => {
    const { db, ws, runs } = await workspaceWithRuns()
    const first = addRun(runs, finishedRun({ collectionId: 'c-pets', startedAt: 1 }))
    addRun(runs, finishedRun({ collectionId: 'c-pets', startedAt: 2 }))
    addRun(runs, finishedRun({ collectionId: 'c-shop', startedAt: 3 }))
    addRun(runs, finishedRun({ collectionId: 'c-users', startedAt: 4 }))
    expect(deleteRun(runs, first.id)).toBe(true)
    expect(deleteRun(runs, first.id)).toBe(false)
    await runs.close()

    const reopened = openRunsDoc(db, ws, 'user-1')
    await reopened.whenLoaded
    expect((await listRuns(db, ws)).map(run => run.collectionId)).toEqual(['c-users', 'c-shop', 'c-pets'])
    expect(clearRuns(reopened, 'c-shop')).toBe(1)
    await reopened.flushed()
    expect((await listRuns(db, ws)).map(run => run.collectionId)).toEqual(['c-users', 'c-pets'])
    expect(clearRuns(reopened)).toBe(2)
    await reopened.flushed()
    expect(await listRuns(db, ws)).toEqual([])
    await reopened.close()
    db.close()
  })

  it('go from the device with their workspace', async () => {
    const { db, ws, runs } = await workspaceWithRuns()
    addRun(runs, finishedRun())
    await runs.flushed()
    await deleteWorkspace(db, ws)

    expect(await listRuns(db, ws)).toEqual([])
    expect(await db.updates.where('docName').equals(runsDocName(ws)).count()).toBe(0)
    expect(runs.loaded && runs.doc.isDestroyed).toBe(true)
    db.close()
  })
})
