/**
 * Helpers for the accounts API tests: a `Device` is one app install with its
 * own cookie jar, device id, browser and client address (sent as
 * X-Forwarded-For; the test server runs with TRUST_PROXY=1 so each device
 * counts as its own address for the rate limits).
 */
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'

let counter = 0
const runId = Math.random().toString(36).slice(2, 8)

export interface AccountInput {
  email: string
  username: string
  password: string
}

/** A fresh, valid account that no other test uses. */
export function newAccount(overrides: Partial<AccountInput> = {}): AccountInput {
  counter += 1
  const name = `user${runId}${counter}`
  return { email: `${name}@example.com`, username: name, password: 'correct horse battery', ...overrides }
}

/**
 * Answer bodies are JSON whose shape the tests assert field by field, so they
 * are loosely typed here on purpose.
 */
export type Json = any

export interface ApiAnswer<T = Json> {
  status: number
  body: T
  headers: Headers
}

export interface DeviceOptions {
  deviceId?: string
  deviceName?: string
  userAgent?: string
  address?: string
}

export class Device {
  readonly deviceId: string
  readonly deviceName: string
  readonly userAgent: string
  readonly address: string
  private cookies = new Map<string, string>()

  constructor(readonly baseUrl: string, options: DeviceOptions = {}) {
    counter += 1
    this.deviceId = options.deviceId ?? `device-${runId}-${counter}`
    this.deviceName = options.deviceName ?? `Device ${counter}`
    this.userAgent = options.userAgent ?? 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
    this.address = options.address ?? `10.${counter % 250}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`
  }

  /** The session cookie this device holds, if any. */
  get sessionCookie(): string | undefined {
    return this.cookies.get('pigeon_session')
  }

  /** Gives this device another device's cookies (a copied/stolen cookie). */
  copyCookiesFrom(other: Device): void {
    this.cookies = new Map(other.cookies)
  }

  async request<T = Json>(method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer<T>> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    const response = await fetch(`${this.baseUrl}${urlPath}`, {
      method,
      headers: {
        'user-agent': this.userAgent,
        'x-forwarded-for': this.address,
        ...(method !== 'GET' ? { 'content-type': 'application/json' } : {}),
        ...(cookie ? { cookie } : {}),
        ...headers,
      },
      body: body === undefined ? (method !== 'GET' ? '{}' : undefined) : JSON.stringify(body),
    })
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';')
      const [name, value] = pair.split('=')
      if (attributes.some(a => /^\s*max-age=0$/i.test(a)))
        this.cookies.delete(name.trim())
      else
        this.cookies.set(name.trim(), value)
    }
    const text = await response.text()
    return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers }
  }

  get<T = Json>(urlPath: string): Promise<ApiAnswer<T>> {
    return this.request('GET', urlPath)
  }

  post<T = Json>(urlPath: string, body?: unknown): Promise<ApiAnswer<T>> {
    return this.request('POST', urlPath, body)
  }

  patch<T = Json>(urlPath: string, body?: unknown): Promise<ApiAnswer<T>> {
    return this.request('PATCH', urlPath, body)
  }

  delete<T = Json>(urlPath: string, body?: unknown): Promise<ApiAnswer<T>> {
    return this.request('DELETE', urlPath, body)
  }

  signUp(account: AccountInput): Promise<ApiAnswer> {
    return this.post('/api/auth/signup', { ...account, deviceId: this.deviceId, deviceName: this.deviceName })
  }

  signIn(login: string, password: string, extra: Record<string, unknown> = {}): Promise<ApiAnswer> {
    return this.post('/api/auth/signin', { login, password, deviceId: this.deviceId, deviceName: this.deviceName, ...extra })
  }
}

/** Signs up a fresh account on a fresh device and returns both. */
export async function signedUpUser(baseUrl: string, overrides: Partial<AccountInput> = {}): Promise<{ device: Device, account: AccountInput, userId: string, personalWorkspaceId: string }> {
  const account = newAccount(overrides)
  const device = new Device(baseUrl)
  const answer = await device.signUp(account)
  if (answer.status !== 201)
    throw new Error(`Sign-up failed: ${answer.status} ${JSON.stringify(answer.body)}`)
  return { device, account, userId: answer.body.user.id, personalWorkspaceId: answer.body.workspaces[0].id }
}

/** All outbox mails to `to`, oldest first, with quoted-printable soft line breaks joined. */
export async function mailsTo(dataDir: string, to: string): Promise<string[]> {
  const outbox = path.join(dataDir, 'outbox')
  const files = (await readdir(outbox).catch(() => [] as string[])).sort()
  const texts = await Promise.all(files.map(f => readFile(path.join(outbox, f), 'utf8')))
  return texts.filter(text => text.includes(`To: ${to}`)).map(text => text.replace(/=\n/g, ''))
}

/** Waits for a mail to `to` beyond the `seenBefore` already there (the server mails after answering). */
export async function waitForNewMail(dataDir: string, to: string, seenBefore = 0, timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const mails = await mailsTo(dataDir, to)
    if (mails.length > seenBefore)
      return mails[mails.length - 1]
    await new Promise(resolve => setTimeout(resolve, 25))
  }
  throw new Error(`No new mail to ${to} reached the outbox within ${timeoutMs} ms.`)
}

/** The reset code in a password reset mail. */
export function resetCodeIn(mail: string): string {
  const match = /Reset code: ([\w-]{43})/.exec(mail)
  if (!match)
    throw new Error(`The mail has no reset code:\n${mail}`)
  return match[1]
}
