import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { nanoid } from 'nanoid'
import { Request } from '../../../src/domain/model'
import { PigeonDb } from '../../../src/db/schema'
import { listRequestTreeRows } from '../../../src/db/queries'
import { observe } from '../../../src/db/live'
import { createEntity, updateEntity } from '../../../src/sync/mutations'
import { createWorkspace, openWorkspaceDoc } from '../../../src/sync/workspaceDocs'

const settle = () => new Promise(resolve => setTimeout(resolve, 60))

describe('the sidebar\'s request rows', () => {
  it('follow renames and moves but stay quiet while a body is edited', async () => {
    const db = new PigeonDb(`pigeon-test-${nanoid()}`)
    const { id: ws } = await createWorkspace(db, 'Team')
    const handle = openWorkspaceDoc(db, ws)
    await handle.whenLoaded
    const collection = createEntity(handle, 'collections', {})
    const request = createEntity(handle, 'requests', { parentId: collection.id, name: 'List' })
    await handle.flushed()

    let reads = 0
    let latest: string[] = []
    const subscription = observe(() => listRequestTreeRows(db, ws)).subscribe((rows) => {
      reads++
      latest = rows.map(row => row.name)
    })
    for (let attempt = 0; attempt < 200 && reads === 0; attempt++)
      await settle()
    await settle()
    const readsBefore = reads
    updateEntity(handle, 'requests', request.id, { body: { mode: 'raw', raw: '{"typing":true}' }, headers: [] })
    await handle.flushed()
    await settle()
    expect(reads).toBe(readsBefore)

    updateEntity(handle, 'requests', request.id, { name: 'List pets' })
    await handle.flushed()
    for (let attempt = 0; attempt < 200 && latest[0] !== 'List pets'; attempt++)
      await settle()
    expect(latest).toEqual(['List pets'])
    subscription.unsubscribe()
    await handle.close()
    db.close()
  })

  it('are built from the stored requests when an older database is upgraded', async () => {
    const name = `pigeon-test-${nanoid()}`
    const old = new PigeonDb(name, 1)
    await old.requests.put({ ...Request.parse({ id: 'r1', parentId: 'c1', collectionId: 'c1', name: 'Kept', url: 'https://a.test' }), workspaceId: 'ws' })
    old.close()

    const upgraded = new PigeonDb(name)
    expect(await listRequestTreeRows(upgraded, 'ws')).toMatchObject([{ id: 'r1', name: 'Kept', url: 'https://a.test', parentId: 'c1' }])
    upgraded.close()
  })
})
