/**
 * The Browser agent: sends with the page's own fetch. Works offline for local
 * targets, but the browser enforces CORS, hides Set-Cookie and follows up to
 * its own redirect limit; the Server agent has none of those limits.
 */
import type { AgentResponse, PreparedRequest } from '../domain/prepared'
import { SendError } from '../domain/prepared'
import { sendErrors } from './errors'
import { readLimited } from './readLimited'
import type { ReadFile } from './requestBody'
import { fetchBodyOf } from './requestBody'
import { resourceFacts } from './resourceTimings'
import { sendSignal } from './signals'

/** The same cap as the Server agent's default (50 MiB, like Postman). */
export const BROWSER_MAX_RESPONSE_BYTES = 50 * 1024 * 1024

export interface AgentOptions {
  signal?: AbortSignal
  readFile: ReadFile
  /** Where the Pigeon server is; '' means the page's own origin. */
  baseUrl?: string
}

/** Parses the URL of a prepared request, or throws an invalid_url SendError with a sentence. */
export function targetUrl(text: string): URL {
  let url: URL
  try {
    url = new URL(text)
  }
  catch {
    throw sendErrors.invalidUrl(text)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw sendErrors.unsupportedScheme(text)
  return url
}

function isOffline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false
}

/** Node's fetch (tests, scripts) names the socket error in `cause`; browsers never do. */
function socketErrorCode(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } }).cause
  return typeof cause?.code === 'string' ? cause.code : ''
}

function networkError(err: TypeError, url: URL): SendError {
  if (isOffline())
    return sendErrors.offline()
  const code = socketErrorCode(err)
  if (code === 'ECONNREFUSED')
    return sendErrors.refused(url.href)
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return sendErrors.dns(url.href)
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || code === 'EPROTO')
    return sendErrors.tls(url.href)
  return sendErrors.cors(url.href)
}

function buildRequest(prepared: PreparedRequest, url: URL, body: string | FormData | Blob | undefined, signal: AbortSignal): Request {
  const headers = new Headers()
  for (const [name, value] of prepared.headers) {
    // FormData writes its own Content-Type with the boundary.
    if (body instanceof FormData && name.toLowerCase() === 'content-type')
      continue
    try {
      headers.append(name, value)
    }
    catch {
      throw sendErrors.badHeader(name)
    }
  }
  try {
    return new Request(url.href, {
      method: prepared.method,
      headers,
      body,
      redirect: prepared.followRedirects ? 'follow' : 'manual',
      signal,
      cache: 'no-store',
    })
  }
  catch (err) {
    // e.g. a body on GET, or a method browsers refuse (CONNECT, TRACE).
    throw new SendError('unknown', `The browser cannot send this request: ${(err as Error).message} Remove the body or switch to the Server agent in Settings.`)
  }
}

function wireSize(response: Response, body: Uint8Array, encodedBodySize: number | undefined): number {
  if (encodedBodySize !== undefined)
    return encodedBodySize
  const declared = Number(response.headers.get('content-length'))
  return response.headers.has('content-encoding') && Number.isFinite(declared) ? declared : body.length
}

/** Sends `prepared` with fetch from this page. */
export async function sendWithBrowser(prepared: PreparedRequest, options: AgentOptions): Promise<AgentResponse> {
  const url = targetUrl(prepared.url)
  const { body } = await fetchBodyOf(prepared.body, options.readFile)
  const deadline = sendSignal(prepared.timeoutMs, options.signal)
  const started = performance.now()
  try {
    const request = buildRequest(prepared, url, body, deadline.signal)
    const response = await fetch(request)
    const bytes = await readLimited(response, BROWSER_MAX_RESPONSE_BYTES)
    const timeMs = Math.round((performance.now() - started) * 100) / 100
    const facts = resourceFacts(response.url || url.href, started)
    if (response.type === 'opaqueredirect') {
      return {
        status: 0,
        statusText: 'Redirect not followed (the browser hides it; the Server agent shows it)',
        headers: [],
        body: new Uint8Array(0),
        size: 0,
        timeMs,
        url: url.href,
        redirects: 0,
        agent: 'browser',
      }
    }
    return {
      status: response.status,
      statusText: response.statusText,
      headers: [...response.headers],
      body: bytes,
      size: wireSize(response, bytes, facts.encodedBodySize),
      timeMs,
      timings: facts.timings,
      url: response.url || url.href,
      // The browser says whether it was redirected, not how often.
      redirects: response.redirected ? 1 : 0,
      agent: 'browser',
    }
  }
  catch (err) {
    if (err instanceof SendError)
      throw err
    if (deadline.cancelled())
      throw sendErrors.aborted()
    if (deadline.timedOut())
      throw sendErrors.timeout(url.href, prepared.timeoutMs)
    if (err instanceof TypeError)
      throw networkError(err, url)
    throw sendErrors.unknown((err as Error).message ?? String(err))
  }
  finally {
    deadline.dispose()
  }
}
