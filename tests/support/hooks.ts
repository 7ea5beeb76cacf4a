/**
 * Vitest hooks the integration tests share (kept apart from the server
 * helpers, which the benchmarks load outside Vitest).
 */
import { afterEach } from 'vitest'

/** After each test, closes what it opened (apps, devices) and empties the list; a failed close is ignored. */
export function closeAfterEach(opened: Array<{ close: () => Promise<unknown> }>): void {
  afterEach(async () => {
    for (const each of opened.splice(0))
      await each.close().catch(() => undefined)
  })
}
