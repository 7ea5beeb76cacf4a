/**
 * A request ready to send: variables resolved, auth applied, body chosen.
 * Domain code builds it (pure); agents send it. File bytes are not here: a
 * file part names a local blob that the agent reads from this device.
 */
export type PreparedBody =
  | { kind: 'none' }
  /** Raw text, urlencoded text, GraphQL JSON. */
  | { kind: 'text', text: string }
  | { kind: 'formdata', parts: PreparedFormPart[] }
  | { kind: 'binary', blobId: string, name: string }

export type PreparedFormPart =
  | { kind: 'text', name: string, value: string, contentType?: string }
  | { kind: 'file', name: string, blobId: string, fileName: string, contentType?: string }

export interface PreparedRequest {
  method: string
  /** Absolute URL with query string, path variables filled in. */
  url: string
  /** Header pairs in order; names may repeat. */
  headers: Array<[string, string]>
  body: PreparedBody
  timeoutMs: number
  followRedirects: boolean
  maxRedirects: number
}

/** What an agent hands back for a sent request. */
export interface AgentResponse {
  status: number
  statusText: string
  headers: Array<[string, string]>
  body: Uint8Array
  /** Bytes received on the wire for the body (before decoding when known). */
  size: number
  /** Total time from send to last byte, in ms. */
  timeMs: number
  /** Phases in ms, when the agent can tell (the server proxy can). */
  timings?: { dns?: number, connect?: number, tls?: number, firstByte?: number, download?: number }
  /** Final URL after redirects. */
  url: string
  redirects: number
  agent: 'browser' | 'server'
}

export const SEND_ERROR_KINDS = ['invalid_url', 'dns', 'refused', 'tls', 'timeout', 'cors', 'offline', 'aborted', 'too_large', 'forbidden_target', 'redirects', 'invalid_body', 'unknown'] as const
export type SendErrorKind = (typeof SEND_ERROR_KINDS)[number]

/** A request that could not be sent; `message` is a sentence that says why and what to do. */
export class SendError extends Error {
  constructor(readonly kind: SendErrorKind, message: string) {
    super(message)
    this.name = 'SendError'
  }
}
