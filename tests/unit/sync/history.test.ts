import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { HISTORY_BODY_LIMIT, RequestSnapshot } from '../../../src/domain/model'
import { listHistory } from '../../../src/db/queries'
import { addHistoryEntry, clearHistory, deleteHistoryEntry, openHistoryDoc } from '../../../src/sync/historyDocs'
import { createWorkspace } from '../../../src/sync/workspaceDocs'
import { freshDb } from './support'

function sent(url: string, sentAt: number, body = '{"ok":true}') {
  return {
    requestId: '',
    request: RequestSnapshot.parse({ url }),
    response: { status: 200, statusText: 'OK', timeMs: 12, size: body.length, headers: [], body, bodyTruncated: false, error: '' },
    sentAt,
  }
}

describe('history', () => {
  it('keeps the newest entries up to the limit and drops older ones', async () => {
    const db = freshDb()
    const { id: ws } = await createWorkspace(db, 'Team')
    const history = openHistoryDoc(db, ws)
    await history.whenLoaded
    for (let index = 1; index <= 5; index++)
      addHistoryEntry(history, sent(`https://api.test/${index}`, 1000 + index), 3)
    await history.flushed()

    expect((await listHistory(db, ws)).map(entry => entry.request.url)).toEqual([
      'https://api.test/5',
      'https://api.test/4',
      'https://api.test/3',
    ])
    expect(history.doc.getMap('history').size).toBe(3)
    await history.close()
    db.close()
  })

  it('cuts a large response body and marks it as cut', async () => {
    const db = freshDb()
    const { id: ws } = await createWorkspace(db, 'Team')
    const history = openHistoryDoc(db, ws)
    await history.whenLoaded
    addHistoryEntry(history, sent('https://api.test/big', 1, 'x'.repeat(HISTORY_BODY_LIMIT + 10)))
    await history.flushed()
    const [entry] = await listHistory(db, ws)
    expect(entry.response.body).toHaveLength(HISTORY_BODY_LIMIT)
    expect(entry.response.bodyTruncated).toBe(true)
    await history.close()
    db.close()
  })

  it('deletes one entry, clears all, and survives a reload', async () => {
    const db = freshDb()
    const { id: ws } = await createWorkspace(db, 'Team')
    const history = openHistoryDoc(db, ws, 'user-1')
    await history.whenLoaded
    const first = addHistoryEntry(history, sent('https://api.test/1', 1))
    addHistoryEntry(history, sent('https://api.test/2', 2))
    addHistoryEntry(history, sent('https://api.test/3', 3))
    expect(deleteHistoryEntry(history, first.id)).toBe(true)
    await history.close()

    const reopened = openHistoryDoc(db, ws, 'user-1')
    await reopened.whenLoaded
    expect((await listHistory(db, ws)).map(entry => entry.request.url)).toEqual(['https://api.test/3', 'https://api.test/2'])
    expect(reopened.doc.getMap('history').size).toBe(2)
    clearHistory(reopened)
    await reopened.flushed()
    expect(await listHistory(db, ws)).toEqual([])
    await reopened.close()
    db.close()
  })
})
