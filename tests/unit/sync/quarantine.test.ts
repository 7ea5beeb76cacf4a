import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { listCollections, listQuarantine, listRequestTreeRows } from '../../../src/db/queries'
import { createEntity } from '../../../src/sync/mutations'
import { openWorkspaceDoc } from '../../../src/sync/workspaceDocs'
import { freshDb, openNewWorkspace } from './support'

/** An update from "another device" that writes a request with a url of the wrong type. */
function malformedRequestUpdate(collectionId: string): Uint8Array {
  const other = new Y.Doc()
  const request = new Y.Map<unknown>()
  other.getMap('requests').set('bad-request', request)
  request.set('id', 'bad-request')
  request.set('parentId', collectionId)
  request.set('collectionId', collectionId)
  request.set('url', 42)
  return Y.encodeStateAsUpdate(other)
}

describe('a record that fails its schema', () => {
  it('is set aside with a sentence while the rest of the workspace loads', async () => {
    const db = freshDb()
    const handle = await openNewWorkspace(db)
    const ws = handle.workspaceId
    const collection = createEntity(handle, 'collections', { name: 'Pets' })
    const good = createEntity(handle, 'requests', { parentId: collection.id, name: 'Good' })
    Y.applyUpdate(handle.doc, malformedRequestUpdate(collection.id), 'remote')
    await handle.flushed()

    expect((await listRequestTreeRows(db, ws)).map(row => row.id)).toEqual([good.id])
    const [record] = await listQuarantine(db, ws)
    expect(record).toMatchObject({ kind: 'requests', recordId: 'bad-request', source: 'document' })
    expect(record.sentence).toMatch(/^A request \(id bad-request\) in the workspace document does not match Pigeon's format \(url: Invalid input: expected string, received number\), so it was set aside/)

    // A later fix from the other device brings it back and clears the report.
    const fix = new Y.Doc()
    Y.applyUpdate(fix, Y.encodeStateAsUpdate(handle.doc))
    ;(fix.getMap('requests').get('bad-request') as Y.Map<unknown>).set('url', 'https://fixed.test')
    Y.applyUpdate(handle.doc, Y.encodeStateAsUpdate(fix, Y.encodeStateVector(handle.doc)), 'remote')
    await handle.flushed()
    expect((await listRequestTreeRows(db, ws)).map(row => row.name).sort()).toEqual(['Good', 'New Request'])
    expect(await listQuarantine(db, ws)).toEqual([])
    await handle.close()
    db.close()
  })

  it('does not stop a workspace from opening when it is already in the log', async () => {
    const db = freshDb()
    const handle = await openNewWorkspace(db)
    const ws = handle.workspaceId
    const collection = createEntity(handle, 'collections', { name: 'Pets' })
    Y.applyUpdate(handle.doc, malformedRequestUpdate(collection.id), 'remote')
    await handle.close()
    await db.requests.clear()
    await db.quarantine.clear()
    await db.docState.update(`ws/${ws}`, { projectionVersion: 0 })

    const again = openWorkspaceDoc(db, ws)
    await again.whenLoaded
    expect((await listCollections(db, ws)).map(c => c.name)).toEqual(['Pets'])
    expect(await listRequestTreeRows(db, ws)).toEqual([])
    expect((await listQuarantine(db, ws)).map(record => record.recordId)).toEqual(['bad-request'])
    await again.close()
    db.close()
  })
})
