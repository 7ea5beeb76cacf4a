/**
 * What an ack request may cover when several tabs share one update log: a
 * stored row counts as sent only once the connected doc holds its change,
 * including a change that only deletes.
 */
import 'fake-indexeddb/auto'
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { openPigeonDb } from '../../../src/db/schema'
import { readAckMark } from '../../../src/db/remoteSync'
import { heldBy } from '../../../src/sync/remote/durableAcks'

/** Two tabs' docs that start from the same state. */
function twoTabs(): { connected: Y.Doc, other: Y.Doc } {
  const connected = new Y.Doc()
  connected.getMap('collections').set('pets', 'Pets')
  connected.getMap('collections').set('users', 'Users')
  const other = new Y.Doc()
  Y.applyUpdate(other, Y.encodeStateAsUpdate(connected))
  return { connected, other }
}

/** Makes a change in `doc` and returns just its update. */
function change(doc: Y.Doc, edit: () => void): Uint8Array {
  const before = Y.encodeStateVector(doc)
  edit()
  return Y.encodeStateAsUpdate(doc, before)
}

describe('which stored changes the connected doc holds', () => {
  it('holds another tab\'s new entry only once it arrived', () => {
    const { connected, other } = twoTabs()
    const added = change(other, () => other.getMap('collections').set('orders', 'Orders'))
    expect(heldBy(connected)(added)).toBe(false)
    Y.applyUpdate(connected, added)
    expect(heldBy(connected)(added)).toBe(true)
  })

  it('holds another tab\'s deletion only once it arrived, though it adds nothing', () => {
    const { connected, other } = twoTabs()
    const deleted = change(other, () => other.getMap('collections').delete('pets'))
    expect(Y.parseUpdateMeta(deleted).to.size).toBe(0)
    expect(heldBy(connected)(deleted)).toBe(false)
    Y.applyUpdate(connected, deleted)
    expect(heldBy(connected)(deleted)).toBe(true)
  })

  it('marks acked only up to the first local row the connected doc does not hold', async () => {
    const db = openPigeonDb(`pigeon-ack-mark-${Math.random().toString(36).slice(2)}`)
    const { connected, other } = twoTabs()
    const docName = 'ws/ack-mark'
    const own = change(connected, () => connected.getMap('collections').set('mine', 'Mine'))
    const notYetRelayed = change(other, () => other.getMap('collections').set('theirs', 'Theirs'))
    const ownLater = change(connected, () => connected.getMap('collections').set('later', 'Later'))
    const first = await db.updates.add({ docName, update: own, local: true, at: 1 })
    await db.updates.add({ docName, update: notYetRelayed, local: true, at: 2 })
    await db.updates.add({ docName, update: ownLater, local: true, at: 3 })

    expect(await readAckMark(db, docName, heldBy(connected))).toBe(first)
    Y.applyUpdate(connected, notYetRelayed)
    expect(await readAckMark(db, docName, heldBy(connected))).toBe(first + 2)
    db.close()
  })
})
