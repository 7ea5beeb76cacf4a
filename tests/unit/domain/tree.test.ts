import { describe, expect, it } from 'vitest'
import { buildTree, canMove, cloneSubtree, filterTree, flattenTree, indexEntities, isDescendant, keyBetween, keyForIndex, keysBetween, moveProblem } from '../../../src/domain/tree'
import type { Collection, Folder, Request } from '../../../src/domain/model'
import { collection, example, folder, request } from './factories'

/** A small workspace: API › Users (› Admin) + Health; Other is empty. */
function workspace() {
  const api = collection({ name: 'API', sortKey: 'a0' })
  const other = collection({ name: 'Other', sortKey: 'a1' })
  const users = folder(api, { name: 'Users', sortKey: 'a1' })
  const admin = folder(users, { name: 'Admin', sortKey: 'a0' })
  const health = request(api, { name: 'Health', sortKey: 'a0', url: '{{base}}/health' })
  const listUsers = request(users, { name: 'List users', sortKey: 'a2', method: 'GET', url: '{{base}}/users' })
  const createUser = request(users, { name: 'Create user', sortKey: 'a1', method: 'POST', url: '{{base}}/users' })
  const ban = request(admin, { name: 'Ban', method: 'DELETE', url: '{{base}}/admin/ban/:id' })
  return { api, other, users, admin, health, listUsers, createUser, ban, entities: { collections: [other, api], folders: [admin, users], requests: [ban, listUsers, health, createUser] } }
}

describe('the sidebar tree', () => {
  it('orders collections, folders and requests by sort key', () => {
    const { entities } = workspace()
    const tree = buildTree(entities)
    expect(tree.map(node => node.name)).toEqual(['API', 'Other'])
    expect(tree[0].children.map(node => node.name)).toEqual(['Health', 'Users'])
    expect(tree[0].children[1].children.map(node => node.name)).toEqual(['Admin', 'Create user', 'List users'])
  })

  it('orders items with the same sort key by name', () => {
    const api = collection()
    const tree = buildTree({ collections: [api], folders: [], requests: [request(api, { name: 'b' }), request(api, { name: 'a' })] })
    expect(tree[0].children.map(node => node.name)).toEqual(['a', 'b'])
  })

  it('shows an item whose folder is gone at the top of its collection', () => {
    const api = collection()
    const lost = request({ id: 'deleted-folder', collectionId: api.id }, { name: 'Lost' })
    expect(buildTree({ collections: [api], folders: [], requests: [lost] })[0].children.map(node => node.name)).toEqual(['Lost'])
  })

  it('flattens only what is expanded, with depths', () => {
    const { entities, api, users } = workspace()
    const tree = buildTree(entities)
    expect(flattenTree(tree, new Set()).map(row => row.name)).toEqual(['API', 'Other'])
    const rows = flattenTree(tree, new Set([api.id, users.id]))
    expect(rows.map(row => `${'  '.repeat(row.depth)}${row.name}`)).toEqual(['API', '  Health', '  Users', '    Admin', '    Create user', '    List users', 'Other'])
    expect(rows[0]).toMatchObject({ kind: 'collection', hasChildren: true, expanded: true })
    expect(rows[3]).toMatchObject({ kind: 'folder', hasChildren: true, expanded: false })
    expect(rows[4]).toMatchObject({ kind: 'request', method: 'POST', url: '{{base}}/users', hasChildren: false })
    expect(rows[6]).toMatchObject({ hasChildren: false })
  })
})

describe('searching the sidebar', () => {
  it('finds requests by name and expands their folders', () => {
    const { entities, api, users, admin } = workspace()
    const { tree, expanded } = filterTree(buildTree(entities), 'BAN')
    expect(flattenTree(tree, expanded).map(row => row.name)).toEqual(['API', 'Users', 'Admin', 'Ban'])
    expect([...expanded].sort()).toEqual([api.id, users.id, admin.id].sort())
  })

  it('finds requests by URL', () => {
    const { entities } = workspace()
    const { tree, expanded } = filterTree(buildTree(entities), '/health')
    expect(flattenTree(tree, expanded).map(row => row.name)).toEqual(['API', 'Health'])
  })

  it('keeps a matching folder with everything in it', () => {
    const { entities, users } = workspace()
    const { tree, expanded } = filterTree(buildTree(entities), 'users')
    // "Users" matches by name; its two requests match by URL and are shown in it.
    const rows = flattenTree(tree, new Set([...expanded, users.id]))
    expect(rows.map(row => row.name)).toEqual(['API', 'Users', 'Admin', 'Create user', 'List users'])
  })

  it('finds nothing for an unknown term and everything for an empty one', () => {
    const { entities } = workspace()
    const tree = buildTree(entities)
    expect(filterTree(tree, 'zzz').tree).toEqual([])
    expect(filterTree(tree, '  ').tree).toEqual(tree)
  })
})

describe('sort keys', () => {
  it('makes keys between neighbours', () => {
    const first = keyBetween(null, null)
    const after = keyBetween(first, null)
    const before = keyBetween(null, first)
    const middle = keyBetween(first, after)
    expect([after, first, middle, before].sort()).toEqual([before, first, middle, after])
  })

  it('makes several keys in order', () => {
    const keys = keysBetween(null, null, 5)
    expect(keys).toHaveLength(5)
    expect([...keys].sort()).toEqual(keys)
    const inside = keysBetween(keys[0], keys[1], 3)
    expect(inside.every(key => key > keys[0] && key < keys[1])).toBe(true)
  })

  it('copes with equal keys from old data', () => {
    expect(keyBetween('a0', 'a0') > 'a0').toBe(true)
  })

  it('gives the key for a drop position', () => {
    const keys = ['a0', 'a1', 'a2']
    expect(keyForIndex(keys, 0) < 'a0').toBe(true)
    const between = keyForIndex(keys, 2)
    expect(between > 'a1' && between < 'a2').toBe(true)
    expect(keyForIndex(keys, 3) > 'a2').toBe(true)
    expect(keyForIndex([], 0)).toBe('a0')
  })
})

describe('moving items', () => {
  it('lets a folder or request go into another folder or collection', () => {
    const { entities, admin, other, health, users } = workspace()
    const index = indexEntities(entities)
    expect(canMove(index, admin.id, other.id)).toBe(true)
    expect(canMove(index, health.id, users.id)).toBe(true)
  })

  it('refuses a folder into itself or its own folders', () => {
    const { entities, users, admin } = workspace()
    const index = indexEntities(entities)
    expect(isDescendant(index, admin.id, users.id)).toBe(true)
    expect(isDescendant(index, users.id, admin.id)).toBe(false)
    expect(canMove(index, users.id, users.id)).toBe(false)
    expect(moveProblem(index, users.id, admin.id)).toBe('A folder cannot go inside itself or one of its own folders.')
  })

  it('refuses anything into a request and a collection into anything', () => {
    const { entities, health, ban, api, other } = workspace()
    const index = indexEntities(entities)
    expect(moveProblem(index, ban.id, health.id)).toMatch(/not into a request/)
    expect(canMove(index, api.id, other.id)).toBe(false)
    expect(canMove(index, 'gone', other.id)).toBe(false)
  })
})

describe('duplicating', () => {
  let counter = 0
  const newId = () => `copy-${++counter}`

  it('copies a folder with its folders, requests and examples under new ids', () => {
    const { api, users, admin, ban, listUsers, createUser, health, entities } = workspace()
    const saved = example(ban, { name: 'Banned' })
    const content = { collections: entities.collections as Collection[], folders: entities.folders as Folder[], requests: entities.requests as Request[], examples: [saved] }
    const copy = cloneSubtree('folder', users.id, content, newId, { now: 5, updatedBy: 'me' })
    expect(copy.collections).toEqual([])
    expect(copy.folders.map(f => f.name).sort()).toEqual(['Admin', 'Users Copy'])
    expect(copy.requests.map(r => r.name).sort()).toEqual(['Ban', 'Create user', 'List users'])
    expect(copy.examples.map(e => e.name)).toEqual(['Banned'])

    const usersCopy = copy.folders.find(f => f.name === 'Users Copy')!
    const adminCopy = copy.folders.find(f => f.name === 'Admin')!
    const banCopy = copy.requests.find(r => r.name === 'Ban')!
    const originalIds = [users, admin, ban, listUsers, createUser, saved].map(item => item.id)
    for (const item of [...copy.folders, ...copy.requests, ...copy.examples])
      expect(originalIds).not.toContain(item.id)
    expect(usersCopy.parentId).toBe(api.id)
    expect(adminCopy.parentId).toBe(usersCopy.id)
    expect(banCopy.parentId).toBe(adminCopy.id)
    expect(banCopy.url).toBe(ban.url)
    expect(copy.examples[0].requestId).toBe(banCopy.id)
    expect(usersCopy).toMatchObject({ createdAt: 5, updatedAt: 5, updatedBy: 'me' })
    // Right after the original, before the next sibling (none here: Users is last).
    expect(usersCopy.sortKey > users.sortKey).toBe(true)
    expect(usersCopy.sortKey > health.sortKey).toBe(true)
  })

  it('copies a request right after the original', () => {
    const { createUser, listUsers, entities } = workspace()
    const copy = cloneSubtree('request', createUser.id, { ...entities, examples: [] } as never, newId)
    expect(copy.requests).toHaveLength(1)
    expect(copy.requests[0]).toMatchObject({ name: 'Create user Copy', parentId: createUser.parentId, method: 'POST' })
    expect(copy.requests[0].sortKey > createUser.sortKey && copy.requests[0].sortKey < listUsers.sortKey).toBe(true)
  })

  it('copies a whole collection and points everything at the copy', () => {
    const { api, entities } = workspace()
    const copy = cloneSubtree('collection', api.id, { ...entities, examples: [] } as never, newId)
    expect(copy.collections[0].name).toBe('API Copy')
    expect(copy.folders).toHaveLength(2)
    expect(copy.requests).toHaveLength(4)
    for (const item of [...copy.folders, ...copy.requests])
      expect(item.collectionId).toBe(copy.collections[0].id)
    const tree = buildTree({ collections: copy.collections, folders: copy.folders, requests: copy.requests })
    expect(flattenTree(tree, new Set(copy.folders.map(f => f.id).concat(copy.collections[0].id))).length).toBe(7)
  })

  it('returns nothing for an id that does not exist', () => {
    expect(cloneSubtree('folder', 'nope', { collections: [], folders: [], requests: [], examples: [] }, newId)).toEqual({ collections: [], folders: [], requests: [], examples: [] })
  })

  it('does not share row objects with the original', () => {
    const api = collection()
    const original = request(api, { headers: [{ id: 'h', key: 'A', value: '1', enabled: true, description: '' }] })
    const copy = cloneSubtree('request', original.id, { collections: [api], folders: [], requests: [original], examples: [] }, newId)
    copy.requests[0].headers[0].value = 'changed'
    expect(original.headers[0].value).toBe('1')
  })
})

describe('a large workspace', () => {
  it('builds, flattens and searches 10,000 requests in 500 folders', () => {
    const collections = [collection({ name: 'Big' })]
    const folders: Folder[] = []
    const requests: Request[] = []
    const folderKeys = keysBetween(null, null, 500)
    for (let f = 0; f < 500; f++) {
      // Every tenth folder is nested in the previous one, to have depth.
      const parent = f % 10 === 0 || folders.length === 0 ? collections[0] : folders[f - 1]
      folders.push(folder(parent, { id: `folder-${f}`, name: `Folder ${f}`, sortKey: folderKeys[f] }))
    }
    const requestKeys = keysBetween(null, null, 20)
    for (let r = 0; r < 10_000; r++) {
      const home = folders[r % 500]
      requests.push(request(home, { id: `request-${r}`, name: `Request ${r}`, sortKey: requestKeys[Math.floor(r / 500)], url: `https://api.example.com/items/${r}` }))
    }
    const tree = buildTree({ collections, folders, requests })
    const allExpanded = new Set([collections[0].id, ...folders.map(f => f.id)])
    const rows = flattenTree(tree, allExpanded)
    expect(rows).toHaveLength(1 + 500 + 10_000)
    // Folders 0…9 nest 10 deep under the collection; their requests sit one deeper.
    expect(Math.max(...rows.map(row => row.depth))).toBe(11)
    expect(flattenTree(tree, new Set()).length).toBe(1)

    const { tree: found, expanded } = filterTree(tree, 'items/9999')
    const visible = flattenTree(found, expanded)
    expect(visible.at(-1)).toMatchObject({ id: 'request-9999', kind: 'request' })
    // request-9999 lives in folder 499, nested under folders 490…498.
    expect(visible.map(row => row.id)).toEqual([collections[0].id, ...Array.from({ length: 10 }, (_, i) => `folder-${490 + i}`), 'request-9999'])
    expect(filterTree(tree, 'request 12').tree.length).toBe(1)
    const many = filterTree(tree, 'request 12')
    expect(flattenTree(many.tree, many.expanded).filter(row => row.kind === 'request').length).toBe(111) // 12, 120-129, 1200-1299
  })
})

describe('folders caught in a cycle by concurrent moves', () => {
  // Device 1 moves A into B while device 2 moves B into A: the merge holds A in B and B in A.
  function cycleWorkspace() {
    const api = collection({ name: 'API' })
    const a = folder(api, { id: 'folder-a', name: 'A' })
    const b = folder(api, { id: 'folder-b', name: 'B', parentId: a.id })
    a.parentId = b.id
    const ping = request(b, { name: 'Ping' })
    return { collections: [api], folders: [a, b], requests: [ping], examples: [] }
  }

  it('still shows both folders and their requests, breaking the loop at the same folder on every device', () => {
    const entities = cycleWorkspace()
    const [api] = buildTree(entities)
    expect(api.children.map(node => node.name)).toEqual(['A'])
    expect(api.children[0].children.map(node => node.name)).toEqual(['B'])
    expect(api.children[0].children[0].children.map(node => node.name)).toEqual(['Ping'])
    expect(buildTree({ ...entities, folders: [...entities.folders].reverse() })).toEqual(buildTree(entities))
  })

  it('duplicates the collection without recursing forever', () => {
    const entities = cycleWorkspace()
    let n = 0
    const copy = cloneSubtree('collection', entities.collections[0].id, entities, () => `copy-${n++}`)
    expect(copy.folders.map(f => f.name).sort()).toEqual(['A', 'B'])
    expect(copy.requests.map(r => r.name)).toEqual(['Ping'])
  })
})
