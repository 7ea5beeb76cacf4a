/**
 * Storage-full handling. IndexedDB reports a full disk as a
 * `QuotaExceededError` DOMException, which Dexie may wrap (an AbortError of
 * the transaction with `inner`, or a BulkError with `failures`). Every write
 * of src/db goes through `guardWrite`, so the user always gets one sentence.
 */

/** Thrown when a write did not fit; its message is meant for the user. */
export class StorageFullError extends Error {
  constructor(what: string, cause: unknown) {
    super(`This device's storage is full: Pigeon could not save ${what}. Free space by clearing history or deleting large examples; nothing already saved was lost.`, { cause })
    this.name = 'StorageFullError'
  }
}

/** True when the error, or an error it wraps, says the storage quota was exceeded. */
export function isQuotaError(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5)
    return false
  const candidate = error as { name?: unknown, inner?: unknown, cause?: unknown, failures?: unknown }
  if (candidate.name === 'QuotaExceededError')
    return true
  if (isQuotaError(candidate.inner, depth + 1) || isQuotaError(candidate.cause, depth + 1))
    return true
  if (Array.isArray(candidate.failures))
    return candidate.failures.some(failure => isQuotaError(failure, depth + 1))
  return false
}

/** Runs a write; a full storage becomes a `StorageFullError` naming `what` was being saved. */
export async function guardWrite<T>(what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  }
  catch (error) {
    if (isQuotaError(error))
      throw new StorageFullError(what, error)
    throw error
  }
}
