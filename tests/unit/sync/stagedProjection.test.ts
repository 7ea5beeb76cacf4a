/**
 * A large change (the first sign-in's restore) is stored in stages:
 * collections and folders first, the sidebar's request rows next, whole
 * requests after them, the update log last. These
 * tests receive such a change as another device's update, and crash between
 * the stages to show the next open repairs the projection.
 */
import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { PigeonDb } from '../../../src/db/schema'
import { getRequestOnceStored, listCollections, listFolders, listRequestTreeRows } from '../../../src/db/queries'
import { type ProjectionBatch } from '../../../src/db/projection'
import { isProjectionIncomplete, ROWS_PER_STAGE, STAGE_ABOVE_ROWS, StagedWriter, writeProjectionInStages } from '../../../src/db/stagedProjection'
import { readDocState, readUpdateLog } from '../../../src/db/updateLog'
import { importEntities, updateEntity } from '../../../src/sync/mutations'
import { createWorkspace, openWorkspaceDoc, workspaceDocName } from '../../../src/sync/workspaceDocs'
import { freshDb, openNewWorkspace, projection } from './support'
import { InProcessLocks } from '../../support/tabLocks'

// One stage of sidebar rows (fewer than TREE_ROWS_PER_STAGE), then several of whole rows.
const REQUESTS = STAGE_ABOVE_ROWS + 2 * ROWS_PER_STAGE + 17

/** A workspace on "another device" with more requests than one transaction takes; its rows and its whole state as one update. */
async function workspaceElsewhere() {
  const db = freshDb()
  const handle = await openNewWorkspace(db, 'Shop API')
  importEntities(handle, {
    collections: [{ id: 'c1', name: 'Shop' }],
    folders: [{ id: 'f1', name: 'Orders', parentId: 'c1' }, { id: 'f2', name: 'Carts', parentId: 'c1' }],
    requests: Array.from({ length: REQUESTS }, (_, r) => ({ id: `r${r}`, name: `Request ${r}`, parentId: r % 2 ? 'f1' : 'f2', method: 'GET', url: `https://shop.example.com/${r}`, preRequestScript: 'x'.repeat(200) })),
    environments: [{ id: 'e1', name: 'Staging', variables: [] }],
  })
  await handle.flushed()
  const rows = await projection(db, handle.workspaceId)
  const update = Y.encodeStateAsUpdate(handle.doc)
  await handle.close()
  db.close()
  return { workspaceId: handle.workspaceId, rows, update }
}

/** This device: the same workspace registered and opened empty, as a first sign-in has it. */
async function emptyCopy(workspaceId: string) {
  const db = freshDb()
  await createWorkspace(db, 'Shop API', 'team', workspaceId)
  const handle = openWorkspaceDoc(db, workspaceId)
  await handle.whenLoaded
  return { db, handle }
}

/** A workspace elsewhere and this device's empty copy of it, its doc closed: the test drives the writes itself. */
async function elsewhereAndClosedCopy() {
  const elsewhere = await workspaceElsewhere()
  const { db, handle } = await emptyCopy(elsewhere.workspaceId)
  await handle.close()
  return { elsewhere, db, ws: elsewhere.workspaceId, docName: handle.docName }
}

/** The batch the document observer makes of the whole update: every row put, every request fresh. */
function batchOf(workspaceId: string, rows: Record<string, Array<Record<string, unknown>>>, update: Uint8Array): ProjectionBatch {
  const puts: ProjectionBatch['puts'] = {}
  for (const [table, records] of Object.entries(rows)) {
    if (records.length)
      puts[table as keyof ProjectionBatch['puts']] = records as Array<{ id: string }>
  }
  return { docName: workspaceDocName(workspaceId), workspaceId, update, local: false, puts, deletes: {}, quarantine: [], releasedQuarantineIds: [], freshRequestIds: (rows.requests ?? []).map(row => String(row.id)) }
}

async function crashAfterStage(db: PigeonDb, batch: ProjectionBatch, stage: number): Promise<void> {
  const crash = new Error(`the tab was killed after stage ${stage}`)
  await expect(writeProjectionInStages(db, [batch], { afterStage: async (done) => {
    if (done === stage)
      throw crash
  } })).rejects.toBe(crash)
}

// Thousands of rows through fake-indexeddb take a while on a busy machine.
describe('a large change stored in stages', { timeout: 120_000 }, () => {
  it('ends with every row projected, the update in the log and the projection marked complete', async () => {
    const elsewhere = await workspaceElsewhere()
    const { db, handle } = await emptyCopy(elsewhere.workspaceId)

    Y.applyUpdate(handle.doc, elsewhere.update, 'server')
    await handle.flushed()

    expect(await projection(db, elsewhere.workspaceId)).toEqual(elsewhere.rows)
    expect(await listRequestTreeRows(db, elsewhere.workspaceId)).toHaveLength(REQUESTS)
    const log = await readUpdateLog(db, handle.docName)
    expect(log.filter(row => !row.local)).toHaveLength(1)
    expect(isProjectionIncomplete((await readDocState(db, handle.docName))!)).toBe(false)

    // Edits after it are stored as usual, over the restored rows.
    updateEntity(handle, 'requests', 'r5', { name: 'List orders' })
    await handle.flushed()
    expect((await getRequestOnceStored(db, elsewhere.workspaceId, 'r5'))?.name).toBe('List orders')
    await handle.close()
    db.close()
  })

  it('shows collections and folders first, then the sidebar\'s request rows, and opening a request waits for its whole row', async () => {
    const { elsewhere, db, ws, docName } = await elsewhereAndClosedCopy()
    const logBefore = await readUpdateLog(db, docName)
    const lastId = `r${REQUESTS - 1}`
    const seen: Array<{ collections: number, folders: number, treeRows: number, wholeRows: number, logRows: number, incomplete: boolean }> = []
    let opened: Promise<unknown> | null = null

    await writeProjectionInStages(db, [batchOf(ws, elsewhere.rows, elsewhere.update)], { afterStage: async (stage) => {
      if (stage > 2)
        return
      seen.push({
        collections: (await listCollections(db, ws)).length,
        folders: (await listFolders(db, ws)).length,
        treeRows: (await listRequestTreeRows(db, ws)).length,
        wholeRows: await db.requests.where('workspaceId').equals(ws).count(),
        logRows: (await readUpdateLog(db, workspaceDocName(ws))).length,
        incomplete: isProjectionIncomplete((await readDocState(db, workspaceDocName(ws)))!),
      })
      // The person clicks the last request in the sidebar before its whole row is stored.
      if (stage === 2)
        opened = getRequestOnceStored(db, ws, lastId)
    } })

    expect(seen).toEqual([
      { collections: 1, folders: 2, treeRows: 0, wholeRows: 0, logRows: logBefore.length, incomplete: true },
      { collections: 1, folders: 2, treeRows: REQUESTS, wholeRows: 0, logRows: logBefore.length, incomplete: true },
    ])
    expect(await opened).toMatchObject({ id: lastId, name: `Request ${REQUESTS - 1}` })
    expect(await projection(db, ws)).toEqual(elsewhere.rows)
    db.close()
  })

  it('stores the sidebar rows of a change that comes while whole rows are being stored before the rest, and a delete in it stays deleted', async () => {
    const { elsewhere, db, ws } = await elsewhereAndClosedCopy()
    const writer = new StagedWriter(db, workspaceDocName(ws))
    await writer.storeSidebar([batchOf(ws, elsewhere.rows, elsewhere.update)])
    expect(await writer.storeNext()).toBeNull() // One stage of whole rows stored, more to come.

    // The next piece: a request whose whole row still waits deleted, the last request renamed, a new request added.
    const deletedId = `r${REQUESTS - 2}`
    const lastId = `r${REQUESTS - 1}`
    const renamed = { ...elsewhere.rows.requests!.find(row => row.id === lastId)!, name: 'Renamed last' }
    const added = { ...renamed, id: 'r-new', name: 'Added later' }
    const next: ProjectionBatch = { docName: workspaceDocName(ws), workspaceId: ws, update: null, local: false, puts: { requests: [renamed, added] as never }, deletes: { requests: [deletedId] }, quarantine: [], releasedQuarantineIds: [], freshRequestIds: [lastId, 'r-new'] }
    await writer.storeSidebar([next])
    const sidebar = await listRequestTreeRows(db, ws)
    expect(sidebar.map(row => row.name)).toContain('Added later')
    expect(sidebar.find(row => row.id === lastId)?.name).toBe('Renamed last')
    expect(sidebar.some(row => row.id === deletedId)).toBe(false)
    expect(await db.requests.get([ws, 'r-new'])).toBeUndefined() // Its whole row waits behind the older ones.

    let seqs: number[] | null = null
    while (!seqs)
      seqs = await writer.storeNext()
    expect(seqs).toHaveLength(1) // The first piece's update; the second carried none.
    expect(await db.requests.get([ws, deletedId])).toBeUndefined()
    expect((await db.requests.get([ws, lastId]))?.name).toBe('Renamed last')
    expect((await db.requests.get([ws, 'r-new']))?.name).toBe('Added later')
    expect(await db.requests.where('workspaceId').equals(ws).count()).toBe(REQUESTS)
    expect(isProjectionIncomplete((await readDocState(db, workspaceDocName(ws)))!)).toBe(false)
    expect(writer.busy).toBe(false)
    db.close()
  })

  it('a tab opened while another tab restores leaves that restore\'s rows alone, and the restore ends complete', async () => {
    const { elsewhere, db, ws, docName } = await elsewhereAndClosedCopy()
    const locks = new InProcessLocks()
    const restoring = new StagedWriter(db, docName, {}, locks)
    await restoring.storeSidebar([batchOf(ws, elsewhere.rows, elsewhere.update)])
    expect(await restoring.storeNext()).toBeNull()

    // A second tab opens the workspace: the mark is the restoring tab's, which is still at work.
    const secondTab = openWorkspaceDoc(db, ws, { locks })
    await secondTab.whenLoaded
    expect(await listRequestTreeRows(db, ws)).toHaveLength(REQUESTS)

    let seqs: number[] | null = null
    while (!seqs)
      seqs = await restoring.storeNext()
    expect(isProjectionIncomplete((await readDocState(db, docName))!)).toBe(false)
    expect(await projection(db, ws)).toEqual(elsewhere.rows)
    await secondTab.close()
    db.close()
  })

  it('keeps the projection marked incomplete while a second tab\'s staged write of the same workspace is unfinished, and repairs it once that tab is gone', async () => {
    const { elsewhere, db, ws, docName } = await elsewhereAndClosedCopy()
    // One tab restores the workspace; another imports into it at the same time and is killed before its last stage.
    const restoring = new StagedWriter(db, docName, {}, null)
    const importing = new StagedWriter(db, docName, {}, null)
    const imported = { ...elsewhere.rows.requests![0]!, id: 'r-imported', name: 'Imported' }
    await restoring.storeSidebar([batchOf(ws, elsewhere.rows, elsewhere.update)])
    await importing.storeSidebar([{ docName, workspaceId: ws, update: new Uint8Array([0, 0]), local: true, puts: { requests: [imported] as never }, deletes: {}, quarantine: [], releasedQuarantineIds: [], freshRequestIds: ['r-imported'] }])

    let seqs: number[] | null = null
    while (!seqs)
      seqs = await restoring.storeNext()

    // The import's sidebar row is stored but its update is not in the log: the next open must rebuild.
    expect(isProjectionIncomplete((await readDocState(db, docName))!)).toBe(true)
    const reopened = openWorkspaceDoc(db, ws, { locks: null })
    await reopened.whenLoaded
    expect(isProjectionIncomplete((await readDocState(db, docName))!)).toBe(false)
    expect((await listRequestTreeRows(db, ws)).some(row => row.id === 'r-imported')).toBe(false)
    expect(await projection(db, ws)).toEqual(elsewhere.rows)
    await reopened.close()
    db.close()
  })

  it('still rebuilds a projection marked incomplete by an earlier version, whose mark named no writer', async () => {
    const { elsewhere, db, docName } = await elsewhereAndClosedCopy()
    const state = (await readDocState(db, docName))!
    await db.docState.put({ ...state, projectionIncomplete: true } as typeof state)
    expect(isProjectionIncomplete((await readDocState(db, docName))!)).toBe(true)
    await db.requestTree.put({ workspaceId: elsewhere.workspaceId, id: 'r-half-stored', name: 'Half stored' } as never)

    const reopened = openWorkspaceDoc(db, elsewhere.workspaceId)
    await reopened.whenLoaded
    expect(isProjectionIncomplete((await readDocState(db, docName))!)).toBe(false)
    expect(await listRequestTreeRows(db, elsewhere.workspaceId)).toEqual([])
    await reopened.close()
    db.close()
  })

  for (const stage of [1, 2, 3]) {
    it(`repairs a crash after stage ${stage} on the next open: the projection matches the log again`, async () => {
      const { elsewhere, db, docName } = await elsewhereAndClosedCopy()
      const logBefore = await readUpdateLog(db, docName)

      await crashAfterStage(db, batchOf(elsewhere.workspaceId, elsewhere.rows, elsewhere.update), stage)
      expect(isProjectionIncomplete((await readDocState(db, docName))!)).toBe(true)
      expect(await readUpdateLog(db, docName)).toEqual(logBefore)

      // Next open: the log does not hold the change, so neither do the tables.
      const reopened = openWorkspaceDoc(db, elsewhere.workspaceId)
      await reopened.whenLoaded
      expect(isProjectionIncomplete((await readDocState(db, docName))!)).toBe(false)
      expect(await listRequestTreeRows(db, elsewhere.workspaceId)).toEqual([])
      expect(await db.requests.where('workspaceId').equals(elsewhere.workspaceId).count()).toBe(0)

      // Sync brings the change again, and this time it is all stored.
      Y.applyUpdate(reopened.doc, elsewhere.update, 'server')
      await reopened.flushed()
      expect(await projection(db, elsewhere.workspaceId)).toEqual(elsewhere.rows)
      await reopened.close()
      db.close()
    })
  }
})
