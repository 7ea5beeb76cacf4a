/**
 * Files exported by Postman and other tools come as UTF-8 with or without a
 * byte order mark, and sometimes as UTF-16 (Windows editors). This turns any
 * of them into the parsed JSON value.
 */
import { PostmanImportError } from './errors'

/** The text of a file's bytes, honouring a UTF-8 or UTF-16 byte order mark (or UTF-16 without one). */
export function decodeFileText(bytes: Uint8Array): string {
  if (bytes[0] === 0xFF && bytes[1] === 0xFE)
    return new TextDecoder('utf-16le').decode(bytes.subarray(2))
  if (bytes[0] === 0xFE && bytes[1] === 0xFF)
    return new TextDecoder('utf-16be').decode(bytes.subarray(2))
  // JSON starts with ASCII, so UTF-16 without a mark shows a zero byte beside it.
  if (bytes.length >= 2 && bytes[0] !== 0 && bytes[1] === 0)
    return new TextDecoder('utf-16le').decode(bytes)
  if (bytes.length >= 2 && bytes[0] === 0 && bytes[1] !== 0)
    return new TextDecoder('utf-16be').decode(bytes)
  return new TextDecoder('utf-8').decode(bytes)
}

/** What an import accepts: the file's bytes, its text, or JSON already parsed. */
export type ImportInput = Uint8Array | ArrayBuffer | string | object

/** The parsed JSON of an import; `what` names the expected kind of file in the error. */
export function parseImportInput(input: ImportInput, what: string): unknown {
  if (input instanceof Uint8Array || input instanceof ArrayBuffer)
    return parseText(decodeFileText(input instanceof ArrayBuffer ? new Uint8Array(input) : input), what)
  if (typeof input === 'string')
    return parseText(input, what)
  return input
}

function parseText(text: string, what: string): unknown {
  const clean = text.replace(/^\uFEFF/, '')
  if (clean.includes('\u0000'))
    throw new PostmanImportError(`This file is not a ${what}: it looks like UTF-16 text that was read as UTF-8. Import the file itself rather than its pasted text, or save it as UTF-8 first.`)
  if (clean.trim() === '')
    throw new PostmanImportError(`This file is not a ${what}: it is empty.`)
  try {
    return JSON.parse(clean)
  }
  catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    throw new PostmanImportError(`This file is not a ${what}: it is not valid JSON (${detail}).`)
  }
}
