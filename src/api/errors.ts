/** What the API client throws: always an Error whose message is a sentence for the user. */
import type { LimitedDevice } from './schemas'

export const UNREACHABLE_MESSAGE = 'Can\'t reach the Pigeon server. Check your connection; your local work is safe.'

/** The server answered with an error body; `code` is its stable `error` field. */
export class ApiError extends Error {
  override readonly name = 'ApiError'

  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    /** Seconds to wait, for 429 answers. */
    readonly retryAfter?: number,
    /** The other devices, for 409 device_limit. */
    readonly devices?: LimitedDevice[],
  ) {
    super(message)
  }
}

/** The request never got an answer: offline, server down, or the connection dropped. */
export class ServerUnreachableError extends Error {
  override readonly name = 'ServerUnreachableError'

  constructor(cause?: unknown) {
    super(UNREACHABLE_MESSAGE, { cause })
  }
}

/** True when an error means the server could not be reached at all. */
export function isUnreachable(error: unknown): error is ServerUnreachableError {
  return error instanceof ServerUnreachableError
}

/** True when the server said this request is not (or no longer) signed in. */
export function isNotSignedIn(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && error.code === 'not_signed_in'
}
