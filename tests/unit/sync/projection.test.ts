import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { EXAMPLE_BODY_LIMIT, GLOBALS_ID } from '../../../src/domain/model'
import { keyBetween } from '../../../src/domain/tree'
import type { PigeonDb } from '../../../src/db/schema'
import { getCollection, getFolder, getGlobals, getRequest, listCollections, listEnvironments, listExamples, listFolders, listPresets, listRequestTreeRows } from '../../../src/db/queries'
import { createEntity, deleteEntity, duplicateEntity, moveEntity, updateEntity } from '../../../src/sync/mutations'
import type { WorkspaceHandle } from '../../../src/sync/workspaceDocs'
import { freshDb, openNewWorkspace, projectedIds } from './support'
import { header, variable } from './factories'

let db: PigeonDb
let handle: WorkspaceHandle

async function workspace() {
  db = freshDb()
  handle = await openNewWorkspace(db)
  return { ws: handle.workspaceId }
}

afterEach(async () => {
  await handle?.close()
  db?.close()
})

describe('the Y.Doc → Dexie projection', () => {
  it('shows a new collection, folder, request and example in the tables', async () => {
    const { ws } = await workspace()
    const collection = createEntity(handle, 'collections', { name: 'Petstore' })
    const folder = createEntity(handle, 'folders', { parentId: collection.id, name: 'Pets' })
    const request = createEntity(handle, 'requests', { parentId: folder.id, name: 'List pets', url: 'https://petstore.test/pets' })
    const example = createEntity(handle, 'examples', { requestId: request.id, name: '200 OK', request: { ...request }, status: 200, body: '[]' })
    await handle.flushed()

    expect((await listCollections(db, ws)).map(c => c.name)).toEqual(['Petstore'])
    expect(await getFolder(db, ws, folder.id)).toMatchObject({ name: 'Pets', parentId: collection.id, collectionId: collection.id })
    expect(await getRequest(db, ws, request.id)).toMatchObject({ name: 'List pets', collectionId: collection.id, url: 'https://petstore.test/pets' })
    expect((await listExamples(db, ws, request.id)).map(e => e.id)).toEqual([example.id])
    expect((await listRequestTreeRows(db, ws))[0]).toEqual({ id: request.id, parentId: folder.id, collectionId: collection.id, sortKey: request.sortKey, name: 'List pets', method: 'GET', url: 'https://petstore.test/pets' })
  })

  it('shows presets, environments and globals in the tables', async () => {
    const { ws } = await workspace()
    createEntity(handle, 'presets', { name: 'JSON', headers: [header('Accept', 'application/json')] })
    createEntity(handle, 'environments', { name: 'Staging', variables: [variable('baseUrl', 'https://staging.test')] })
    updateEntity(handle, 'globals', GLOBALS_ID, { variables: [variable('token', 'abc')] })
    await handle.flushed()

    expect((await listPresets(db, ws))[0].headers.map(h => h.key)).toEqual(['Accept'])
    expect((await listEnvironments(db, ws))[0].variables[0]).toMatchObject({ key: 'baseUrl', value: 'https://staging.test' })
    expect((await getGlobals(db, ws)).variables[0]).toMatchObject({ key: 'token', value: 'abc' })
  })

  it('updates one field of each kind and stamps it', async () => {
    const { ws } = await workspace()
    const collection = createEntity(handle, 'collections', { name: 'Old' })
    const folder = createEntity(handle, 'folders', { parentId: collection.id })
    const request = createEntity(handle, 'requests', { parentId: collection.id })
    const example = createEntity(handle, 'examples', { requestId: request.id, request: { ...request } })
    const preset = createEntity(handle, 'presets', {})
    const environment = createEntity(handle, 'environments', {})
    await handle.flushed()

    updateEntity(handle, 'collections', collection.id, { description: 'All about pets' })
    updateEntity(handle, 'folders', folder.id, { name: 'Renamed folder' })
    updateEntity(handle, 'requests', request.id, { method: 'POST', body: { mode: 'raw', raw: '{"a":1}' } })
    updateEntity(handle, 'examples', example.id, { name: 'Not found' })
    updateEntity(handle, 'presets', preset.id, { name: 'Auth headers' })
    updateEntity(handle, 'environments', environment.id, { name: 'Production' })
    await handle.flushed()

    expect((await getCollection(db, ws, collection.id))?.description).toBe('All about pets')
    expect((await getFolder(db, ws, folder.id))?.name).toBe('Renamed folder')
    const saved = await getRequest(db, ws, request.id)
    expect(saved).toMatchObject({ method: 'POST', body: { mode: 'raw', raw: '{"a":1}', rawLanguage: 'json' } })
    expect(saved!.updatedAt).toBeGreaterThanOrEqual(request.updatedAt)
    expect(saved!.updatedBy).toBe('local')
    expect((await listExamples(db, ws, request.id))[0].name).toBe('Not found')
    expect((await listPresets(db, ws))[0].name).toBe('Auth headers')
    expect((await listEnvironments(db, ws))[0].name).toBe('Production')
  })

  it('keeps a saved example\'s body up to the limit and marks the rest as cut', async () => {
    const { ws } = await workspace()
    const collection = createEntity(handle, 'collections', {})
    const request = createEntity(handle, 'requests', { parentId: collection.id })
    createEntity(handle, 'examples', { requestId: request.id, request: { ...request }, body: 'x'.repeat(EXAMPLE_BODY_LIMIT + 1) })
    await handle.flushed()
    const [example] = await listExamples(db, ws, request.id)
    expect(example.body).toHaveLength(EXAMPLE_BODY_LIMIT)
    expect(example.bodyTruncated).toBe(true)
  })

  it('writes nothing when an update changes nothing', async () => {
    await workspace()
    const collection = createEntity(handle, 'collections', {})
    const request = createEntity(handle, 'requests', { parentId: collection.id, url: 'https://a.test' })
    const before = Y.encodeStateVector(handle.doc)
    updateEntity(handle, 'requests', request.id, { url: 'https://a.test', auth: { type: 'inherit' } })
    expect(Y.encodeStateVector(handle.doc)).toEqual(before)
  })

  it('deletes a collection with its folders, requests and examples', async () => {
    const { ws } = await workspace()
    const kept = createEntity(handle, 'collections', { name: 'Kept' })
    const keptRequest = createEntity(handle, 'requests', { parentId: kept.id })
    const collection = createEntity(handle, 'collections', { name: 'Gone' })
    const folder = createEntity(handle, 'folders', { parentId: collection.id })
    const nested = createEntity(handle, 'folders', { parentId: folder.id })
    const request = createEntity(handle, 'requests', { parentId: nested.id })
    createEntity(handle, 'examples', { requestId: request.id, request: { ...request } })
    await handle.flushed()

    expect(deleteEntity(handle, 'collections', collection.id)).toBe(5)
    await handle.flushed()
    expect(await projectedIds(db, ws, 'collections')).toEqual([kept.id])
    expect(await projectedIds(db, ws, 'folders')).toEqual([])
    expect(await projectedIds(db, ws, 'requests')).toEqual([keptRequest.id])
    expect(await projectedIds(db, ws, 'examples')).toEqual([])
  })

  it('deletes a folder with its subtree, and a request with its examples', async () => {
    const { ws } = await workspace()
    const collection = createEntity(handle, 'collections', {})
    const folder = createEntity(handle, 'folders', { parentId: collection.id })
    const child = createEntity(handle, 'folders', { parentId: folder.id })
    createEntity(handle, 'requests', { parentId: child.id })
    const sibling = createEntity(handle, 'requests', { parentId: collection.id })
    createEntity(handle, 'examples', { requestId: sibling.id, request: { ...sibling } })

    deleteEntity(handle, 'folders', folder.id)
    await handle.flushed()
    expect(await projectedIds(db, ws, 'folders')).toEqual([])
    expect(await projectedIds(db, ws, 'requests')).toEqual([sibling.id])

    deleteEntity(handle, 'requests', sibling.id)
    await handle.flushed()
    expect(await projectedIds(db, ws, 'requests')).toEqual([])
    expect(await projectedIds(db, ws, 'examples')).toEqual([])
  })

  it('deletes a preset and an environment', async () => {
    const { ws } = await workspace()
    const preset = createEntity(handle, 'presets', {})
    const environment = createEntity(handle, 'environments', {})
    deleteEntity(handle, 'presets', preset.id)
    deleteEntity(handle, 'environments', environment.id)
    await handle.flushed()
    expect(await projectedIds(db, ws, 'presets')).toEqual([])
    expect(await projectedIds(db, ws, 'environments')).toEqual([])
  })

  it('moves a folder into another collection and its contents follow', async () => {
    const { ws } = await workspace()
    const from = createEntity(handle, 'collections', { name: 'From' })
    const to = createEntity(handle, 'collections', { name: 'To' })
    const folder = createEntity(handle, 'folders', { parentId: from.id })
    const inner = createEntity(handle, 'folders', { parentId: folder.id })
    const request = createEntity(handle, 'requests', { parentId: inner.id })
    const existing = createEntity(handle, 'requests', { parentId: to.id })

    moveEntity(handle, 'folders', folder.id, to.id)
    await handle.flushed()
    const moved = await getFolder(db, ws, folder.id)
    expect(moved).toMatchObject({ parentId: to.id, collectionId: to.id })
    expect(moved!.sortKey > existing.sortKey).toBe(true)
    expect((await getFolder(db, ws, inner.id))?.collectionId).toBe(to.id)
    expect((await getRequest(db, ws, request.id))?.collectionId).toBe(to.id)
  })

  it('refuses to move a folder into itself, in words', async () => {
    await workspace()
    const collection = createEntity(handle, 'collections', {})
    const folder = createEntity(handle, 'folders', { parentId: collection.id })
    const inner = createEntity(handle, 'folders', { parentId: folder.id })
    expect(() => moveEntity(handle, 'folders', folder.id, inner.id)).toThrow('A folder cannot go inside itself or one of its own folders.')
  })

  it('reorders requests by sort key', async () => {
    const { ws } = await workspace()
    const collection = createEntity(handle, 'collections', {})
    const first = createEntity(handle, 'requests', { parentId: collection.id, name: 'first' })
    const second = createEntity(handle, 'requests', { parentId: collection.id, name: 'second' })
    moveEntity(handle, 'requests', second.id, collection.id, keyBetween(null, first.sortKey))
    await handle.flushed()
    expect((await listRequestTreeRows(db, ws)).map(r => r.name)).toEqual(['second', 'first'])
  })

  it('duplicates a folder with its requests and examples under new ids', async () => {
    const { ws } = await workspace()
    const collection = createEntity(handle, 'collections', {})
    const folder = createEntity(handle, 'folders', { parentId: collection.id, name: 'Pets' })
    const request = createEntity(handle, 'requests', { parentId: folder.id, name: 'List' })
    createEntity(handle, 'examples', { requestId: request.id, request: { ...request } })

    const copyId = duplicateEntity(handle, 'folders', folder.id)
    await handle.flushed()
    const folders = await listFolders(db, ws)
    expect(folders.map(f => f.name)).toEqual(['Pets', 'Pets Copy'])
    const copiedRequests = (await listRequestTreeRows(db, ws)).filter(r => r.parentId === copyId)
    expect(copiedRequests.map(r => r.name)).toEqual(['List'])
    expect(copiedRequests[0].id).not.toBe(request.id)
    expect(await listExamples(db, ws, copiedRequests[0].id)).toHaveLength(1)
  })
})
