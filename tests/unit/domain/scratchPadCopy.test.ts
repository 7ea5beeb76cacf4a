import type { Environment, HeaderPreset } from '../../../src/domain/model'
import { describe, expect, it } from 'vitest'
import { copyScratchPadItems, countChosen, fileIdsOf } from '../../../src/domain/scratchPadCopy'
import { collection, example, folder, request } from './factories'

function scratchPad() {
  const api = collection({ name: 'API', sortKey: 'a0' })
  const other = collection({ name: 'Other', sortKey: 'a1' })
  const users = folder(api, { name: 'Users' })
  const list = request(users, { name: 'List users' })
  const saved = example(list, { name: '200 OK' })
  const elsewhere = request(other, { name: 'Elsewhere' })
  const staging: Environment = { id: 'env1', name: 'Staging', sortKey: 'a0', variables: [{ id: 'v1', key: 'base', value: 'https://staging', type: 'default', enabled: true }], createdAt: 1, updatedAt: 1, updatedBy: 'local' } as Environment
  const json: HeaderPreset = { id: 'pre1', name: 'JSON', headers: [], createdAt: 1, updatedAt: 1, updatedBy: 'local' } as unknown as HeaderPreset
  return { api, users, list, saved, content: { collections: [api, other], folders: [users], requests: [list, elsewhere], examples: [saved], environments: [staging], presets: [json] } }
}

let counter = 0
const newId = () => `new${++counter}`

describe('copying Scratch Pad items', () => {
  it('copies a whole collection with its folders, requests and examples under new ids, keeping its name', () => {
    const { api, users, list, saved, content } = scratchPad()
    const copied = copyScratchPadItems(content, { collectionIds: [api.id], environmentIds: [], presetIds: [] }, newId, { now: 5, updatedBy: 'u1' })
    expect(copied.collections.map(c => c.name)).toEqual(['API'])
    expect(copied.collections[0].id).not.toBe(api.id)
    expect(copied.collections[0]).not.toHaveProperty('sortKey')
    expect(copied.folders.map(f => [f.name, f.parentId, f.collectionId])).toEqual([['Users', copied.collections[0].id, copied.collections[0].id]])
    expect(copied.requests.map(r => [r.name, r.parentId])).toEqual([['List users', copied.folders[0].id]])
    expect(copied.examples.map(e => [e.name, e.requestId])).toEqual([['200 OK', copied.requests[0].id]])
    const originalIds = [api.id, users.id, list.id, saved.id]
    expect([...copied.folders, ...copied.requests, ...copied.examples].some(e => originalIds.includes(e.id))).toBe(false)
    expect(copied.requests[0]).toMatchObject({ updatedBy: 'u1', createdAt: 5 })
  })

  it('copies environments with their shared values and presets, each under a new id', () => {
    const { content } = scratchPad()
    const copied = copyScratchPadItems(content, { collectionIds: [], environmentIds: ['env1'], presetIds: ['pre1'] }, newId, { now: 5, updatedBy: 'u1' })
    expect(copied.environments).toHaveLength(1)
    expect(copied.environments[0]).toMatchObject({ name: 'Staging', variables: [{ key: 'base', value: 'https://staging' }] })
    expect(copied.environments[0].id).not.toBe('env1')
    expect(copied.presets.map(p => p.name)).toEqual(['JSON'])
    expect(copied.presets[0].id).not.toBe('pre1')
    expect(copied.collections).toEqual([])
  })

  it('copies nothing that was not chosen, and counts what was', () => {
    const { content } = scratchPad()
    const copied = copyScratchPadItems(content, { collectionIds: ['missing'], environmentIds: [], presetIds: [] }, newId, { now: 5, updatedBy: 'u1' })
    expect(copied).toEqual({ collections: [], folders: [], requests: [], examples: [], environments: [], presets: [] })
    expect(countChosen({ collectionIds: ['a', 'b'], environmentIds: ['e'], presetIds: [] })).toBe(3)
  })

  it('names the stored files the copied requests point at, so their bytes come along on this device', () => {
    const api = collection()
    const file = (blobId: string) => ({ blobId, name: `${blobId}.bin`, size: 1, type: 'application/octet-stream' })
    const upload = request(api, { body: { mode: 'binary', raw: '', rawLanguage: 'json', urlencoded: [], formdata: [], binary: file('b1'), graphql: { query: '', variables: '' } } })
    const form = request(api, { body: { mode: 'formdata', raw: '', rawLanguage: 'json', urlencoded: [], formdata: [{ id: 'r1', key: 'f', value: '', enabled: true, description: '', kind: 'file', file: file('b2'), contentType: '' }, { id: 'r2', key: 't', value: 'x', enabled: true, description: '', kind: 'text', file: null, contentType: '' }], binary: file('b1'), graphql: { query: '', variables: '' } } })
    expect(fileIdsOf([upload, form, request(api)]).sort()).toEqual(['b1', 'b2'])
  })
})
