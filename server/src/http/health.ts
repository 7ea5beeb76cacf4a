/** /healthz says the process is alive; /readyz says its storage answers. */
import type { AppContext } from '../app.js'
import { sendJson } from './respond.js'

export function registerHealth(app: AppContext, readyChecks: Array<() => Promise<void> | void>): void {
  app.router.add(
    { method: 'GET', path: '/healthz', handler: ({ res }) => sendJson(res, 200, { ok: true }) },
    {
      method: 'GET',
      path: '/readyz',
      handler: async ({ res }) => {
        try {
          for (const check of readyChecks)
            await check()
          sendJson(res, 200, { ok: true })
        }
        catch (err) {
          sendJson(res, 503, { ok: false, message: `Storage is not reachable: ${(err as Error).message}` })
        }
      },
    },
  )
}
