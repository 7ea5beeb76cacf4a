import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { countUnackedLocalUpdates, markAcked, readDocState, readUpdateLog } from '../../../src/db/updateLog'
import { createEntity, updateEntity } from '../../../src/sync/mutations'
import { createWorkspace, openWorkspaceDoc } from '../../../src/sync/workspaceDocs'
import { docEntities, freshDb, openNewWorkspace, projection } from './support'

describe('compacting the update log', () => {
  it('merges a local workspace\'s log into one row and keeps every edit', async () => {
    const db = freshDb()
    const handle = await openNewWorkspace(db, 'Local', { compactAfter: 5 })
    const docName = `ws/${handle.workspaceId}`
    const collection = createEntity(handle, 'collections', { name: 'Pets' })
    for (let index = 0; index < 12; index++)
      updateEntity(handle, 'collections', collection.id, { description: `edit ${index}` })
    await handle.flushed()

    const rows = await readUpdateLog(db, docName)
    expect(rows.length).toBeLessThanOrEqual(6)
    expect(rows[0].compacted).toBe(true)
    expect((await readDocState(db, docName))!.compactions).toBeGreaterThan(0)

    const tables = await projection(db, handle.workspaceId)
    const doc = docEntities(handle.doc)
    await handle.close()
    const again = openWorkspaceDoc(db, handle.workspaceId)
    await again.whenLoaded
    expect(docEntities(again.doc)).toEqual(doc)
    expect(await projection(db, again.workspaceId)).toEqual(tables)
    await again.close()
    db.close()
  })

  it('keeps a synced workspace\'s unacked local updates as separate rows', async () => {
    const db = freshDb()
    const workspace = await createWorkspace(db, 'Team', 'team')
    const docName = `ws/${workspace.id}`
    const handle = openWorkspaceDoc(db, workspace.id, { compactAfter: 1000 })
    await handle.whenLoaded
    const collection = createEntity(handle, 'collections', {})
    for (let index = 0; index < 9; index++) {
      updateEntity(handle, 'collections', collection.id, { name: `name ${index}` })
      await handle.flushed()
    }
    const rows = await readUpdateLog(db, docName)
    expect(rows).toHaveLength(11)
    await markAcked(db, docName, rows[5].seq!)
    expect(await countUnackedLocalUpdates(db, docName)).toBe(5)

    await handle.compact()
    const after = await readUpdateLog(db, docName)
    expect(after).toHaveLength(6)
    expect(after[0]).toMatchObject({ seq: rows[5].seq, compacted: true })
    expect(after.slice(1).map(row => row.seq)).toEqual(rows.slice(6).map(row => row.seq))
    expect(await countUnackedLocalUpdates(db, docName)).toBe(5)

    const doc = docEntities(handle.doc)
    await handle.close()
    const again = openWorkspaceDoc(db, workspace.id)
    await again.whenLoaded
    expect(docEntities(again.doc)).toEqual(doc)
    await again.close()
    db.close()
  })
})
