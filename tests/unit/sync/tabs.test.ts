import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { openPigeonDb } from '../../../src/db/schema'
import { getRequest } from '../../../src/db/queries'
import { countUnackedLocalUpdates } from '../../../src/db/updateLog'
import { createEntity, updateEntity } from '../../../src/sync/mutations'
import { createWorkspace, openWorkspaceDoc } from '../../../src/sync/workspaceDocs'
import { docEntities } from './support'

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await check())
      return
    await new Promise(resolve => setTimeout(resolve, 10))
  }
  throw new Error(`Timed out waiting until ${what}`)
}

describe('two tabs of one browser', () => {
  it('see each other\'s edits and keep one consistent projection', async () => {
    const name = `pigeon-tabs-${Math.random().toString(36).slice(2)}`
    const tabA = openPigeonDb(name)
    const tabB = openPigeonDb(name)
    const { id: ws } = await createWorkspace(tabA, 'Shared')
    const a = openWorkspaceDoc(tabA, ws)
    const b = openWorkspaceDoc(tabB, ws)
    await Promise.all([a.whenLoaded, b.whenLoaded])
    expect(a.doc.clientID).not.toBe(b.doc.clientID)

    const collection = createEntity(a, 'collections', { name: 'Pets' })
    const request = createEntity(a, 'requests', { parentId: collection.id, name: 'List' })
    await until(() => b.doc.getMap('requests').has(request.id), 'tab B has the request')
    updateEntity(b, 'requests', request.id, { url: 'https://b.test' })
    updateEntity(a, 'requests', request.id, { name: 'List pets' })
    await until(() => JSON.stringify(docEntities(a.doc)) === JSON.stringify(docEntities(b.doc)), 'both tabs agree')
    await a.flushed()
    await b.flushed()

    expect(await getRequest(tabA, ws, request.id)).toMatchObject({ name: 'List pets', url: 'https://b.test' })
    // The workspace record, A's three edits and B's one: each counted once, by the tab that made it.
    expect(await countUnackedLocalUpdates(tabA, `ws/${ws}`)).toBe(5)
    await a.close()
    await b.close()
    tabA.close()
    tabB.close()
  })

  it('hands over edits a newly opened tab made before the tabs found each other', async () => {
    const name = `pigeon-tabs-${Math.random().toString(36).slice(2)}`
    const tabA = openPigeonDb(name)
    const tabB = openPigeonDb(name)
    const { id: ws } = await createWorkspace(tabA, 'Shared')
    const a = openWorkspaceDoc(tabA, ws)
    await a.whenLoaded
    const b = openWorkspaceDoc(tabB, ws)
    await b.whenLoaded
    const early = createEntity(b, 'collections', { name: 'Made at once' })
    await until(() => a.doc.getMap('collections').has(early.id), 'tab A has the collection')
    await a.close()
    await b.close()
    tabA.close()
    tabB.close()
  })
})

describe('two browsers simulated in one process', () => {
  it('do not hear each other through the tab channel', async () => {
    const { IDBFactory, IDBKeyRange } = await import('fake-indexeddb')
    const { PigeonDb } = await import('../../../src/db/schema')
    const inBrowser = (factory: InstanceType<typeof IDBFactory>) => {
      const deps = PigeonDb.dependencies
      const saved = { indexedDB: deps.indexedDB, IDBKeyRange: deps.IDBKeyRange }
      Object.assign(deps, { indexedDB: factory, IDBKeyRange })
      try {
        return new PigeonDb('pigeon-user-same-account')
      }
      finally {
        Object.assign(deps, saved)
      }
    }
    const one = inBrowser(new IDBFactory())
    const other = inBrowser(new IDBFactory())
    await createWorkspace(one, 'Shared', 'personal', 'ws-same')
    await createWorkspace(other, 'Shared', 'personal', 'ws-same')
    const a = openWorkspaceDoc(one, 'ws-same')
    const b = openWorkspaceDoc(other, 'ws-same')
    await Promise.all([a.whenLoaded, b.whenLoaded])
    createEntity(a, 'collections', { name: 'Only here' })
    await new Promise(resolve => setTimeout(resolve, 100))
    expect(b.doc.getMap('collections').size).toBe(0)
    await a.close()
    await b.close()
    one.close()
    other.close()
  })
})
