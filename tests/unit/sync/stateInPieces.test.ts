import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { encodeStateInPieces } from '../../../server/src/sync/stateInPieces'
import { writeEntity } from '../../../src/sync/docSchema'
import { Request } from '../../../src/domain/model'
import { header } from './factories'

/** A workspace-shaped doc written by three devices: requests added, edited, renamed and deleted. */
function workspaceOfThreeDevices(requests: number): Y.Doc {
  const devices = [new Y.Doc(), new Y.Doc(), new Y.Doc()]
  const sync = (): void => {
    for (const from of devices) {
      for (const to of devices) {
        if (from !== to)
          Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)))
      }
    }
  }
  devices[0]!.getMap('meta').set('name', 'Team API')
  for (let n = 0; n < requests; n++) {
    const device = devices[n % 3]!
    const request = Request.parse({ id: `r${n}`, collectionId: 'c1', parentId: 'c1', name: `Request ${n}`, url: `https://api.example.com/items/${n}`, headers: [header('Accept', 'application/json')], order: `a${n}` })
    device.getMap('requests').set(request.id, writeEntity('requests', request))
    if (n % 10 === 9)
      sync()
  }
  sync()
  // Edits from other devices than the author, text edits and deletes.
  for (let n = 0; n < requests; n += 7) {
    const map = devices[(n + 1) % 3]!.getMap<Y.Map<unknown>>('requests').get(`r${n}`)!
    map.set('name', `Renamed ${n}`)
    ;(map.get('description') as Y.Text).insert(0, 'Fetches one item.')
  }
  for (let n = 3; n < requests; n += 11)
    devices[2]!.getMap('requests').delete(`r${n}`)
  sync()
  return devices[0]!
}

function applyAll(doc: Y.Doc, updates: readonly Uint8Array[]): void {
  for (const update of updates)
    Y.applyUpdate(doc, update)
}

function expectSameState(actual: Y.Doc, expected: Y.Doc): void {
  expect(actual.getMap('requests').toJSON()).toEqual(expected.getMap('requests').toJSON())
  expect(actual.getMap('meta').toJSON()).toEqual(expected.getMap('meta').toJSON())
  expect(Y.encodeStateVector(actual)).toEqual(Y.encodeStateVector(expected))
  expect(Y.equalSnapshots(Y.snapshot(actual), Y.snapshot(expected))).toBe(true)
}

describe('the server sends a large workspace in pieces', () => {
  const server = workspaceOfThreeDevices(300)

  it('sends a new device the whole workspace in several pieces, each twice as large as the last, that add up to it', () => {
    const pieces = encodeStateInPieces(server, Y.encodeStateVector(new Y.Doc()), 4096)
    expect(pieces.length).toBeGreaterThan(3)
    // Cut between entities, so a piece is a little over its size: 4 KB, 8 KB, 16 KB…
    expect(pieces[0]!.byteLength).toBeGreaterThanOrEqual(4096)
    expect(pieces[0]!.byteLength).toBeLessThan(6000)
    expect(pieces[1]!.byteLength).toBeGreaterThanOrEqual(8192)
    expect(pieces[1]!.byteLength).toBeLessThan(10_500)
    const device = new Y.Doc()
    applyAll(device, pieces)
    expectSameState(device, server)
  })

  it('ends every piece but the last between requests, so each request arrives whole', () => {
    const pieces = encodeStateInPieces(server, Y.encodeStateVector(new Y.Doc()), 4096)
    const device = new Y.Doc()
    for (const piece of pieces.slice(0, -1)) {
      Y.applyUpdate(device, piece)
      const arrived = device.getMap<Y.Map<unknown>>('requests')
      expect(arrived.size).toBeGreaterThan(0)
      arrived.forEach((request, id) => {
        expect(request.get('url'), `request ${id}`).toMatch(/^https:\/\/api\.example\.com\/items\//)
        expect((request.get('headers') as Y.Array<unknown>).length, `request ${id}`).toBe(1)
      })
    }
  })

  it('converges whatever order the pieces arrive in', () => {
    const pieces = encodeStateInPieces(server, Y.encodeStateVector(new Y.Doc()), 4096)
    const device = new Y.Doc()
    applyAll(device, [...pieces].reverse())
    expectSameState(device, server)
  })

  it('sends a device that has part of the workspace only what it lacks', () => {
    const device = new Y.Doc()
    const firstHalf = encodeStateInPieces(server, Y.encodeStateVector(device), 4096)
    applyAll(device, firstHalf.slice(0, Math.ceil(firstHalf.length / 2)))
    const rest = encodeStateInPieces(server, Y.encodeStateVector(device), 4096)
    const restBytes = rest.reduce((sum, piece) => sum + piece.byteLength, 0)
    expect(restBytes).toBeLessThan(Y.encodeStateAsUpdate(server).byteLength)
    applyAll(device, rest)
    expectSameState(device, server)
  })

  it('sends one update, Yjs\'s own, when what is missing is small or pieces are off', () => {
    const small = encodeStateInPieces(server, Y.encodeStateVector(new Y.Doc()), 1024 * 1024)
    const whole = Buffer.from(Y.encodeStateAsUpdate(server))
    expect(small.map(update => whole.equals(update))).toEqual([true])
    const off = encodeStateInPieces(server, Y.encodeStateVector(new Y.Doc()), 0)
    expect(off.map(update => whole.equals(update))).toEqual([true])
    const nothing = encodeStateInPieces(server, Y.encodeStateVector(server), 4096)
    expect(nothing.map(update => Buffer.from(update).equals(Y.encodeStateAsUpdate(server, Y.encodeStateVector(server))))).toEqual([true])
  })

  it('cuts inside an entity far larger than a piece rather than sending it whole', () => {
    const doc = new Y.Doc()
    const body = new Y.Text()
    doc.getMap('requests').set('huge', new Y.Map([['body', body]]))
    for (let n = 0; n < 2000; n++)
      body.insert(0, `line ${n}\n`) // Each at the start: one struct per insert (appends would merge into one).
    const pieces = encodeStateInPieces(doc, Y.encodeStateVector(new Y.Doc()), 1024)
    expect(pieces.length).toBeGreaterThan(2)
    const device = new Y.Doc()
    applyAll(device, pieces)
    expectSameState(device, doc)
  })
})
