/**
 * The DocumentStore contract, run against the in-memory store and the SQLite
 * store on a real database file (the Postgres store will join this list).
 */
import type { DocumentStore } from '../../../server/src/storage/documents.js'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createMemoryDocumentStore, DocumentDeletedError } from '../../../server/src/storage/documents.js'
import { createSqliteDocumentStore } from '../../../server/src/storage/documentsSqlite.js'
import { openSqlite } from '../../../server/src/storage/sqlite.js'
import { tempDir } from '../../support/pigeonServer.js'

/** A real Yjs update that sets `key` in the map `entries`. */
function updateSetting(key: string, value: string): Uint8Array {
  const doc = new Y.Doc()
  doc.getMap('entries').set(key, value)
  return Y.encodeStateAsUpdate(doc)
}

function replay(stored: { snapshot: Uint8Array | null, updates: Uint8Array[] }): Record<string, unknown> {
  const doc = new Y.Doc()
  for (const update of stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates)
    Y.applyUpdate(doc, update)
  return doc.getMap('entries').toJSON()
}

const stores: Array<[string, () => DocumentStore]> = [
  ['in memory', () => createMemoryDocumentStore()],
  ['SQLite', () => createSqliteDocumentStore(openSqlite(tempDir('pigeon-docs-')))],
]

for (const [kind, makeStore] of stores) {
  describe(`the ${kind} document store`, () => {
    it('loads a document never written as empty', async () => {
      expect(await makeStore().load('ws/new')).toEqual({ snapshot: null, updates: [], lastSeq: 0, bytes: 0 })
    })

    it('appends updates in order and numbers them', async () => {
      const store = makeStore()
      const a = updateSetting('a', '1')
      const b = updateSetting('b', '2')
      expect(await store.append('ws/one', [a])).toBe(1)
      expect(await store.append('ws/one', [b, updateSetting('c', '3')])).toBe(3)
      const loaded = (await store.load('ws/one'))!
      expect(loaded.updates).toHaveLength(3)
      expect(loaded.lastSeq).toBe(3)
      expect(replay(loaded)).toEqual({ a: '1', b: '2', c: '3' })
    })

    it('keeps documents apart, also when appends arrive together', async () => {
      const store = makeStore()
      await Promise.all([
        store.append('ws/x', [updateSetting('x', 'x')]),
        store.append('ws/y', [updateSetting('y', 'y')]),
        store.append('ws/x', [updateSetting('x2', 'x')]),
      ])
      expect(replay((await store.load('ws/x'))!)).toEqual({ x: 'x', x2: 'x' })
      expect(replay((await store.load('ws/y'))!)).toEqual({ y: 'y' })
    })

    it('compacts the log into a snapshot and keeps later updates', async () => {
      const store = makeStore()
      const doc = new Y.Doc()
      const updates: Uint8Array[] = []
      doc.on('update', (u: Uint8Array) => updates.push(u))
      for (let i = 0; i < 5; i++)
        doc.getMap('entries').set(`k${i}`, String(i))
      const seq = await store.append('ws/c', updates)
      await store.compact('ws/c', Y.encodeStateAsUpdate(doc), seq)
      doc.getMap('entries').set('after', 'compaction')
      await store.append('ws/c', [updates.at(-1)!])

      const loaded = (await store.load('ws/c'))!
      expect(loaded.snapshot).not.toBeNull()
      expect(loaded.updates).toHaveLength(1)
      expect(loaded.lastSeq).toBe(6)
      expect(replay(loaded)).toEqual({ k0: '0', k1: '1', k2: '2', k3: '3', k4: '4', after: 'compaction' })
    })

    it('deletes a document for good: loads as null, refuses writes, leaves the list', async () => {
      const store = makeStore()
      await store.append('history/w/u', [updateSetting('a', '1')])
      await store.append('history/w/v', [updateSetting('a', '1')])
      await store.append('history/w_x/u', [updateSetting('a', '1')])
      expect(await store.list('history/w/')).toEqual(['history/w/u', 'history/w/v'])
      await store.delete('history/w/u')
      expect(await store.load('history/w/u')).toBeNull()
      await expect(store.append('history/w/u', [updateSetting('b', '2')])).rejects.toBeInstanceOf(DocumentDeletedError)
      expect(await store.list('history/w/')).toEqual(['history/w/v'])
    })

    it('refuses a write to a deleted document without failing the others written with it', async () => {
      const store = makeStore()
      await store.delete('ws/gone')
      const [gone, kept] = await Promise.allSettled([
        store.append('ws/gone', [updateSetting('a', '1')]),
        store.append('ws/kept', [updateSetting('a', '1')]),
      ])
      expect(gone.status).toBe('rejected')
      expect(kept).toEqual({ status: 'fulfilled', value: 1 })
    })
  })
}
