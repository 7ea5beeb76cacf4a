/**
 * Sends a user's request for them: validates the URL, follows redirects by
 * hand (each hop goes through the address policy again), enforces one
 * deadline over all hops, and decodes the final body.
 */
import type { AddressCheck } from './addressPolicy.js'
import type { ProxyResponseMeta } from './wire.js'
import type { OutgoingRequest } from './redirects.js'
import { decodeBody } from './decode.js'
import { ProxyError, timeoutError } from './errors.js'
import { nextRequest, redirectLocation } from './redirects.js'
import { sendHop } from './upstream.js'

export interface ProxyJob {
  method: string
  url: string
  headers: Array<[string, string]>
  body: Buffer | null
  timeoutMs: number
  followRedirects: boolean
  maxRedirects: number
}

export interface ProxyLimits {
  maxResponseBytes: number
  checkAddress: AddressCheck
  /** Aborts the whole job, e.g. when the caller disconnects. */
  signal?: AbortSignal
}

export interface ProxyResult {
  meta: ProxyResponseMeta
  /** The decoded body. */
  body: Buffer
}

/** Methods that carry no body by convention: no "Content-Length: 0" for them. */
const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT'])
/** Headers the proxy computes itself for every hop. */
const COMPUTED_HEADERS = new Set(['content-length', 'transfer-encoding'])
/** Sent when the user did not set them, like Postman does. */
const DEFAULT_HEADERS: Array<[string, string]> = [
  ['User-Agent', 'Pigeon/0.1'],
  ['Accept', '*/*'],
  ['Accept-Encoding', 'gzip, deflate, br'],
]

function has(headers: Array<[string, string]>, name: string): boolean {
  return headers.some(([n]) => n.toLowerCase() === name)
}

function parseTargetUrl(text: string): URL {
  let url: URL
  try {
    url = new URL(text)
  }
  catch {
    throw new ProxyError('invalid_url', `"${text}" is not a valid URL. It should look like https://example.com/path.`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ProxyError('invalid_url', `Pigeon sends http:// and https:// URLs only, not ${url.protocol}. Check the start of the URL.`)
  return url
}

/** The header list for one hop: Host first when the user did not set it, Content-Length last. */
function hopHeaders(request: OutgoingRequest): Array<[string, string]> {
  const headers = request.headers.filter(([name]) => !COMPUTED_HEADERS.has(name.toLowerCase()))
  if (!has(headers, 'host'))
    headers.unshift(['Host', request.url.host])
  if (request.body)
    headers.push(['Content-Length', String(request.body.length)])
  else if (!BODYLESS_METHODS.has(request.method.toUpperCase()))
    headers.push(['Content-Length', '0'])
  return headers
}

/** Runs the job to its final response, or rejects with a ProxyError that has a sentence. */
export async function runProxyJob(job: ProxyJob, limits: ProxyLimits): Promise<ProxyResult> {
  const started = performance.now()
  let request: OutgoingRequest = {
    method: job.method,
    url: parseTargetUrl(job.url),
    headers: [...job.headers, ...DEFAULT_HEADERS.filter(([name]) => !has(job.headers, name.toLowerCase()))],
    body: job.body,
  }
  const firstUrl = request.url
  const deadline = new AbortController()
  const timer = setTimeout(() => deadline.abort(timeoutError(job.timeoutMs, firstUrl)), job.timeoutMs)
  const onCallerGone = (): void => deadline.abort(new ProxyError('aborted', 'The request was cancelled.'))
  limits.signal?.addEventListener('abort', onCallerGone, { once: true })
  try {
    let redirects = 0
    for (;;) {
      const hop = await sendHop(
        { method: request.method, url: request.url, headers: hopHeaders(request), body: request.body },
        { signal: deadline.signal, maxResponseBytes: limits.maxResponseBytes, checkAddress: limits.checkAddress },
      )
      const location = job.followRedirects ? redirectLocation(hop.status, hop.headers) : undefined
      if (location !== undefined) {
        if (redirects >= job.maxRedirects)
          throw new ProxyError('redirects', `Stopped after ${job.maxRedirects} redirects, the most allowed for this request (the last one pointed to ${location}). Check for a redirect loop, or raise the limit in Settings.`)
        redirects += 1
        request = nextRequest(request, hop.status, location)
        continue
      }
      const encoding = hop.headers.find(([name]) => name.toLowerCase() === 'content-encoding')?.[1]
      const body = await decodeBody(hop.body, encoding, limits.maxResponseBytes)
      if (deadline.signal.aborted)
        throw deadline.signal.reason
      return {
        body,
        meta: {
          status: hop.status,
          statusText: hop.statusText,
          headers: hop.headers,
          url: request.url.href,
          redirects,
          size: hop.body.length,
          timings: { ...hop.timings, total: Math.round((performance.now() - started) * 100) / 100 },
        },
      }
    }
  }
  finally {
    clearTimeout(timer)
    limits.signal?.removeEventListener('abort', onCallerGone)
  }
}
