/** A session's browser as the session list shows it, read with the table the app also names devices by. */
import { browserOnSystem } from '../../../src/domain/userAgent.js'

/** "Chrome 131 on Linux", or "Unknown browser" when the agent names no browser we know. */
export function describeUserAgent(userAgent: string): string {
  return browserOnSystem(userAgent, { withVersion: true, unknownBrowser: 'Unknown browser' })
}
