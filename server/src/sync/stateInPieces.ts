/**
 * What a client lacks, as several Yjs updates instead of one, so a device
 * restoring a large workspace shows its first collections while the rest is
 * still coming (issue 5: usable ≤ 2 s for 5,000 requests). One 4 MB update
 * kept the sidebar empty until all of it was integrated, about 1.3 s of one
 * task in the browser.
 *
 * Each piece but the last holds whole structs in Yjs's own order (clients
 * with higher ids first, each client's structs by clock), cut only where a
 * new entity begins (an item keyed in a top-level map) so a piece never ends
 * inside a request unless one entity alone is far larger than a piece. The
 * last piece is Yjs's own encoding of everything after the earlier pieces,
 * with the whole delete set; it is sent as sync step 2, so the client counts
 * itself synced only once every piece arrived. Pieces are valid Yjs
 * updates in any order: an item whose origin is in a later piece waits in
 * Yjs's pending store until that piece arrives.
 */
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'

/** The largest piece, as a multiple of the first. */
const GROWTH = 32

/** A run of one client's structs in a piece, already written (without its header). */
interface Segment {
  client: number
  firstClock: number
  count: number
  lastEnd: number
  body: Y.UpdateEncoderV1
}

/** True when the struct adds or replaces a key of a top-level map: an entity (or workspace field) begins here. */
function beginsEntity(struct: Y.Item | Y.GC): boolean {
  if (!(struct instanceof Y.Item) || struct.parentSub === null)
    return false
  const parent = struct.parent
  return parent instanceof Y.AbstractType && parent._item === null
}

/** One update of the segments, with an empty delete set (deletes come with the last piece). */
function encodePiece(segments: readonly Segment[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, segments.length)
  for (const segment of segments) {
    encoding.writeVarUint(encoder, segment.count)
    encoding.writeVarUint(encoder, segment.client)
    encoding.writeVarUint(encoder, segment.firstClock)
    encoding.writeUint8Array(encoder, segment.body.toUint8Array())
  }
  encoding.writeVarUint(encoder, 0)
  return encoding.toUint8Array(encoder)
}

/**
 * The updates a client with `stateVector` lacks, in order: a first piece of
 * about `firstPieceBytes`, so the first rows come soon, each next one twice
 * as large up to `GROWTH` times the first (every piece costs the client a
 * storage transaction and a new read of its sidebar), then the last one. One
 * update, Yjs's own, when all of it is smaller than the first piece or
 * `firstPieceBytes` is 0.
 */
export function encodeStateInPieces(doc: Y.Doc, stateVector: Uint8Array, firstPieceBytes: number): Uint8Array[] {
  const known = Y.decodeStateVector(stateVector)
  if (firstPieceBytes <= 0)
    return [Y.encodeStateAsUpdate(doc, stateVector)]
  const pieces: Uint8Array[] = []
  const covered = new Map(known)
  let done: Segment[] = []
  let bytes = 0
  let limit = firstPieceBytes
  const cut = (): void => {
    pieces.push(encodePiece(done))
    for (const segment of done)
      covered.set(segment.client, segment.lastEnd)
    done = []
    bytes = 0
    limit = Math.min(limit * 2, firstPieceBytes * GROWTH)
  }
  // Yjs's order: clients with higher ids first (it resolves conflicts faster).
  for (const client of [...doc.store.clients.keys()].sort((a, b) => b - a)) {
    const structs = doc.store.clients.get(client) as Array<Y.Item | Y.GC>
    const last = structs.at(-1)!
    const from = Math.max(known.get(client) ?? 0, structs[0]!.id.clock)
    if (from >= last.id.clock + last.length)
      continue
    const begin = (clock: number): Segment => ({ client, firstClock: clock, count: 0, lastEnd: clock, body: new Y.UpdateEncoderV1() })
    let segment = begin(from)
    for (let index = Y.findIndexSS(structs as never, from); index < structs.length; index++) {
      const struct = structs[index]!
      // Past the limit, cut before the next entity; far past it (one huge entity), anywhere.
      if (bytes >= limit && segment.count > 0 && (beginsEntity(struct) || bytes >= limit * 4)) {
        done.push(segment)
        cut()
        segment = begin(struct.id.clock)
      }
      const before = encoding.length(segment.body.restEncoder)
      struct.write(segment.body, segment.count === 0 ? segment.firstClock - struct.id.clock : 0)
      bytes += encoding.length(segment.body.restEncoder) - before
      segment.count++
      segment.lastEnd = struct.id.clock + struct.length
    }
    done.push(segment)
  }
  if (!pieces.length)
    return [Y.encodeStateAsUpdate(doc, stateVector)]
  // The rest, and every delete, in Yjs's own encoding.
  return [...pieces, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(covered))]
}
