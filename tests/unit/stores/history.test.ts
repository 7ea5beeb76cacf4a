import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { RequestSnapshot, ResponseSummary } from '../../../src/domain/model'
import { useHistoryStore } from '../../../src/stores/history'
import { openWorkspace, until } from './support'

async function openApp() {
  await openWorkspace()
  const history = useHistoryStore()
  await until(() => history.loaded, 'history loaded')
  return history
}

const sent = (method: string, url: string, status: number, sentAt: number) => ({
  request: RequestSnapshot.parse({ name: url, method, url }),
  response: ResponseSummary.parse({ status, statusText: '', timeMs: 12, size: 2, body: '{}' }),
  sentAt,
})

const DAY = 24 * 60 * 60 * 1000

describe('history store', () => {
  it('records sent requests, groups them by day and finds them by search', async () => {
    const history = await openApp()
    const now = Date.now()
    await history.record(sent('GET', 'https://api.test/users', 200, now))
    await history.record(sent('POST', 'https://api.test/orders', 404, now - 1000))
    await history.record(sent('GET', 'https://api.test/old', 200, now - 3 * DAY))
    await until(() => history.entries.length === 3, 'three entries show')

    expect(history.groups.map(g => g.label)[0]).toBe('Today')
    expect(history.groups[0].entries.map(e => e.request.url)).toEqual(['https://api.test/users', 'https://api.test/orders'])
    expect(history.groups).toHaveLength(2)

    history.search = 'post 404'
    expect(history.results.map(e => e.request.url)).toEqual(['https://api.test/orders'])
  })

  it('deletes one entry, then clears everything', async () => {
    const history = await openApp()
    const first = await history.record(sent('GET', 'https://api.test/a', 200, Date.now()))
    await history.record(sent('GET', 'https://api.test/b', 200, Date.now()))
    await until(() => history.entries.length === 2, 'two entries show')

    await history.remove(first.id)
    await until(() => history.entries.length === 1, 'one entry is left')
    expect(history.entries[0].request.url).toBe('https://api.test/b')

    await history.clear()
    await until(() => history.entries.length === 0, 'the history is empty')
  })
})
