/**
 * Vitest hooks the integration tests share (kept apart from the server
 * helpers, which the benchmarks load outside Vitest).
 */
import type { PigeonServer, StartOptions } from './pigeonServer'
import type { SyncClient, SyncClientOptions } from './syncClient'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { startPigeonServer } from './pigeonServer'
import { connectSyncClient } from './syncClient'

/** Something a test opens and closes again (an app, a device, a tab). */
export interface Closable { close: () => Promise<unknown> }

/** After each test, closes what it opened (apps, devices) and empties the list; a failed close is ignored. */
export function closeAfterEach(opened: Closable[]): void {
  afterEach(async () => {
    for (const each of opened.splice(0))
      await each.close().catch(() => undefined)
  })
}

/**
 * The real server for one test file: started before its first test, stopped
 * after its last. The handle is filled in when the server has started, so
 * read it inside tests and hooks, not at the top of the file. `restart()`
 * restarts it in place (same port and data), so the handle always stands for
 * the running server and the one stopped at the end is the last one started.
 */
export function serverForThisFile(options: StartOptions = {}): PigeonServer {
  const server = {} as PigeonServer
  const adopt = (started: PigeonServer): PigeonServer => Object.assign(server, started, {
    restart: async (signal?: NodeJS.Signals) => adopt(await started.restart(signal)),
  })
  beforeAll(async () => {
    adopt(await startPigeonServer(options))
  })
  afterAll(async () => {
    await server.stop()
  })
  return server
}

/** Returns `open(document, options)` for sync clients on `server`; after each test, the clients it opened are destroyed. */
export function syncClientsClosedAfterEach(server: PigeonServer): (document: string, options?: SyncClientOptions) => SyncClient {
  const clients: SyncClient[] = []
  afterEach(() => {
    for (const client of clients.splice(0))
      client.destroy()
  })
  return (document, options) => {
    const client = connectSyncClient(server.url, document, options)
    clients.push(client)
    return client
  }
}
