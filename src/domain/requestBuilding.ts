/**
 * Turns what the user edited (a request snapshot) into what an agent sends:
 * variables resolved everywhere, disabled rows left out, auth applied, the
 * body chosen by its mode with a sensible Content-Type.
 */
import type { Auth, KeyValueRow, RawLanguage, RequestBody, RequestSnapshot } from './model'
import type { PreparedBody, PreparedFormPart, PreparedRequest } from './prepared'
import type { VariableScope } from './scopes'
import { authHeadersAndQuery, effectiveAuth } from './auth'
import { isValidMethod } from './headers'
import { SendError } from './prepared'
import { appendQueryParam, ensureProtocol, escapeQueryText, fillPathVariables, mapQuery, splitUrl, urlAuthority } from './url'
import { type DynamicContext, findVariables, resolveString } from './variables'

export interface BuildOptions {
  /** Variable scopes in any order; precedence comes from their names. */
  scopes: readonly VariableScope[]
  /** Auth of the folders and collection above the request: nearest folder first, collection last. */
  ancestorsAuth: readonly Auth[]
  defaults: { timeoutMs: number }
  /** Time and randomness for `{{$guid}}` and friends (tests pin them). */
  dynamic?: DynamicContext
}

/** Content-Type sent with a raw body when the user did not set one. */
export const RAW_CONTENT_TYPES: Record<RawLanguage, string> = {
  json: 'application/json',
  text: 'text/plain',
  xml: 'application/xml',
  html: 'text/html',
  javascript: 'application/javascript',
}

/** A request whose body cannot be built, e.g. GraphQL variables that are not JSON. */
export class InvalidBodyError extends SendError {
  constructor(message: string) {
    super('invalid_body', message)
    this.name = 'InvalidBodyError'
  }
}

/** Builds the request an agent sends; throws `SendError` with a sentence for the user when it cannot. */
export function buildPreparedRequest(snapshot: RequestSnapshot, options: BuildOptions): PreparedRequest {
  const resolveOptions = options.dynamic ? { dynamic: options.dynamic } : {}
  const resolve = (text: string): string => resolveString(text, options.scopes, resolveOptions)

  const method = snapshot.method.trim().toUpperCase() || 'GET'
  if (!isValidMethod(method))
    throw new SendError('unknown', `"${method}" is not a valid HTTP method. Use letters, digits or symbols like - and _, without spaces.`)

  const auth = authHeadersAndQuery(effectiveAuth(snapshot.auth, options.ancestorsAuth), resolve)
  let url = buildUrl(snapshot, resolve)
  for (const [key, value] of auth.query)
    url = appendQueryParam(url, key, value)
  url = validateUrl(url)

  const headers = enabledPairs(snapshot.headers, resolve)
  const body = buildBody(snapshot.body, resolve)
  addAbsentHeaders(headers, auth.headers)
  addAbsentHeaders(headers, body.headers)
  if (body.prepared.kind === 'formdata') {
    // A hand-written multipart Content-Type has no boundary; the agent's encoder writes the right one.
    removeHeader(headers, 'content-type', value => value.toLowerCase().startsWith('multipart/form-data'))
  }

  return {
    method,
    url,
    headers,
    body: body.prepared,
    timeoutMs: snapshot.settings.timeoutMs === 0 ? options.defaults.timeoutMs : snapshot.settings.timeoutMs,
    followRedirects: snapshot.settings.followRedirects,
    maxRedirects: snapshot.settings.maxRedirects,
  }
}

/**
 * The URL with path variables filled and variables resolved. Like Postman,
 * the query is resolved key by key and value by value, so a value holding
 * `&` or `#` stays one value instead of cutting the query apart.
 */
function buildUrl(snapshot: RequestSnapshot, resolve: (text: string) => string): string {
  const pathValues = snapshot.pathVariables.map(row => ({ key: row.key, value: resolve(row.value) }))
  const filled = fillPathVariables(snapshot.url.trim(), pathValues)
  const { base, query } = splitUrl(filled)
  const resolvedBase = resolve(base)
  const resolvedQuery = mapQuery(`?${query ?? ''}`, (text, part) => escapeQueryText(resolve(text), part))
  const resolved = resolvedBase + (query === null ? '' : resolvedQuery)
  if (resolved.trim() === '')
    throw new SendError('invalid_url', 'Enter a URL to send this request to.')
  const url = ensureProtocol(resolved)
  // Browsers accept `{{x}}` as a host name, so an unresolved host is caught here;
  // an unresolved variable in the path or query is sent as typed, like Postman.
  const culprits = findVariables(URL.canParse(url) ? urlAuthority(url) : url)
  const unresolved = [...new Set(culprits.map(match => match.name))]
  if (unresolved.length > 0) {
    const names = unresolved.map(name => `{{${name}}}`).join(', ')
    const verb = unresolved.length === 1 ? 'is' : 'are'
    throw new SendError('invalid_url', `The URL uses ${names}, which ${verb} not defined in the selected environment, the collection or the globals. Define it there, or select the environment that has it.`)
  }
  return url
}

function validateUrl(url: string): string {
  if (!URL.canParse(url))
    throw new SendError('invalid_url', `"${url}" is not a valid URL. Check it for typos, like a space in the host name.`)
  const parsed = new URL(url)
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new SendError('invalid_url', `Pigeon can only send http:// and https:// requests, not ${parsed.protocol}//.`)
  // The fragment belongs to the page, not the request.
  parsed.hash = ''
  return parsed.href
}

function enabledPairs(rows: readonly KeyValueRow[], resolve: (text: string) => string): Array<[string, string]> {
  const pairs: Array<[string, string]> = []
  for (const row of rows) {
    if (!row.enabled)
      continue
    const key = resolve(row.key).trim()
    if (key !== '')
      pairs.push([key, resolve(row.value)])
  }
  return pairs
}

function hasHeader(headers: ReadonlyArray<[string, string]>, name: string): boolean {
  const lower = name.toLowerCase()
  return headers.some(([key]) => key.toLowerCase() === lower)
}

/** Headers the user wrote win over the ones auth and body would add. */
function addAbsentHeaders(headers: Array<[string, string]>, additions: ReadonlyArray<[string, string]>): void {
  for (const [name, value] of additions) {
    if (!hasHeader(headers, name))
      headers.push([name, value])
  }
}

function removeHeader(headers: Array<[string, string]>, lowerName: string, when: (value: string) => boolean): void {
  for (let i = headers.length - 1; i >= 0; i--) {
    if (headers[i][0].toLowerCase() === lowerName && when(headers[i][1]))
      headers.splice(i, 1)
  }
}

interface BuiltBody {
  prepared: PreparedBody
  /** Headers the body implies (Content-Type), added unless the user set them. */
  headers: Array<[string, string]>
}

function buildBody(body: RequestBody, resolve: (text: string) => string): BuiltBody {
  switch (body.mode) {
    case 'none':
      return { prepared: { kind: 'none' }, headers: [] }
    case 'raw':
      return {
        prepared: { kind: 'text', text: resolve(body.raw) },
        headers: [['Content-Type', RAW_CONTENT_TYPES[body.rawLanguage]]],
      }
    case 'urlencoded': {
      const text = enabledPairs(body.urlencoded, resolve)
        .map(([key, value]) => `${formEncode(key)}=${formEncode(value)}`)
        .join('&')
      return { prepared: { kind: 'text', text }, headers: [['Content-Type', 'application/x-www-form-urlencoded']] }
    }
    case 'formdata':
      return { prepared: { kind: 'formdata', parts: formParts(body, resolve) }, headers: [] }
    case 'binary':
      if (!body.binary)
        return { prepared: { kind: 'none' }, headers: [] }
      return {
        prepared: { kind: 'binary', blobId: body.binary.blobId, name: body.binary.name },
        headers: [['Content-Type', body.binary.type || 'application/octet-stream']],
      }
    case 'graphql':
      return {
        prepared: { kind: 'text', text: graphqlText(body.graphql.query, body.graphql.variables, resolve) },
        headers: [['Content-Type', 'application/json']],
      }
  }
}

/** application/x-www-form-urlencoded encoding: percent-encoding with spaces as `+`. */
function formEncode(text: string): string {
  return encodeURIComponent(text).replace(/%20/g, '+')
}

function formParts(body: RequestBody, resolve: (text: string) => string): PreparedFormPart[] {
  const parts: PreparedFormPart[] = []
  for (const row of body.formdata) {
    const name = resolve(row.key).trim()
    if (!row.enabled || name === '')
      continue
    const contentType = row.contentType.trim() === '' ? undefined : resolve(row.contentType).trim()
    if (row.kind === 'file') {
      // A file row with no file chosen yet sends nothing, like Postman.
      if (row.file)
        parts.push({ kind: 'file', name, blobId: row.file.blobId, fileName: row.file.name, contentType: contentType ?? (row.file.type || undefined) })
      continue
    }
    parts.push(contentType === undefined ? { kind: 'text', name, value: resolve(row.value) } : { kind: 'text', name, value: resolve(row.value), contentType })
  }
  return parts
}

function graphqlText(query: string, variablesText: string, resolve: (text: string) => string): string {
  const resolvedVariables = resolve(variablesText).trim()
  let variables: unknown = {}
  if (resolvedVariables !== '') {
    try {
      variables = JSON.parse(resolvedVariables)
    }
    catch (error) {
      const detail = error instanceof Error ? error.message : String(error)
      throw new InvalidBodyError(`The GraphQL variables are not valid JSON (${detail}). Fix them in the Body tab, or leave them empty.`)
    }
  }
  return JSON.stringify({ query: resolve(query), variables })
}
