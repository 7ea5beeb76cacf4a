import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { SCRATCH_PAD_NAME } from '../../../src/domain/model'
import { listWorkspaces } from '../../../src/db/queries'
import { readUpdateLog } from '../../../src/db/updateLog'
import { createEntity } from '../../../src/sync/mutations'
import { addHistoryEntry, openHistoryDoc } from '../../../src/sync/historyDocs'
import { createWorkspace, deleteWorkspace, ensureScratchPad, openWorkspaceDoc, renameWorkspace, SCRATCH_PAD_ID } from '../../../src/sync/workspaceDocs'
import { freshDb, projection } from './support'
import { RequestSnapshot } from '../../../src/domain/model'

describe('the workspace registry', () => {
  it('has one Scratch Pad from the first start, even when two tabs start at once', async () => {
    const db = freshDb()
    await Promise.all([ensureScratchPad(db), ensureScratchPad(db)])
    const workspaces = await listWorkspaces(db)
    expect(workspaces).toMatchObject([{ id: SCRATCH_PAD_ID, name: SCRATCH_PAD_NAME, kind: 'local' }])
    const handle = openWorkspaceDoc(db, SCRATCH_PAD_ID)
    await handle.whenLoaded
    expect(handle.doc.getMap('meta').get('name')).toBe(SCRATCH_PAD_NAME)
    await handle.close()
    db.close()
  })

  it('creates and renames workspaces, in the registry and in the doc', async () => {
    const db = freshDb()
    const closed = await createWorkspace(db, '  Payments  ')
    expect(closed.name).toBe('Payments')
    await renameWorkspace(db, closed.id, 'Billing')

    const open = await createWorkspace(db, 'Search')
    const handle = openWorkspaceDoc(db, open.id)
    await handle.whenLoaded
    await renameWorkspace(db, open.id, 'Discovery')
    expect(handle.doc.getMap('meta').get('name')).toBe('Discovery')
    await handle.close()

    expect((await listWorkspaces(db)).map(w => w.name)).toEqual(['Billing', 'Discovery'])
    const reopened = openWorkspaceDoc(db, closed.id)
    await reopened.whenLoaded
    expect(reopened.doc.getMap('meta').get('name')).toBe('Billing')
    await reopened.close()
    db.close()
  })

  it('refuses a blank name in words', async () => {
    const db = freshDb()
    await expect(createWorkspace(db, '   ')).rejects.toThrow('A workspace needs a name; type one and try again.')
    db.close()
  })

  it('deletes a workspace with its log, rows, doc state and history', async () => {
    const db = freshDb()
    const kept = await createWorkspace(db, 'Kept')
    const doomed = await createWorkspace(db, 'Doomed')
    const handle = openWorkspaceDoc(db, doomed.id)
    await handle.whenLoaded
    createEntity(handle, 'collections', {})
    const history = openHistoryDoc(db, doomed.id)
    await history.whenLoaded
    addHistoryEntry(history, {
      requestId: '',
      request: RequestSnapshot.parse({}),
      response: { status: 204, statusText: '', timeMs: 1, size: 0, headers: [], body: '', bodyTruncated: false, error: '' },
      sentAt: 1,
    })
    await handle.flushed()
    await history.flushed()

    await deleteWorkspace(db, doomed.id)
    expect((await listWorkspaces(db)).map(w => w.id)).toEqual([kept.id])
    expect(await readUpdateLog(db, `ws/${doomed.id}`)).toEqual([])
    expect(await readUpdateLog(db, `history/${doomed.id}/local`)).toEqual([])
    expect(await db.docState.where('workspaceId').equals(doomed.id).count()).toBe(0)
    expect(Object.values(await projection(db, doomed.id)).flat()).toEqual([])
    expect(await readUpdateLog(db, `ws/${kept.id}`)).toHaveLength(1)
    db.close()
  })

  it('keeps the Scratch Pad', async () => {
    const db = freshDb()
    await ensureScratchPad(db)
    await expect(deleteWorkspace(db, SCRATCH_PAD_ID)).rejects.toThrow(/The Scratch Pad cannot be deleted/)
    db.close()
  })
})
