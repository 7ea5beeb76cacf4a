import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { nanoid } from 'nanoid'
import { Collection, HistoryEntry, RequestSnapshot, ResponseSummary } from '../../../src/domain/model'
import { PigeonDb } from '../../../src/db/schema'
import { listCollections, listHistory, listRuns } from '../../../src/db/queries'
import { addRun, openRunsDoc } from '../../../src/sync/runDocs'
import { createWorkspace } from '../../../src/sync/workspaceDocs'
import { finishedRun } from '../../support/runs'

describe('the runs table', () => {
  it('arrives with the upgrade from the previous version, and everything stored before stays', async () => {
    const name = `pigeon-test-${nanoid()}`
    const old = new PigeonDb(name, 3)
    await old.collections.put({ ...Collection.parse({ id: 'c1', name: 'Kept collection' }), workspaceId: 'ws' })
    const sent = HistoryEntry.parse({ id: 'h1', request: RequestSnapshot.parse({ url: 'https://a.test' }), response: ResponseSummary.parse({ status: 200 }), sentAt: 5 })
    await old.history.put({ ...sent, workspaceId: 'ws' })
    await old.updates.add({ docName: 'ws/ws', update: new Uint8Array([1, 2, 3]), local: true, at: 1 })
    await old.docState.put({ docName: 'ws/ws', workspaceId: 'ws', mode: 'synced', lastAckedSeq: 0, compactedThroughSeq: 0, compactions: 0, compactedAt: 0, projectionVersion: 1 })
    await old.settings.put({ key: 'activeWorkspaceId', value: 'ws' })
    await old.conflicts.put({ id: 'x', workspaceId: 'ws', docName: 'ws/ws', kind: 'requests', entityId: 'r1', entityName: 'List', path: ['url'], fieldLabel: 'URL', mine: 'a', theirs: 'b', detectedAt: 1 })
    old.close()

    const upgraded = new PigeonDb(name)
    expect((await listCollections(upgraded, 'ws')).map(row => row.name)).toEqual(['Kept collection'])
    expect((await listHistory(upgraded, 'ws')).map(row => row.id)).toEqual(['h1'])
    expect(await upgraded.updates.count()).toBe(1)
    expect(await upgraded.docState.get('ws/ws')).toMatchObject({ mode: 'synced' })
    expect(await upgraded.settings.get('activeWorkspaceId')).toMatchObject({ value: 'ws' })
    expect(await upgraded.conflicts.count()).toBe(1)
    expect(await listRuns(upgraded, 'ws')).toEqual([])
    upgraded.close()
  })

  it('lists a workspace\'s runs newest first and finds them by collection', async () => {
    const db = new PigeonDb(`pigeon-test-${nanoid()}`)
    const { id: ws } = await createWorkspace(db, 'Team')
    const { id: other } = await createWorkspace(db, 'Other')
    const runs = openRunsDoc(db, ws)
    const otherRuns = openRunsDoc(db, other)
    await Promise.all([runs.whenLoaded, otherRuns.whenLoaded])
    addRun(runs, finishedRun({ name: 'Old', collectionId: 'c-pets', startedAt: 1 }))
    addRun(runs, finishedRun({ name: 'New', collectionId: 'c-shop', startedAt: 2 }))
    addRun(otherRuns, finishedRun({ name: 'Elsewhere', startedAt: 3 }))
    await Promise.all([runs.flushed(), otherRuns.flushed()])

    expect((await listRuns(db, ws)).map(run => run.name)).toEqual(['New', 'Old'])
    expect((await listRuns(db, ws, 1)).map(run => run.name)).toEqual(['New'])
    expect((await db.runs.where('[workspaceId+collectionId]').equals([ws, 'c-pets']).toArray()).map(run => run.name)).toEqual(['Old'])
    await Promise.all([runs.close(), otherRuns.close()])
    db.close()
  })
})
