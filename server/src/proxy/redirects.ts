/**
 * How a redirect changes the next request, the way browsers and Postman do
 * it: 303 becomes GET; 301 and 302 turn a POST into a GET; 307 and 308 keep
 * the method and the body. Credentials do not follow to another origin.
 */
import { ProxyError } from './errors.js'

export interface OutgoingRequest {
  method: string
  url: URL
  /** User headers in order, without Host or Content-Length (added per hop). */
  headers: Array<[string, string]>
  body: Buffer | null
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])
const BODY_HEADERS = new Set(['content-type', 'content-encoding', 'content-language', 'content-location'])
/** Credentials, and a Host the user set for the first target, stay behind on another origin. */
const ORIGIN_BOUND_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'host'])

/** The Location of a redirect answer, or undefined when the answer is not a redirect. */
export function redirectLocation(status: number, headers: Array<[string, string]>): string | undefined {
  if (!REDIRECT_STATUSES.has(status))
    return undefined
  return headers.find(([name]) => name.toLowerCase() === 'location')?.[1]
}

/** The request to send after a redirect to `location`. */
export function nextRequest(previous: OutgoingRequest, status: number, location: string): OutgoingRequest {
  let url: URL
  try {
    url = new URL(location, previous.url)
  }
  catch {
    throw new ProxyError('invalid_url', `${previous.url.hostname} redirected to "${location}", which is not a valid URL. Turn off "Follow redirects" to see the redirect itself.`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ProxyError('invalid_url', `${previous.url.hostname} redirected to ${url.protocol} URL, which Pigeon cannot follow. Turn off "Follow redirects" to see the redirect itself.`)

  const becomesGet = (status === 303 && previous.method !== 'HEAD')
    || ((status === 301 || status === 302) && previous.method === 'POST')
  const sameOrigin = url.origin === previous.url.origin
  const headers = previous.headers.filter(([name]) => {
    const lower = name.toLowerCase()
    if (becomesGet && BODY_HEADERS.has(lower))
      return false
    return sameOrigin || !ORIGIN_BOUND_HEADERS.has(lower)
  })
  return {
    method: becomesGet ? 'GET' : previous.method,
    url,
    headers,
    body: becomesGet ? null : previous.body,
  }
}
