/**
 * Header names and values offered by autocomplete in the Headers table, and
 * the methods offered by the method picker.
 */
export { STANDARD_METHODS } from './model'

/** Request headers people commonly set by hand, for autocomplete. */
export const COMMON_REQUEST_HEADERS: readonly string[] = [
  'Accept',
  'Accept-Charset',
  'Accept-Encoding',
  'Accept-Language',
  'Authorization',
  'Cache-Control',
  'Connection',
  'Content-Encoding',
  'Content-Length',
  'Content-Type',
  'Cookie',
  'Date',
  'Expect',
  'Forwarded',
  'From',
  'Host',
  'If-Match',
  'If-Modified-Since',
  'If-None-Match',
  'If-Range',
  'If-Unmodified-Since',
  'Origin',
  'Pragma',
  'Prefer',
  'Range',
  'Referer',
  'TE',
  'User-Agent',
  'X-Api-Key',
  'X-Correlation-ID',
  'X-Forwarded-For',
  'X-Forwarded-Host',
  'X-Forwarded-Proto',
  'X-Request-ID',
  'X-Requested-With',
]

const MEDIA_TYPES = [
  'application/json',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
  'text/html',
  'text/xml',
  'text/csv',
  'application/octet-stream',
  'application/graphql',
  'application/javascript',
]

/** Typical values of some headers, keyed by lower-case header name. */
export const COMMON_HEADER_VALUES: Readonly<Record<string, readonly string[]>> = {
  'accept': ['*/*', ...MEDIA_TYPES],
  'accept-encoding': ['gzip, deflate, br', 'gzip', 'deflate', 'br', 'identity'],
  'accept-language': ['en-US,en;q=0.9', 'en', 'fr', 'de', 'es'],
  'authorization': ['Bearer ', 'Basic '],
  'cache-control': ['no-cache', 'no-store', 'max-age=0', 'must-revalidate', 'public', 'private'],
  'connection': ['keep-alive', 'close'],
  'content-encoding': ['gzip', 'deflate', 'br'],
  'content-type': [...MEDIA_TYPES, 'application/json; charset=utf-8', 'text/plain; charset=utf-8'],
  'expect': ['100-continue'],
  'pragma': ['no-cache'],
  'prefer': ['return=representation', 'return=minimal', 'respond-async'],
  'x-requested-with': ['XMLHttpRequest'],
}

/** Header names starting with (or else containing) what the user typed, case-insensitive. */
export function suggestHeaderNames(typed: string): string[] {
  const needle = typed.trim().toLowerCase()
  const starts = COMMON_REQUEST_HEADERS.filter(name => name.toLowerCase().startsWith(needle))
  const contains = COMMON_REQUEST_HEADERS.filter(name => !name.toLowerCase().startsWith(needle) && name.toLowerCase().includes(needle))
  return [...starts, ...contains]
}

/** Typical values for a header, filtered by what the user typed. */
export function suggestHeaderValues(headerName: string, typed = ''): string[] {
  const values = COMMON_HEADER_VALUES[headerName.trim().toLowerCase()] ?? []
  const needle = typed.trim().toLowerCase()
  return values.filter(value => value.toLowerCase().includes(needle))
}

// RFC 7230 `token`: the characters a method (or header name) may use.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** True when `token` can be an HTTP method (standard or custom, like PURGE or LINK). */
export function isValidMethod(token: string): boolean {
  return TOKEN.test(token)
}

/** True when `name` can be an HTTP header name. */
export function isValidHeaderName(name: string): boolean {
  return TOKEN.test(name)
}
