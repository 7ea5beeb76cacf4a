/**
 * The app's stores started as in a fresh browser profile (fake-indexeddb),
 * talking to a real test server: the cookie jar stands in for the browser's,
 * and the sync socket sends its cookies like a browser does. Also the
 * account's other device (the sync layer alone) the tests check against.
 */
import { createPinia, setActivePinia } from 'pinia'
import { WebSocket } from 'ws'
import { createApp } from 'vue'
import { createAccountsApi, createApiClient, memoryStorage } from '../../../src/api'
import { LOCAL_DB_NAME } from '../../../src/db/schema'
import { useCollectionsStore } from '../../../src/stores/collections'
import { provideSessionEnvironment, useSessionStore } from '../../../src/stores/session'
import { provideSyncEnvironment, useSyncStore } from '../../../src/stores/sync'
import { selectDatabase, useWorkspacesStore } from '../../../src/stores/workspaces'
import { type Closable, closeAfterEach, serverForThisFile } from '../../support/hooks'
import { cookieJarFetch, newAccount } from '../accountClient/support'
import { Device } from '../clientSync/devices'
import { signInOnAnotherDevice } from '../sync/accounts'

export type { Closable }

/** A `ws` WebSocket that sends the jar's cookies as they are when it connects, like a browser. */
function jarWebSocket(jar: ReturnType<typeof cookieJarFetch>, origin: string): typeof globalThis.WebSocket {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      const cookie = [...jar.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
      super(url, protocols, { headers: { cookie, origin } })
    }
  } as unknown as typeof globalThis.WebSocket
}

/** Opens the app against `serverUrl`; its connection is added to `opened` so the test can close it. */
export function openApp(serverUrl: string, opened: Closable[]) {
  selectDatabase(LOCAL_DB_NAME)
  const jar = cookieJarFetch()
  const pinia = createPinia()
  createApp({}).use(pinia)
  setActivePinia(pinia)
  const client = createApiClient({ baseUrl: serverUrl, fetch: jar })
  provideSessionEnvironment(pinia, { api: createAccountsApi(client), storage: memoryStorage() })
  provideSyncEnvironment(pinia, { client, serverUrl, WebSocketPolyfill: jarWebSocket(jar, serverUrl), maxBackoffTime: 300 })
  const app = { sync: useSyncStore(), session: useSessionStore(), workspaces: useWorkspacesStore(), collections: useCollectionsStore(), jar }
  opened.push({ close: async () => app.sync.connection?.close() })
  return app
}

export type App = ReturnType<typeof openApp>

/** Signs a new account up in `app` and waits until its personal workspace is open (not yet in sync). */
export async function signUpInApp(app: App) {
  const account = newAccount()
  const [personal] = await app.session.signUp(account)
  await app.sync.settled()
  return { ...account, userId: app.session.user!.id, personalWorkspaceId: personal.id }
}

export type AppAccount = Awaited<ReturnType<typeof signUpInApp>>

/**
 * For a file of app tests: the real server for the file, `openApp()` on it,
 * and `anotherDevice(account)`, the same account on another device (the sync
 * layer alone, with its own IndexedDB) on `workspaceId`, by default its
 * personal workspace. What a test opens is closed after it; what a file opens
 * its own way it hands to `closeAfterTest` to be closed with the rest.
 */
export function serverForAppTests() {
  const server = serverForThisFile()
  const opened: Closable[] = []
  closeAfterEach(opened)
  const closeAfterTest = <T extends Closable>(thing: T): T => {
    opened.push(thing)
    return thing
  }
  return {
    server,
    closeAfterTest,
    openApp: () => openApp(server.url, opened),
    anotherDevice: async (account: AppAccount, workspaceId = account.personalWorkspaceId): Promise<Device> => {
      const signedIn = await signInOnAnotherDevice(server.url, { ...account, sessionId: '', cookie: '' })
      return closeAfterTest(await new Device('phone', { serverUrl: server.url, userId: account.userId, cookie: signedIn.cookie, workspaceId }).open())
    },
  }
}
