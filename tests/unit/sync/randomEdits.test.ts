import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ENTITY_KINDS, type EntityKind } from '../../../src/domain/model'
import { type PigeonDb, TREE_FIELDS } from '../../../src/db/schema'
import { listRequestTreeRows } from '../../../src/db/queries'
import { createEntity, deleteEntity, duplicateEntity, moveEntity, updateEntity } from '../../../src/sync/mutations'
import { readEntity } from '../../../src/sync/docSchema'
import { createWorkspace, openWorkspaceDoc, type WorkspaceHandle } from '../../../src/sync/workspaceDocs'
import { freshDb, projection } from './support'
import { header } from './factories'

/** A small seeded generator, so a failure can be replayed with its seed. */
function mulberry32(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6D2B79F5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface Device { db: PigeonDb, handle: WorkspaceHandle }

function ids(handle: WorkspaceHandle, kind: EntityKind): string[] {
  return [...handle.doc.getMap(kind).keys()].sort()
}

/** One random user action; actions that the current state does not allow are skipped. */
function randomEdit(device: Device, random: () => number): void {
  const pick = <T>(items: T[]): T | undefined => items[Math.floor(random() * items.length)]
  const { handle } = device
  const collections = ids(handle, 'collections')
  const parents = [...collections, ...ids(handle, 'folders')]
  const requests = ids(handle, 'requests')
  const action = Math.floor(random() * 10)
  try {
    if (action === 0 || !collections.length) {
      createEntity(handle, 'collections', { name: `c${Math.floor(random() * 100)}` })
    }
    else if (action === 1) {
      createEntity(handle, 'folders', { parentId: pick(parents)!, name: 'folder' })
    }
    else if (action === 2) {
      createEntity(handle, 'requests', { parentId: pick(parents)!, url: 'https://x.test', body: { mode: 'raw', raw: 'hello world' } })
    }
    else if (action === 3 && requests.length) {
      const id = pick(requests)!
      const raw = readEntity('requests', handle.doc.getMap('requests').get(id) as Y.Map<unknown>).body.raw
      const at = Math.floor(random() * (raw.length + 1))
      updateEntity(handle, 'requests', id, { body: { raw: `${raw.slice(0, at)}${String.fromCharCode(97 + Math.floor(random() * 26))}${raw.slice(at)}` } })
    }
    else if (action === 4 && requests.length) {
      const id = pick(requests)!
      const headers = readEntity('requests', handle.doc.getMap('requests').get(id) as Y.Map<unknown>).headers
      const next = random() < 0.5 || !headers.length
        ? [...headers, header(`X-${Math.floor(random() * 9)}`, 'v')]
        : headers.filter((_row, index) => index !== Math.floor(random() * headers.length)).map(row => ({ ...row, enabled: random() < 0.5 }))
      updateEntity(handle, 'requests', id, { headers: next })
    }
    else if (action === 5 && requests.length) {
      updateEntity(handle, 'requests', pick(requests)!, random() < 0.5 ? { name: `r${Math.floor(random() * 100)}` } : { auth: { type: 'bearer', bearer: { token: String(random()) } }, settings: { timeoutMs: 100 } })
    }
    else if (action === 6 && requests.length) {
      createEntity(handle, 'examples', { requestId: pick(requests)!, request: { url: 'https://x.test' }, status: 200 })
    }
    else if (action === 7) {
      const kind = pick(['folders', 'requests', 'collections'] as const)!
      const id = pick(ids(handle, kind))
      if (id)
        deleteEntity(handle, kind, id)
    }
    else if (action === 8) {
      const kind = pick(['folders', 'requests'] as const)!
      const id = pick(ids(handle, kind))
      if (id)
        moveEntity(handle, kind, id, pick(parents)!)
    }
    else if (action === 9) {
      const id = pick(ids(handle, 'folders'))
      if (id)
        duplicateEntity(handle, 'folders', id)
      else
        createEntity(handle, 'environments', { name: 'env' })
    }
  }
  catch (error) {
    // Refusals in words (moving a folder into itself, a parent deleted meanwhile) are expected.
    if (!(error instanceof Error) || !/[a-z].*\.$/.test(error.message))
      throw error
  }
}

function exchange(a: Device, b: Device): void {
  const toB = Y.encodeStateAsUpdate(a.handle.doc, Y.encodeStateVector(b.handle.doc))
  const toA = Y.encodeStateAsUpdate(b.handle.doc, Y.encodeStateVector(a.handle.doc))
  Y.applyUpdate(b.handle.doc, toB, 'remote')
  Y.applyUpdate(a.handle.doc, toA, 'remote')
}

/** The projection the doc should have: every entity read from the doc. */
function expectedProjection(handle: WorkspaceHandle): Record<string, unknown[]> {
  const result: Record<string, unknown[]> = {}
  for (const kind of ENTITY_KINDS) {
    result[kind] = [...handle.doc.getMap(kind).entries()]
      .map(([, ymap]) => readEntity(kind, ymap as Y.Map<unknown>))
      .sort((a, b) => a.id.localeCompare(b.id))
  }
  result.history = []
  result.runs = []
  return result
}

describe('random edits on two devices', () => {
  for (const seed of [1, 2, 3]) {
    it(`converge with equal projections (seed ${seed})`, async () => {
      const random = mulberry32(seed)
      const id = `ws-random-${seed}-${Date.now()}`
      const devices: Device[] = []
      for (let index = 0; index < 2; index++) {
        const db = freshDb()
        await createWorkspace(db, 'Random', 'team', id)
        const handle = openWorkspaceDoc(db, id, { compactAfter: 40 })
        await handle.whenLoaded
        devices.push({ db, handle })
      }
      for (let step = 0; step < 150; step++) {
        randomEdit(devices[Math.floor(random() * 2)], random)
        if (random() < 0.15)
          exchange(devices[0], devices[1])
        if (random() < 0.03) {
          // Reload one device from its stored log.
          const device = devices[Math.floor(random() * 2)]
          await device.handle.close()
          device.handle = openWorkspaceDoc(device.db, id, { compactAfter: 40 })
          await device.handle.whenLoaded
        }
      }
      exchange(devices[0], devices[1])
      for (const device of devices)
        await device.handle.flushed()

      const [a, b] = devices
      expect(a.handle.doc.getMap('requests').toJSON()).toEqual(b.handle.doc.getMap('requests').toJSON())
      const tables = await projection(a.db, id)
      expect(await projection(b.db, id)).toEqual(tables)
      expect(tables).toEqual(expectedProjection(a.handle))
      // The sidebar's light rows match the requests they copy.
      const treeRows = (await listRequestTreeRows(a.db, id)).sort((x, y) => x.id.localeCompare(y.id))
      expect(treeRows).toEqual(tables.requests.map(request => Object.fromEntries(TREE_FIELDS.map(field => [field, request[field]]))))
      for (const device of devices) {
        await device.handle.close()
        device.db.close()
      }
    }, 60_000)
  }
})
