/**
 * The URL bar and the Params / Path Variables tables edit the same thing, so
 * each side is rewritten from the other. The URL is text the user typed: it is
 * never re-encoded or normalised here, `{{variables}}` pass through untouched,
 * and the #fragment is kept. Encoding happens once, when a request is sent.
 */
import type { KeyValueRow } from './model'
import { newId } from './ids'

/** A query parameter exactly as typed in the URL (not decoded). */
export interface QueryParam {
  key: string
  value: string
}

/** A URL cut into the part before `?`, the query and the fragment (null when absent). */
export interface UrlParts {
  base: string
  query: string | null
  fragment: string | null
}

/** Cuts a URL at its first `?` and `#`, ignoring any inside `{{variables}}`. */
export function splitUrl(url: string): UrlParts {
  let queryStart = -1
  let fragmentStart = -1
  for (let i = 0; i < url.length; i++) {
    if (url.startsWith('{{', i)) {
      const close = url.indexOf('}}', i + 2)
      if (close !== -1) {
        i = close + 1
        continue
      }
    }
    const char = url[i]
    if (char === '#') {
      fragmentStart = i
      break
    }
    if (char === '?' && queryStart === -1)
      queryStart = i
  }
  const end = fragmentStart === -1 ? url.length : fragmentStart
  return {
    base: url.slice(0, queryStart === -1 ? end : queryStart),
    query: queryStart === -1 ? null : url.slice(queryStart + 1, end),
    fragment: fragmentStart === -1 ? null : url.slice(fragmentStart + 1),
  }
}

/** The inverse of `splitUrl`. */
export function joinUrl(parts: UrlParts): string {
  return parts.base
    + (parts.query === null ? '' : `?${parts.query}`)
    + (parts.fragment === null ? '' : `#${parts.fragment}`)
}

/** Splits `text` at `separator` characters outside `{{variables}}`. */
function splitOutsideVariables(text: string, separator: string, limit = Infinity): string[] {
  const pieces: string[] = []
  let start = 0
  for (let i = 0; i < text.length && pieces.length < limit - 1; i++) {
    if (text.startsWith('{{', i)) {
      const close = text.indexOf('}}', i + 2)
      if (close !== -1) {
        i = close + 1
        continue
      }
    }
    if (text[i] === separator) {
      pieces.push(text.slice(start, i))
      start = i + 1
    }
  }
  pieces.push(text.slice(start))
  return pieces
}

function querySegments(query: string | null): string[] {
  // `http://x?` has a query with no parameters; `?&` has two empty ones.
  if (query === null || query === '')
    return []
  return splitOutsideVariables(query, '&')
}

function parseSegment(segment: string): QueryParam {
  const [key, value] = splitOutsideVariables(segment, '=', 2)
  return { key, value: value ?? '' }
}

/** The query parameters of a URL, in order, as typed. `?a` and `?a=` both give `{ key: 'a', value: '' }`. */
export function parseQueryParams(url: string): QueryParam[] {
  return querySegments(splitUrl(url).query).map(parseSegment)
}

/**
 * Rows for the Params table after the user typed in the URL. The n-th
 * enabled row takes the n-th parameter of the URL, keeping its id and
 * description; disabled rows (never in the URL) stay where they are.
 * Returns `rows` itself when nothing changed.
 */
export function syncParamsFromUrl(url: string, rows: readonly KeyValueRow[], makeId: () => string = newId): KeyValueRow[] {
  const params = parseQueryParams(url)
  const result: KeyValueRow[] = []
  let next = 0
  let changed = false
  for (const row of rows) {
    if (!row.enabled) {
      result.push(row)
      continue
    }
    const param = params[next++]
    if (!param) {
      changed = true
      continue
    }
    if (param.key === row.key && param.value === row.value) {
      result.push(row)
    }
    else {
      changed = true
      result.push({ ...row, key: param.key, value: param.value })
    }
  }
  for (const param of params.slice(next)) {
    changed = true
    result.push({ id: makeId(), key: param.key, value: param.value, enabled: true, description: '' })
  }
  return changed ? result : rows as KeyValueRow[]
}

/**
 * The URL after the user edited the Params table: its query becomes the
 * enabled rows. A parameter the rows did not change keeps its exact text (so
 * `?a` stays `?a`); a changed one is written as typed, with only `&`, `#`
 * (and `=` in keys) escaped because they would cut it apart.
 */
export function applyParamsToUrl(url: string, rows: readonly Pick<KeyValueRow, 'key' | 'value' | 'enabled'>[]): string {
  const parts = splitUrl(url)
  const existing = querySegments(parts.query)
  const segments: string[] = []
  for (const row of rows.filter(row => row.enabled)) {
    const position = segments.length
    const old = existing[position]
    const oldParam = old === undefined ? undefined : parseSegment(old)
    if (old !== undefined && oldParam && oldParam.key === row.key && oldParam.value === row.value) {
      segments.push(old)
      continue
    }
    // A blank row (like the table's "new row") is not a parameter yet.
    if (row.key === '' && row.value === '')
      continue
    const hadEquals = old !== undefined && old.includes('=')
    const key = escapeQueryText(row.key, 'key')
    const value = escapeQueryText(row.value, 'value')
    segments.push(row.value === '' && !hadEquals ? key : `${key}=${value}`)
  }
  let query: string | null = segments.join('&')
  if (segments.length === 0)
    query = parts.query === '' ? '' : null
  return joinUrl({ ...parts, query })
}

/**
 * The URL with each query key and value rewritten by `transform` (used to
 * resolve variables part by part), keeping `a` apart from `a=`, empty
 * parameters and the fragment as they were.
 */
export function mapQuery(url: string, transform: (text: string, part: 'key' | 'value') => string): string {
  const parts = splitUrl(url)
  if (parts.query === null || parts.query === '')
    return url
  const query = querySegments(parts.query).map((segment) => {
    if (segment === '')
      return segment
    const [key, value] = splitOutsideVariables(segment, '=', 2)
    return value === undefined ? transform(key, 'key') : `${transform(key, 'key')}=${transform(value, 'value')}`
  }).join('&')
  return joinUrl({ ...parts, query })
}

/** Escapes the characters that would cut a query key (`&`, `#`, `=`) or value (`&`, `#`) apart. */
export function escapeQueryText(text: string, part: 'key' | 'value'): string {
  return escapeOutsideVariables(text, part === 'key' ? /[&#=]/g : /[&#]/g)
}

function escapeOutsideVariables(text: string, pattern: RegExp): string {
  return text
    .split(/(\{\{[^{}]*\}\})/)
    .map((piece, index) => index % 2 === 1 ? piece : piece.replace(pattern, char => `%${char.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('')
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i

/** The scheme, host and port of a URL as typed (`https://{{host}}:8080`), without path, query or fragment. */
export function urlAuthority(url: string): string {
  const { base } = splitUrl(url)
  return base.slice(0, pathStart(base))
}

/** Index in `base` where the path begins (after scheme and host), or base.length. */
function pathStart(base: string): number {
  const scheme = SCHEME.exec(base)
  let i = scheme ? scheme[0].length : 0
  for (; i < base.length; i++) {
    if (base.startsWith('{{', i)) {
      const close = base.indexOf('}}', i + 2)
      if (close !== -1) {
        i = close + 1
        continue
      }
    }
    if (base[i] === '/')
      return i
  }
  return base.length
}

const PATH_VARIABLE = /^:([^/{}:]+)$/

/** Names of the `:name` path segments of a URL, in order, without repeats. Ports and `{{vars}}` are not path variables. */
export function pathVariableNames(url: string): string[] {
  const { base } = splitUrl(url)
  const path = base.slice(pathStart(base))
  const names: string[] = []
  for (const segment of path.split('/')) {
    const match = PATH_VARIABLE.exec(segment)
    if (match && !names.includes(match[1]))
      names.push(match[1])
  }
  return names
}

/**
 * Rows for the Path Variables table: one per `:name` in the URL, keeping the
 * value, id and description of rows whose name is still there. Returns
 * `rows` itself when nothing changed.
 */
export function syncPathVariables(url: string, rows: readonly KeyValueRow[], makeId: () => string = newId): KeyValueRow[] {
  const names = pathVariableNames(url)
  const result = names.map(name => rows.find(row => row.key === name) ?? { id: makeId(), key: name, value: '', enabled: true, description: '' })
  const same = result.length === rows.length && result.every((row, index) => row === rows[index])
  return same ? rows as KeyValueRow[] : result
}

/** The URL with each `:name` path segment replaced by its row's value; names without a value stay as typed. */
export function fillPathVariables(url: string, rows: readonly Pick<KeyValueRow, 'key' | 'value'>[]): string {
  const parts = splitUrl(url)
  const start = pathStart(parts.base)
  const path = parts.base
    .slice(start)
    .split('/')
    .map((segment) => {
      const match = PATH_VARIABLE.exec(segment)
      const row = match ? rows.find(candidate => candidate.key === match[1]) : undefined
      return row && row.value !== '' ? row.value : segment
    })
    .join('/')
  return joinUrl({ ...parts, base: parts.base.slice(0, start) + path })
}

/** Adds `http://` to a URL typed without a scheme (`localhost:3000/x`, `//host/x`). */
export function ensureProtocol(url: string): string {
  const trimmed = url.trim()
  if (trimmed === '' || SCHEME.test(trimmed))
    return trimmed
  if (trimmed.startsWith('//'))
    return `http:${trimmed}`
  return `http://${trimmed}`
}

/** Appends one `key=value` query parameter (both percent-encoded), keeping the rest of the URL as it is. */
export function appendQueryParam(url: string, key: string, value: string): string {
  const parts = splitUrl(url)
  const param = `${encodeURIComponent(key)}=${encodeURIComponent(value)}`
  const query = parts.query ? `${parts.query}&${param}` : param
  return joinUrl({ ...parts, query })
}
