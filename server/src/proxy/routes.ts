/** The request proxy's HTTP routes (filled in by the proxy module). */
import type { AppContext } from '../app.js'

export function registerProxy(_app: AppContext): void {}
