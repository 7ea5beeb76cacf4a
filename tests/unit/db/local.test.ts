import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { RequestSnapshot } from '../../../src/domain/model'
import type { AgentResponse } from '../../../src/domain/prepared'
import {
  clearCurrentValues,
  deleteBlob,
  deleteDraft,
  getBlob,
  getCurrentValues,
  getResponse,
  getSetting,
  loadDraft,
  loadTabs,
  putBlob,
  putResponse,
  saveDraft,
  saveTabs,
  setCurrentValue,
  setSetting,
} from '../../../src/db/local'
import { freshDb } from './support'

function tab(id: string, title: string) {
  return { id, workspaceId: 'ws', position: 0, kind: 'request' as const, entityId: null, title, pinned: false, active: false }
}

describe('local-only records', () => {
  it('reopens the tabs a user had open, in order, with their drafts', async () => {
    const db = freshDb()
    await saveTabs(db, 'ws', [tab('t2', 'Second'), tab('t1', 'First')])
    await saveDraft(db, { tabId: 't1', workspaceId: 'ws', snapshot: RequestSnapshot.parse({ url: 'https://draft.test' }), baseUpdatedAt: 0, savedAt: 0 })
    expect((await loadTabs(db, 'ws')).map(t => t.title)).toEqual(['Second', 'First'])
    expect((await loadDraft(db, 't1'))?.snapshot.url).toBe('https://draft.test')

    await saveTabs(db, 'ws', [tab('t1', 'First')])
    await deleteDraft(db, 't1')
    expect((await loadTabs(db, 'ws')).map(t => t.id)).toEqual(['t1'])
    expect(await loadDraft(db, 't1')).toBeNull()
    db.close()
  })

  it('keeps the last response of a tab with a large body', async () => {
    const db = freshDb()
    const body = new Uint8Array(2 * 1024 * 1024).fill(65)
    const response: AgentResponse = { status: 200, statusText: 'OK', headers: [['content-type', 'text/plain']], body, size: body.length, timeMs: 5, url: 'https://a.test', redirects: 0, agent: 'server' }
    await putResponse(db, 'ws', 't1', response)
    const stored = await getResponse(db, 't1')
    expect(stored?.body.byteLength).toBe(body.length)
    expect(stored?.headers).toEqual([['content-type', 'text/plain']])
    db.close()
  })

  it('keeps settings, with a default for unset ones', async () => {
    const db = freshDb()
    expect(await getSetting(db, 'theme', 'system')).toBe('system')
    await setSetting(db, 'theme', 'dark')
    expect(await getSetting(db, 'theme', 'system')).toBe('dark')
    db.close()
  })

  it('keeps current values per scope and clears them', async () => {
    const db = freshDb()
    await setCurrentValue(db, { scopeId: 'env1', variableId: 'v1', workspaceId: 'ws', value: 'local-token' })
    await setCurrentValue(db, { scopeId: 'env1', variableId: 'v2', workspaceId: 'ws', value: 'x' })
    await setCurrentValue(db, { scopeId: 'env2', variableId: 'v1', workspaceId: 'ws', value: 'other' })
    expect(await getCurrentValues(db, 'env1')).toEqual(new Map([['v1', 'local-token'], ['v2', 'x']]))
    await clearCurrentValues(db, 'env1', 'v2')
    expect([...(await getCurrentValues(db, 'env1')).keys()]).toEqual(['v1'])
    await clearCurrentValues(db, 'env1')
    expect((await getCurrentValues(db, 'env1')).size).toBe(0)
    expect((await getCurrentValues(db, 'env2')).get('v1')).toBe('other')
    db.close()
  })

  it('stores the bytes of a chosen file and deletes them', async () => {
    const db = freshDb()
    const id = await putBlob(db, { name: 'cat.png', type: 'image/png', bytes: new Uint8Array([1, 2, 3]) })
    expect(await getBlob(db, id)).toMatchObject({ name: 'cat.png', type: 'image/png', size: 3, bytes: new Uint8Array([1, 2, 3]) })
    await deleteBlob(db, id)
    expect(await getBlob(db, id)).toBeNull()
    db.close()
  })
})
