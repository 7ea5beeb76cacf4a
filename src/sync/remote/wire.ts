/**
 * Pigeon's own sync messages on the client side (docs/sync.md): the ack
 * request it sends, and the ack and read-only notice it reads. The numbers
 * live in src/domain/syncProtocol.ts, shared with the server.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { MESSAGE_ACK_REQUEST } from '../../domain/syncProtocol'

/** The y-protocols sync sub-message that carries the other side's state vector. */
export const SYNC_STEP_1 = 0

/** `[100, id]`: asks the server to answer once everything sent before it is committed. */
export function encodeAckRequest(id: number): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_ACK_REQUEST)
  encoding.writeVarUint(encoder, id)
  return encoding.toUint8Array(encoder)
}

/** Reads the id of an ack (`[101, id]`, message number already read). */
export function readAck(decoder: decoding.Decoder): number {
  return decoding.readVarUint(decoder)
}

/** Reads a read-only notice (`[102, readOnly, sentence]`, message number already read). */
export function readReadOnlyNotice(decoder: decoding.Decoder): { readOnly: boolean, sentence: string } {
  const readOnly = decoding.readVarUint(decoder) === 1
  return { readOnly, sentence: decoding.readVarString(decoder) }
}

/** The sync sub-message type of a sync message, without consuming it. */
export function peekSyncType(decoder: decoding.Decoder): number {
  return decoding.peekVarUint(decoder)
}
