import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Request } from '../../../src/domain/model'
import { applyEntity, applyText, readEntity, writeEntity } from '../../../src/sync/docSchema'
import { header } from './factories'

function docWith(request: Request): { doc: Y.Doc, ymap: Y.Map<unknown> } {
  const doc = new Y.Doc()
  const ymap = writeEntity('requests', request)
  doc.getMap('requests').set(request.id, ymap)
  return { doc, ymap }
}

function opsOf(doc: Y.Doc, change: () => void): number {
  let updates = 0
  const count = () => updates++
  doc.on('update', count)
  doc.transact(change)
  doc.off('update', count)
  return updates
}

describe('the workspace document layout', () => {
  it('reads back exactly what was written', () => {
    const request = Request.parse({
      id: 'r1',
      parentId: 'c1',
      collectionId: 'c1',
      headers: [header('Accept', 'application/json', { enabled: false })],
      body: { mode: 'graphql', graphql: { query: '{ pets { id } }', variables: '{}' } },
      auth: { type: 'basic', basic: { username: 'ann', password: 'secret' } },
      settings: { followRedirects: false },
    })
    const { ymap } = docWith(request)
    expect(readEntity('requests', ymap)).toEqual(request)
    expect(ymap.get('description')).toBeInstanceOf(Y.Text)
    expect((ymap.get('body') as Y.Map<unknown>).get('raw')).toBeInstanceOf(Y.Text)
    expect(ymap.get('headers')).toBeInstanceOf(Y.Array)
  })

  it('makes no Yjs ops when nothing changed, also for fields at their default', () => {
    const request = Request.parse({ id: 'r1', parentId: 'c1', collectionId: 'c1', headers: [header('A', '1')] })
    const { doc, ymap } = docWith(request)
    expect(opsOf(doc, () => applyEntity('requests', ymap, structuredClone(request)))).toBe(0)
  })

  it('sets a field back to its default and reads it back', () => {
    const request = Request.parse({ id: 'r1', parentId: 'c1', collectionId: 'c1' })
    const { ymap } = docWith(request)
    applyEntity('requests', ymap, { ...request, settings: { ...request.settings, followRedirects: false } })
    expect(readEntity('requests', ymap).settings.followRedirects).toBe(false)
    applyEntity('requests', ymap, request)
    expect(readEntity('requests', ymap).settings.followRedirects).toBe(true)
  })

  it('splices text at the changed span only', () => {
    const doc = new Y.Doc()
    const text = doc.getText('t')
    text.insert(0, 'hello world')
    const deltas: unknown[] = []
    text.observe(event => deltas.push(event.delta))
    applyText(text, 'hello brave world')
    expect(deltas).toEqual([[{ retain: 6 }, { insert: 'brave ' }]])
    applyText(text, 'hello world')
    expect(text.toString()).toBe('hello world')
  })

  it('reorders, edits, adds and removes rows by id', () => {
    const [a, b, c] = [header('A', '1'), header('B', '2'), header('C', '3')]
    const request = Request.parse({ id: 'r1', parentId: 'c1', collectionId: 'c1', headers: [a, b, c] })
    const { ymap } = docWith(request)
    const d = header('D', '4')
    const next = [{ ...c, value: '33' }, a, d]
    applyEntity('requests', ymap, { ...request, headers: next })
    expect(readEntity('requests', ymap).headers).toEqual(next)
  })
})
