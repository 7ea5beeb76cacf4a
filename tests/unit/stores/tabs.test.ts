import 'fake-indexeddb/auto'
import { beforeEach, describe, expect, it } from 'vitest'
import { newId } from '../../../src/domain/ids'
import { entityMap } from '../../../src/sync/docSchema'
import { useCollectionsStore } from '../../../src/stores/collections'
import { usePresetsStore } from '../../../src/stores/presets'
import { useTabsStore } from '../../../src/stores/tabs'
import { freshDatabaseName, openWorkspace, until } from './support'

/** Opens Pigeon on a database; the same name again is "after a reload". */
async function openApp(databaseName = freshDatabaseName()) {
  const workspaces = await openWorkspace(databaseName)
  const tabs = useTabsStore()
  await tabs.ready
  const collections = useCollectionsStore()
  return { databaseName, workspaces, tabs, collections, presets: usePresetsStore() }
}

async function savedRequest(app: Awaited<ReturnType<typeof openApp>>, url = 'https://api.test/users') {
  const collectionId = await app.collections.createCollection('Users API')
  const requestId = await app.collections.createRequest(collectionId, { name: 'List users', url })
  await app.workspaces.handle!.flushed()
  return { collectionId, requestId }
}

describe('tabs store', () => {
  let app: Awaited<ReturnType<typeof openApp>>
  beforeEach(async () => {
    app = await openApp()
  })

  it('opens a saved request once and marks it unsaved only while it differs', async () => {
    const { requestId } = await savedRequest(app)
    const tab = (await app.tabs.openRequest(requestId))!
    expect(await app.tabs.openRequest(requestId)).toBe(tab)
    expect(app.tabs.tabs).toHaveLength(1)
    expect(app.tabs.hasUnsavedChanges(tab.id)).toBe(false)

    app.tabs.updateDraft(tab.id, { method: 'POST' })
    expect(app.tabs.hasUnsavedChanges(tab.id)).toBe(true)
    app.tabs.updateDraft(tab.id, { method: 'GET' })
    expect(app.tabs.hasUnsavedChanges(tab.id)).toBe(false)
  })

  it('keeps the URL and the Params table in step, both ways, with path variables', () => {
    const tab = app.tabs.openNew()
    app.tabs.setUrl(tab.id, 'https://api.test/users/:id?page=2&sort=name')
    expect(tab.draft.params.map(row => [row.key, row.value])).toEqual([['page', '2'], ['sort', 'name']])
    expect(tab.draft.pathVariables.map(row => row.key)).toEqual(['id'])

    app.tabs.setParams(tab.id, [{ ...tab.draft.params[0], value: '3' }, { ...tab.draft.params[1], enabled: false }])
    expect(tab.draft.url).toBe('https://api.test/users/:id?page=3')
    expect(tab.draft.params).toHaveLength(2)
  })

  it('saves a saved request with Ctrl+S and forgets the dot', async () => {
    const { requestId } = await savedRequest(app)
    const tab = (await app.tabs.openRequest(requestId))!
    app.tabs.setUrl(tab.id, 'https://api.test/users?active=true')
    expect(await app.tabs.save(tab.id)).toBe(true)
    expect(app.tabs.hasUnsavedChanges(tab.id)).toBe(false)
    expect((await app.collections.requestById(requestId))!.url).toBe('https://api.test/users?active=true')
  })

  it('asks where to save a new request and places it in the chosen collection', async () => {
    const collectionId = await app.collections.createCollection('Scratch')
    const tab = app.tabs.openNew()
    app.tabs.setUrl(tab.id, 'https://api.test/health')
    const saved = app.tabs.save(tab.id)
    expect(app.tabs.pendingSaveAs).toBe(tab.id)
    const requestId = await app.tabs.saveAs(tab.id, collectionId, 'Health check')
    expect(await saved).toBe(true)
    const request = (await app.collections.requestById(requestId!))!
    expect([request.name, request.url, request.collectionId]).toEqual(['Health check', 'https://api.test/health', collectionId])
    expect(app.tabs.hasUnsavedChanges(tab.id)).toBe(false)
  })

  it('asks before closing an unsaved tab: Cancel keeps it, Don\'t save closes it', async () => {
    const tab = app.tabs.openNew()
    app.tabs.setUrl(tab.id, 'https://api.test/draft')
    const firstTry = app.tabs.close(tab.id)
    expect(app.tabs.pendingClose?.tabId).toBe(tab.id)
    app.tabs.answerClose('cancel')
    expect(await firstTry).toBe(false)
    expect(app.tabs.tabs).toHaveLength(1)

    const secondTry = app.tabs.close(tab.id)
    app.tabs.answerClose('discard')
    expect(await secondTry).toBe(true)
    expect(app.tabs.tabs).toHaveLength(0)
  })

  it('closes an untouched new tab without asking', async () => {
    const tab = app.tabs.openNew()
    expect(await app.tabs.close(tab.id)).toBe(true)
    expect(app.tabs.pendingClose).toBeNull()
  })

  it('adds a preset\'s headers in one step', async () => {
    const presetId = await app.presets.create('JSON API', [
      { id: newId(), key: 'Accept', value: 'application/json', enabled: true, description: '' },
      { id: newId(), key: 'X-Team', value: 'core', enabled: true, description: '' },
    ])
    await until(() => app.presets.presets.length === 1, 'the preset shows')
    const tab = app.tabs.openNew()
    app.tabs.applyPreset(tab.id, presetId)
    expect(tab.draft.headers.map(header => header.key)).toEqual(['Accept', 'X-Team'])
  })

  it('keeps unsaved edits and the active tab across a reload', async () => {
    const { requestId } = await savedRequest(app)
    const saved = (await app.tabs.openRequest(requestId))!
    app.tabs.updateDraft(saved.id, { method: 'DELETE' })
    const fresh = app.tabs.openNew()
    app.tabs.setUrl(fresh.id, 'https://api.test/new')
    app.tabs.activate(saved.id)
    await app.tabs.flush()

    const again = await openApp(app.databaseName)
    expect(again.tabs.tabs.map(tab => tab.draft.url)).toEqual(['https://api.test/users', 'https://api.test/new'])
    expect(again.tabs.activeTabId).toBe(saved.id)
    expect(again.tabs.activeTab!.draft.method).toBe('DELETE')
    expect(again.tabs.hasUnsavedChanges(saved.id)).toBe(true)
    expect(again.tabs.hasUnsavedChanges(fresh.id)).toBe(true)
  })

  it('shows a saved request\'s new version when it changes elsewhere and the tab has no edits', async () => {
    const { requestId } = await savedRequest(app)
    const tab = (await app.tabs.openRequest(requestId))!
    await new Promise(resolve => setTimeout(resolve, 5))
    await app.collections.saveRequest(requestId, { url: 'https://api.test/people' })
    await until(() => app.tabs.tabById(tab.id)!.draft.url === 'https://api.test/people', 'the tab shows the new URL')
    expect(app.tabs.hasUnsavedChanges(tab.id)).toBe(false)
  })

  it('shows a version merged from another device even when its updatedAt is older than the tab\'s', async () => {
    const { requestId } = await savedRequest(app)
    const tab = (await app.tabs.openRequest(requestId))!
    // After two devices' edits merge, updatedAt is whichever write Yjs kept, which may be the older one.
    const stored = entityMap(app.workspaces.handle!.doc, 'requests', requestId)!
    app.workspaces.handle!.doc.transact(() => {
      stored.set('url', 'https://api.test/merged')
      stored.set('updatedAt', 1)
    }, 'another device')
    await until(() => app.tabs.tabById(tab.id)!.draft.url === 'https://api.test/merged', 'the tab shows the merged URL')
    expect(app.tabs.hasUnsavedChanges(tab.id)).toBe(false)
  })

  it('keeps a tab\'s own edits when the saved request is renamed elsewhere', async () => {
    const { requestId } = await savedRequest(app)
    const tab = (await app.tabs.openRequest(requestId))!
    app.tabs.setUrl(tab.id, 'https://api.test/users?mine=1')
    await new Promise(resolve => setTimeout(resolve, 5))
    await app.collections.rename(requestId, 'All users')
    await until(() => app.tabs.tabById(tab.id)!.draft.name === 'All users', 'the tab takes the new name')
    expect(app.tabs.tabById(tab.id)!.draft.url).toBe('https://api.test/users?mine=1')
    expect(app.tabs.hasUnsavedChanges(tab.id)).toBe(true)
  })

  it('reopens a history entry as a new, unsaved request', async () => {
    const { requestId } = await savedRequest(app)
    const request = (await app.collections.requestById(requestId))!
    const tab = app.tabs.openHistoryEntry({
      id: newId(), createdAt: 0, updatedAt: 0, updatedBy: '', requestId, sentAt: Date.now(),
      request: { ...request, method: 'PUT' },
      response: { status: 200, statusText: 'OK', timeMs: 5, size: 2, headers: [], body: '{}', bodyTruncated: false, error: '' },
    })
    expect([tab.requestId, tab.draft.method, tab.draft.url]).toEqual([null, 'PUT', 'https://api.test/users'])
    expect(app.tabs.hasUnsavedChanges(tab.id)).toBe(true)
  })

  it('moves a tab to another place in the strip', () => {
    const first = app.tabs.openNew()
    const second = app.tabs.openNew()
    const third = app.tabs.openNew()
    app.tabs.moveTab(third.id, 0)
    expect(app.tabs.tabs.map(tab => tab.id)).toEqual([third.id, first.id, second.id])
  })

  it('closes the tab of a deleted request', async () => {
    const { requestId } = await savedRequest(app)
    await app.tabs.openRequest(requestId)
    app.tabs.closeForDeleted([requestId])
    expect(app.tabs.tabs).toHaveLength(0)
  })
})
