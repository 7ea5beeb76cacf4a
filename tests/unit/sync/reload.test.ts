import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createEntity, updateEntity } from '../../../src/sync/mutations'
import { openWorkspaceDoc } from '../../../src/sync/workspaceDocs'
import { getRequest } from '../../../src/db/queries'
import { docEntities, freshDb, openNewWorkspace, projection } from './support'
import { header, variable } from './factories'

describe('reloading a workspace', () => {
  it('comes back from the update log with equal tables and equal document state', async () => {
    const db = freshDb()
    const first = await openNewWorkspace(db)
    const ws = first.workspaceId
    const collection = createEntity(first, 'collections', { name: 'Petstore', variables: [variable('id', '7')] })
    const request = createEntity(first, 'requests', { parentId: collection.id, name: 'Get pet', headers: [header('Accept', 'application/json')] })
    updateEntity(first, 'requests', request.id, { body: { mode: 'raw', raw: '{"name":"Rex"}' }, preRequestScript: 'pm.variables.set("a", 1)' })
    createEntity(first, 'environments', { name: 'Local' })
    await first.flushed()
    const tablesBefore = await projection(db, ws)
    const docBefore = docEntities(first.doc)
    const stateBefore = Y.decodeStateVector(Y.encodeStateVector(first.doc))
    const clientBefore = first.doc.clientID
    await first.close()

    const again = openWorkspaceDoc(db, ws)
    await again.whenLoaded
    expect(docEntities(again.doc)).toEqual(docBefore)
    expect(Y.decodeStateVector(Y.encodeStateVector(again.doc))).toEqual(stateBefore)
    expect(again.doc.clientID).not.toBe(clientBefore)
    expect(await projection(db, ws)).toEqual(tablesBefore)

    // Edits after the reload keep going into the same tables.
    updateEntity(again, 'requests', request.id, { name: 'Get one pet' })
    await again.flushed()
    expect((await getRequest(db, ws, request.id))?.name).toBe('Get one pet')
    await again.close()
    db.close()
  })

  it('rebuilds the tables from the log when they were lost', async () => {
    const db = freshDb()
    const first = await openNewWorkspace(db)
    const ws = first.workspaceId
    const collection = createEntity(first, 'collections', { name: 'Petstore' })
    createEntity(first, 'requests', { parentId: collection.id, name: 'Get pet' })
    await first.flushed()
    const tablesBefore = await projection(db, ws)
    await first.close()

    await db.requests.clear()
    await db.collections.clear()
    await db.docState.update(`ws/${ws}`, { projectionVersion: 0 })
    const again = openWorkspaceDoc(db, ws)
    await again.whenLoaded
    expect(await projection(db, ws)).toEqual(tablesBefore)
    await again.close()
    db.close()
  })

  it('shares one document between two openers and closes it after the last', async () => {
    const db = freshDb()
    const first = await openNewWorkspace(db)
    const second = openWorkspaceDoc(db, first.workspaceId)
    expect(second).toBe(first)
    await first.close()
    createEntity(second, 'collections', { name: 'still open' })
    await second.close()
    expect(await db.collections.count()).toBe(1)
    db.close()
  })
})
