import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { getSetting, putBlob, setSetting } from '../../../src/db/local'
import { listCollections } from '../../../src/db/queries'
import { createEntity } from '../../../src/sync/mutations'
import { createWorkspace, openWorkspaceDoc } from '../../../src/sync/workspaceDocs'
import { fillDisk, freshDb } from './support'

const FULL = /^This device's storage is full: Pigeon could not save .+\. Free space by clearing history or deleting large examples; nothing already saved was lost\.$/

describe('a full disk', () => {
  it('turns a failed settings write into a sentence', async () => {
    const db = freshDb()
    fillDisk(db, ['settings'])
    await expect(setSetting(db, 'theme', 'dark')).rejects.toThrow(FULL)
    expect(await getSetting(db, 'theme', 'system')).toBe('system')
    db.close()
  })

  it('turns a failed file write into a sentence naming the file', async () => {
    const db = freshDb()
    fillDisk(db, ['blobs'])
    await expect(putBlob(db, { name: 'cat.png', type: 'image/png', bytes: new Uint8Array(10) })).rejects.toThrow(/could not save the file “cat.png”/)
    db.close()
  })

  it('keeps workspace edits queued while the disk is full and stores them once there is room', async () => {
    const db = freshDb()
    const free = fillDisk(db, ['collections'])
    const workspace = await createWorkspace(db, 'Team')
    const handle = openWorkspaceDoc(db, workspace.id)
    await handle.whenLoaded
    const errors: string[] = []
    handle.onError(error => errors.push(error.message))

    createEntity(handle, 'collections', { name: 'Pets' })
    await expect(handle.flushed()).rejects.toThrow(FULL)
    expect(errors[0]).toMatch(FULL)
    expect(await listCollections(db, workspace.id)).toEqual([])
    // Closing now would lose the edit: the workspace stays open and says why.
    await expect(handle.close()).rejects.toThrow(FULL)

    free()
    await handle.retry()
    expect(handle.lastError).toBeNull()
    expect((await listCollections(db, workspace.id)).map(c => c.name)).toEqual(['Pets'])
    await handle.close()

    const again = openWorkspaceDoc(db, workspace.id)
    await again.whenLoaded
    expect(again.doc.getMap('collections').size).toBe(1)
    await again.close()
    db.close()
  })
})
