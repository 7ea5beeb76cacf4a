/**
 * One AbortSignal for "the user cancelled or the time is up", and a way to
 * tell afterwards which of the two happened.
 */
export interface SendSignal {
  signal: AbortSignal
  timedOut: () => boolean
  cancelled: () => boolean
  /** Stops the timer; call when the response has been read. */
  dispose: () => void
}

/** Combines the user's cancel signal with a timeout of `timeoutMs` (0 or less: no timeout). */
export function sendSignal(timeoutMs: number, cancel?: AbortSignal): SendSignal {
  const controller = new AbortController()
  let timedOut = false
  const timer = timeoutMs > 0
    ? setTimeout(() => {
        timedOut = true
        controller.abort(new DOMException(`No answer within ${timeoutMs} ms`, 'TimeoutError'))
      }, timeoutMs)
    : undefined
  const onCancel = (): void => controller.abort(cancel?.reason)
  if (cancel?.aborted)
    onCancel()
  else
    cancel?.addEventListener('abort', onCancel, { once: true })
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    cancelled: () => cancel?.aborted === true,
    dispose: () => {
      clearTimeout(timer)
      cancel?.removeEventListener('abort', onCancel)
    },
  }
}
