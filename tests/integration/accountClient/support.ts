/**
 * One app install for the session store tests: its own cookie jar (Node's
 * fetch keeps no cookies, a browser does), its own local storage, its own
 * Pinia, and the real API client pointed at the test server.
 */
import type { FetchLike, KeyValueStorage } from '../../../src/api'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { createPinia } from 'pinia'
import { createApp } from 'vue'
import { createAccountsApi, createApiClient, memoryStorage } from '../../../src/api'
import { provideSessionEnvironment, useSessionStore } from '../../../src/stores/session'

export const CHROME_ON_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

/** A fetch that stores the cookies the server sets and sends them back, like a browser profile. */
export function cookieJarFetch(userAgent = CHROME_ON_LINUX): FetchLike & { cookies: Map<string, string> } {
  const cookies = new Map<string, string>()
  const jarFetch = async (input: string, init: RequestInit): Promise<Response> => {
    const headers = new Headers(init.headers)
    headers.set('user-agent', userAgent)
    if (cookies.size > 0)
      headers.set('cookie', [...cookies].map(([name, value]) => `${name}=${value}`).join('; '))
    const response = await fetch(input, { ...init, headers })
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';')
      const separator = pair.indexOf('=')
      const name = pair.slice(0, separator).trim()
      if (attributes.some(attribute => /^\s*max-age=0\s*$/i.test(attribute)))
        cookies.delete(name)
      else
        cookies.set(name, pair.slice(separator + 1))
    }
    return response
  }
  return Object.assign(jarFetch, { cookies })
}

export interface AppInstall {
  store: ReturnType<typeof useSessionStore>
  storage: KeyValueStorage
  jar: ReturnType<typeof cookieJarFetch>
  /** The same install started again (a reload): same cookies and storage, fresh store. */
  reload: () => AppInstall
}

/** Opens the app on a new browser profile (or on an existing one's cookies and storage). */
export function openApp(baseUrl: string, profile: { storage?: KeyValueStorage, jar?: ReturnType<typeof cookieJarFetch>, userAgent?: string } = {}): AppInstall {
  const storage = profile.storage ?? memoryStorage()
  const jar = profile.jar ?? cookieJarFetch(profile.userAgent)
  const pinia = createPinia()
  // Installed in an (unmounted) app as in the real one, so the store finds its Pinia by injection.
  createApp({}).use(pinia)
  provideSessionEnvironment(pinia, {
    api: createAccountsApi(createApiClient({ baseUrl, fetch: jar })),
    storage,
    userAgent: profile.userAgent ?? CHROME_ON_LINUX,
  })
  const store = useSessionStore(pinia)
  return { store, storage, jar, reload: () => openApp(baseUrl, { storage, jar, userAgent: profile.userAgent }) }
}

let counter = 0
const runId = Math.random().toString(36).slice(2, 8)

/** A fresh, valid account no other test uses. */
export function newAccount(): { email: string, username: string, password: string } {
  counter += 1
  const name = `client${runId}${counter}`
  return { email: `${name}@example.com`, username: name, password: 'correct horse battery' }
}

/** Waits for the next mail to `to` in the server's outbox (it mails after answering). */
export async function waitForMail(dataDir: string, to: string, seenBefore = 0, timeoutMs = 5000): Promise<string> {
  const outbox = path.join(dataDir, 'outbox')
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const files = (await readdir(outbox).catch(() => [] as string[])).sort()
    const texts = await Promise.all(files.map(file => readFile(path.join(outbox, file), 'utf8')))
    // Quoted-printable soft line breaks would split the code.
    const mails = texts.filter(text => text.includes(`To: ${to}`)).map(text => text.replace(/=\r?\n/g, ''))
    if (mails.length > seenBefore)
      return mails[mails.length - 1]
    await new Promise(resolve => setTimeout(resolve, 25))
  }
  throw new Error(`No mail to ${to} reached the outbox within ${timeoutMs} ms.`)
}
