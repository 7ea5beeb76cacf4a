/**
 * Reading client frames and writing server frames of the sync protocol
 * (src/domain/syncProtocol.ts). Every client frame is decoded completely and
 * checked here, before it reaches a document, so garbage closes only the
 * connection that sent it.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { encodeStateInPieces } from './stateInPieces.js'
import {
  CLOSE_INVALID_PAYLOAD,
  CLOSE_REASONS,
  CLOSE_UNSUPPORTED_DATA,
  MESSAGE_ACK,
  MESSAGE_ACK_REQUEST,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_READ_ONLY,
  MESSAGE_SYNC,
} from '../../../src/domain/syncProtocol.js'

/** y-protocols' sync sub-messages. */
const SYNC_STEP_1 = 0
const SYNC_STEP_2 = 1
const SYNC_UPDATE = 2

/** A client frame after decoding and validation. */
export type ClientMessage =
  | { type: 'syncStep1', stateVector: Uint8Array }
  /** A Yjs update, from sync step 2 (`step2`) or a live update. */
  | { type: 'update', update: Uint8Array, step2: boolean }
  | { type: 'awareness', update: Uint8Array }
  | { type: 'queryAwareness' }
  | { type: 'ackRequest', id: number }

export type DecodeResult =
  | { ok: true, message: ClientMessage }
  | { ok: false, code: number, reason: string }

class MalformedMessage extends Error {}

/** Reads a length-prefixed byte array, refusing lengths past the end of the frame. */
function readBytes(decoder: decoding.Decoder): Uint8Array {
  const length = decoding.readVarUint(decoder)
  if (length > decoder.arr.length - decoder.pos)
    throw new MalformedMessage('length past the end of the frame')
  return decoding.readUint8Array(decoder, length)
}

function expectEnd(decoder: decoding.Decoder): void {
  if (decoding.hasContent(decoder))
    throw new MalformedMessage('trailing bytes')
}

/** An awareness update is a count of (clientID, clock, JSON state) entries; all of it must parse. */
function checkAwarenessUpdate(update: Uint8Array): void {
  const decoder = decoding.createDecoder(update)
  const count = decoding.readVarUint(decoder)
  if (count > update.length)
    throw new MalformedMessage('awareness entry count past the end of the frame')
  for (let i = 0; i < count; i++) {
    decoding.readVarUint(decoder)
    decoding.readVarUint(decoder)
    const state: unknown = JSON.parse(decoding.readVarString(decoder))
    if (state !== null && typeof state !== 'object')
      throw new MalformedMessage('awareness state is not an object')
  }
  expectEnd(decoder)
}

/** Decodes one binary frame; anything unreadable or unknown becomes a close code with a sentence. */
export function decodeClientMessage(frame: Uint8Array): DecodeResult {
  let messageType: number
  try {
    const decoder = decoding.createDecoder(frame)
    messageType = decoding.readVarUint(decoder)
    let message: ClientMessage | null = null
    switch (messageType) {
      case MESSAGE_SYNC: {
        const syncType = decoding.readVarUint(decoder)
        const payload = readBytes(decoder)
        if (syncType === SYNC_STEP_1) {
          Y.decodeStateVector(payload)
          message = { type: 'syncStep1', stateVector: payload }
        }
        else if (syncType === SYNC_STEP_2 || syncType === SYNC_UPDATE) {
          // Decoding walks every struct and delete set: a malformed update throws here, not inside a document.
          Y.decodeUpdate(payload)
          message = { type: 'update', update: payload, step2: syncType === SYNC_STEP_2 }
        }
        break
      }
      case MESSAGE_AWARENESS: {
        const update = readBytes(decoder)
        checkAwarenessUpdate(update)
        message = { type: 'awareness', update }
        break
      }
      case MESSAGE_QUERY_AWARENESS:
        message = { type: 'queryAwareness' }
        break
      case MESSAGE_ACK_REQUEST:
        message = { type: 'ackRequest', id: decoding.readVarUint(decoder) }
        break
    }
    if (!message)
      return { ok: false, code: CLOSE_UNSUPPORTED_DATA, reason: CLOSE_REASONS.unknownMessage }
    expectEnd(decoder)
    return { ok: true, message }
  }
  catch {
    return { ok: false, code: CLOSE_INVALID_PAYLOAD, reason: CLOSE_REASONS.malformed }
  }
}

/** True for an update that carries nothing (no structs, no deletions), like a step 2 from an up-to-date client. */
export function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0
}

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

/** The server's sync step 1: its state vector, so the client answers with what the server lacks. */
export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC)
    encoding.writeVarUint(e, SYNC_STEP_1)
    encoding.writeVarUint8Array(e, Y.encodeStateVector(doc))
  })
}

/**
 * Sync step 2: everything the client's state vector lacks. A large answer
 * goes as update frames, the first of about `firstPieceBytes`, then step 2
 * with the rest (stateInPieces.ts), so the client shows the first part while the rest comes.
 */
export function encodeSyncStep2(doc: Y.Doc, stateVector: Uint8Array, firstPieceBytes = 0): Uint8Array[] {
  const updates = encodeStateInPieces(doc, stateVector, firstPieceBytes)
  const last = updates.pop()!
  return [
    ...updates.map(encodeUpdate),
    frame((e) => {
      encoding.writeVarUint(e, MESSAGE_SYNC)
      encoding.writeVarUint(e, SYNC_STEP_2)
      encoding.writeVarUint8Array(e, last)
    }),
  ]
}

export function encodeUpdate(update: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC)
    encoding.writeVarUint(e, SYNC_UPDATE)
    encoding.writeVarUint8Array(e, update)
  })
}

export function encodeAwareness(update: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MESSAGE_AWARENESS)
    encoding.writeVarUint8Array(e, update)
  })
}

export function encodeAck(id: number): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MESSAGE_ACK)
    encoding.writeVarUint(e, id)
  })
}

export function encodeReadOnly(readOnly: boolean, sentence: string): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MESSAGE_READ_ONLY)
    encoding.writeVarUint(e, readOnly ? 1 : 0)
    encoding.writeVarString(e, sentence)
  })
}
