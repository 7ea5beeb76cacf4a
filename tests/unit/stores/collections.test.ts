import 'fake-indexeddb/auto'
import { beforeEach, describe, expect, it } from 'vitest'
import { useCollectionsStore } from '../../../src/stores/collections'
import { useNotificationsStore } from '../../../src/stores/notifications'
import { openWorkspace, until } from './support'

async function openApp() {
  const workspaces = await openWorkspace()
  const collections = useCollectionsStore()
  await until(() => collections.loaded, 'the tree loaded')
  return { workspaces, collections, notifications: useNotificationsStore() }
}

const names = (rows: ReadonlyArray<{ name: string }>) => rows.map(row => row.name)

describe('collections store', () => {
  let app: Awaited<ReturnType<typeof openApp>>
  beforeEach(async () => {
    app = await openApp()
  })

  it('creates a collection with a folder and a request and sees them in the tree', async () => {
    const { collections } = app
    const collectionId = await collections.createCollection('Pets API')
    const folderId = await collections.createFolder(collectionId, 'Dogs')
    await collections.createRequest(folderId, { name: 'List dogs', method: 'GET', url: 'https://pets.test/dogs' })
    collections.setExpanded(collectionId, true)

    await until(() => collections.rows.length === 3, 'three rows show')
    expect(collections.rows.map(row => [row.name, row.level, row.kind])).toEqual([
      ['Pets API', 1, 'collection'],
      ['Dogs', 2, 'folder'],
      ['List dogs', 3, 'request'],
    ])
    expect(collections.rows[2].method).toBe('GET')
  })

  it('renames and duplicates a folder with what is inside it', async () => {
    const { collections } = app
    const collectionId = await collections.createCollection('Shop')
    const folderId = await collections.createFolder(collectionId, 'Orders')
    await collections.createRequest(folderId, { name: 'Create order', method: 'POST' })
    await until(() => collections.rows.length === 3, 'the tree shows')

    await collections.rename(folderId, 'Purchases')
    const copyId = await collections.duplicate(folderId)
    collections.setExpanded(copyId, true)

    await until(() => collections.rows.length === 5, 'the copy shows')
    expect(names(collections.rows)).toEqual(['Shop', 'Purchases', 'Create order', 'Purchases Copy', 'Create order'])
  })

  it('undoes a delete and gets the whole folder back', async () => {
    const { collections, notifications } = app
    const collectionId = await collections.createCollection('Shop')
    const folderId = await collections.createFolder(collectionId, 'Orders')
    const subfolderId = await collections.createFolder(folderId, 'Refunds')
    const requestId = await collections.createRequest(subfolderId, { name: 'Refund', method: 'POST', url: 'https://shop.test/refunds' })
    await until(() => collections.rows.length === 4, 'the tree shows')

    const removed = await collections.remove(folderId)
    expect(removed).toEqual(expect.arrayContaining([folderId, subfolderId, requestId]))
    await until(() => collections.rows.length === 1, 'the folder is gone')
    const toast = notifications.notifications.at(-1)!
    expect(toast.message).toBe('Deleted “Orders”')
    expect(toast.action?.label).toBe('Undo')

    await notifications.runAction(toast.id)
    await until(() => collections.rows.length === 4, 'the folder is back')
    expect(collections.rows.map(row => row.id)).toEqual([collectionId, folderId, subfolderId, requestId])
    expect((await collections.requestById(requestId))?.url).toBe('https://shop.test/refunds')
  })

  it('moves a request into another folder and reorders it before a sibling', async () => {
    const { collections } = app
    const collectionId = await collections.createCollection('API')
    const first = await collections.createFolder(collectionId, 'First')
    const second = await collections.createFolder(collectionId, 'Second')
    const a = await collections.createRequest(first, { name: 'A' })
    const b = await collections.createRequest(second, { name: 'B' })
    collections.setExpanded(first, true)
    collections.setExpanded(second, true)
    await until(() => collections.rows.length === 5, 'the tree shows')

    expect(collections.destinationsFor(a).map(d => d.name)).toEqual(['API', 'First', 'Second'])
    expect(collections.canMove(first, first)).toBe(false)

    await collections.move(a, { parentId: second, position: 'before', siblingId: b })
    await until(() => names(collections.rows).join() === 'API,First,Second,A,B', 'A moved before B')
    expect((await collections.ancestorsOf(a)).folders.map(f => f.name)).toEqual(['Second'])
  })

  it('filters the tree by name and by URL, showing where each match sits', async () => {
    const { collections } = app
    const collectionId = await collections.createCollection('Pets')
    const folderId = await collections.createFolder(collectionId, 'Cats')
    await collections.createRequest(folderId, { name: 'List cats', url: 'https://pets.test/cats' })
    await collections.createRequest(collectionId, { name: 'Health', url: 'https://pets.test/healthz' })
    await until(() => collections.collections.length === 1 && collections.requests.length === 2, 'everything is stored')

    collections.setFilter('healthz')
    expect(names(collections.rows)).toEqual(['Pets', 'Health'])
    collections.setFilter('list')
    expect(names(collections.rows)).toEqual(['Pets', 'Cats', 'List cats'])
    collections.setFilter('')
    collections.setExpanded(folderId, false)
    expect(names(collections.rows)).toEqual(['Pets', 'Cats', 'Health'])
  })

  it('imports a Postman collection file', async () => {
    const { collections } = app
    const file = JSON.stringify({
      info: { name: 'Imported', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
      item: [{ name: 'Users', item: [{ name: 'Get user', request: { method: 'GET', url: 'https://api.test/users/1' } }] }],
    })
    const summary = await collections.importFile(new TextEncoder().encode(file))
    expect(summary).toMatchObject({ kind: 'collection', name: 'Imported', folders: 1, requests: 1 })
    collections.setFilter('users/1')
    await until(() => collections.rows.length === 3, 'the imported request shows')
    expect(names(collections.rows)).toEqual(['Imported', 'Users', 'Get user'])
  })

  it('refuses a file that is not a Postman collection, in words', async () => {
    await expect(app.collections.importFile(new TextEncoder().encode('{"hello": 1}'))).rejects.toThrow(/not a Postman collection/)
  })
})
