/**
 * One Postman request (v2.0 or v2.1 shape) → the fields of a Pigeon request:
 * URL with its params and path variables, headers, body, auth, settings.
 */
import { Auth, type FormDataRow, type KeyValueRow, RAW_LANGUAGES, type RawLanguage, RequestBody, RequestSettings, type RequestSnapshot } from '../model'
import { applyParamsToUrl, parseQueryParams, syncPathVariables } from '../url'
import { authParams, description, isObject, type JsonObject, list, objects, text } from './read'

/** What conversion needs from the import: ids, and a place to note what could not be kept. */
export interface ConversionContext {
  newId: () => string
  warn: (message: string) => void
}

/** The snapshot fields of a Postman request, plus its description. */
export interface ConvertedRequest extends RequestSnapshot {
  description: string
}

function row(context: ConversionContext, entry: JsonObject): KeyValueRow {
  return {
    id: context.newId(),
    key: text(entry.key),
    value: text(entry.value),
    enabled: entry.disabled !== true && entry.enabled !== false,
    description: description(entry.description),
  }
}

/** Headers are a list of `{ key, value }` or, in old files, "Key: value" lines (`//` marks a disabled one). */
function headerRows(context: ConversionContext, value: unknown): KeyValueRow[] {
  if (typeof value === 'string') {
    return value.split(/\r?\n/).filter(line => line.includes(':')).map((line) => {
      const disabled = line.trimStart().startsWith('//')
      const clean = disabled ? line.trimStart().slice(2) : line
      const colon = clean.indexOf(':')
      return row(context, { key: clean.slice(0, colon).trim(), value: clean.slice(colon + 1).trim(), disabled })
    })
  }
  return objects(value).map(entry => row(context, entry))
}

/** A URL object without `raw`, put back together from its parts. */
function rawFromParts(url: JsonObject): string {
  const protocol = text(url.protocol)
  const host = Array.isArray(url.host) ? url.host.map(part => text(part)).join('.') : text(url.host)
  const port = text(url.port)
  const pathParts = Array.isArray(url.path) ? url.path.map(part => isObject(part) ? text(part.value) : text(part)) : null
  const path = pathParts ? `/${pathParts.join('/')}` : text(url.path)
  const query = objects(url.query)
    .filter(entry => entry.disabled !== true)
    .map(entry => entry.value === null || entry.value === undefined ? text(entry.key) : `${text(entry.key)}=${text(entry.value)}`)
  const hash = text(url.hash)
  return (protocol ? `${protocol}://` : '') + host + (port ? `:${port}` : '') + (path && !path.startsWith('/') ? `/${path}` : path)
    + (query.length > 0 ? `?${query.join('&')}` : '') + (hash ? `#${hash}` : '')
}

function urlFields(context: ConversionContext, value: unknown): Pick<RequestSnapshot, 'url' | 'params' | 'pathVariables'> {
  if (!isObject(value))
    return withRows(context, text(value), [], [])
  const raw = typeof value.raw === 'string' ? value.raw : rawFromParts(value)
  const params = objects(value.query).map(entry => row(context, entry))
  const variables = objects(value.variable).map(entry => row(context, entry))
  return withRows(context, raw, params, variables)
}

/**
 * Params come from the URL object's `query` list when it has one (it keeps
 * disabled ones); the URL's query is then rewritten from them so both agree.
 */
function withRows(context: ConversionContext, raw: string, params: KeyValueRow[], variables: KeyValueRow[]): Pick<RequestSnapshot, 'url' | 'params' | 'pathVariables'> {
  const url = params.length > 0 ? applyParamsToUrl(raw, params) : raw
  const rows = params.length > 0 ? params : queryRowsOf(context, raw)
  return { url, params: rows, pathVariables: syncPathVariables(url, variables, context.newId) }
}

function queryRowsOf(context: ConversionContext, url: string): KeyValueRow[] {
  return parseQueryParams(url).map(param => row(context, { key: param.key, value: param.value }))
}

/**
 * The raw body's language: Postman's own when the file says it, else guessed
 * from the Content-Type header of a raw body, else the app default (JSON).
 */
function rawLanguage(body: JsonObject, headers: readonly KeyValueRow[]): RawLanguage {
  const options = isObject(body.options) && isObject(body.options.raw) ? body.options.raw : {}
  const language = text(options.language)
  if ((RAW_LANGUAGES as readonly string[]).includes(language))
    return language as RawLanguage
  if (body.mode !== 'raw')
    return 'json'
  const contentType = headers.find(header => header.enabled && header.key.toLowerCase() === 'content-type')?.value.toLowerCase() ?? ''
  for (const candidate of ['json', 'xml', 'html', 'javascript'] as const) {
    if (contentType.includes(candidate))
      return candidate
  }
  return 'text'
}

function formRows(context: ConversionContext, value: unknown, where: string): FormDataRow[] {
  return objects(value).map((entry) => {
    const isFile = entry.type === 'file'
    if (isFile && (text(entry.src) || list(entry.src).length > 0))
      context.warn(`${where}: the file of form field "${text(entry.key)}" stays on the computer it came from; choose it again before sending.`)
    return {
      ...row(context, entry),
      value: isFile ? '' : text(entry.value),
      kind: isFile ? 'file' : 'text',
      file: null,
      contentType: text(entry.contentType),
    }
  })
}

function bodyOf(context: ConversionContext, value: unknown, headers: readonly KeyValueRow[], where: string): RequestBody {
  if (!isObject(value))
    return RequestBody.parse({})
  const graphql = isObject(value.graphql) ? value.graphql : {}
  const graphqlVariables = isObject(graphql.variables) ? JSON.stringify(graphql.variables, null, 2) : text(graphql.variables)
  let mode = text(value.mode)
  if (mode === 'file') {
    mode = 'binary'
    if (isObject(value.file) && (text(value.file.src) || text(value.file.content)))
      context.warn(`${where}: the body file stays on the computer it came from; choose it again before sending.`)
  }
  if (!['none', 'raw', 'urlencoded', 'formdata', 'binary', 'graphql'].includes(mode))
    mode = typeof value.raw === 'string' && value.raw !== '' ? 'raw' : 'none'
  return RequestBody.parse({
    mode: value.disabled === true ? 'none' : mode,
    raw: text(value.raw),
    rawLanguage: rawLanguage(value, headers),
    urlencoded: objects(value.urlencoded).map(entry => row(context, entry)),
    formdata: formRows(context, value.formdata, where),
    binary: null,
    graphql: { query: text(graphql.query), variables: graphqlVariables },
  })
}

const AUTH_NAMES: Record<string, string> = {
  oauth1: 'OAuth 1.0',
  oauth2: 'OAuth 2.0',
  digest: 'Digest',
  hawk: 'Hawk',
  awsv4: 'AWS Signature',
  ntlm: 'NTLM',
  akamai: 'Akamai EdgeGrid',
  edgegrid: 'Akamai EdgeGrid',
  jwt: 'JWT Bearer',
  asap: 'ASAP',
}

/**
 * A Postman auth as a Pigeon one. No auth block means "inherit" for folders
 * and requests; types Pigeon does not have yet become "none", with a warning
 * (an OAuth 2.0 access token is kept as a bearer token).
 */
export function authFromPostman(context: ConversionContext, value: unknown, whenAbsent: 'inherit' | 'none', where: string): Auth {
  if (!isObject(value) || typeof value.type !== 'string')
    return Auth.parse({ type: whenAbsent })
  const type = value.type
  const params = authParams(value[type])
  switch (type) {
    case 'noauth':
      return Auth.parse({ type: 'none' })
    case 'inherit':
      return Auth.parse({ type: 'inherit' })
    case 'basic':
      return Auth.parse({ type, basic: { username: params.username ?? '', password: params.password ?? '' } })
    case 'bearer':
      return Auth.parse({ type, bearer: { token: params.token ?? '' } })
    case 'apikey':
      return Auth.parse({ type, apikey: { key: params.key ?? '', value: params.value ?? '', in: params.in === 'query' ? 'query' : 'header' } })
    case 'oauth2':
      if (params.accessToken) {
        context.warn(`${where}: OAuth 2.0 is not available yet; its access token was kept as a bearer token.`)
        return Auth.parse({ type: 'bearer', bearer: { token: params.accessToken } })
      }
  }
  context.warn(`${where}: ${AUTH_NAMES[type] ?? type} auth is not available yet; it was imported as "No auth".`)
  return Auth.parse({ type: 'none' })
}

function settingsOf(behavior: unknown): RequestSettings {
  const settings = RequestSettings.parse({})
  if (isObject(behavior)) {
    if (typeof behavior.followRedirects === 'boolean')
      settings.followRedirects = behavior.followRedirects
    if (typeof behavior.maxRedirects === 'number' && Number.isInteger(behavior.maxRedirects) && behavior.maxRedirects >= 0)
      settings.maxRedirects = behavior.maxRedirects
  }
  return settings
}

/** A Postman request (object or bare URL string) as Pigeon request fields. */
export function requestFromPostman(context: ConversionContext, value: unknown, name: string, behavior: unknown, where: string): ConvertedRequest {
  const request: JsonObject = isObject(value) ? value : { url: text(value) }
  const method = text(request.method, 'GET').trim().toUpperCase() || 'GET'
  const headers = headerRows(context, request.header ?? request.headers)
  return {
    name,
    method: method.slice(0, 64),
    ...urlFields(context, request.url),
    headers,
    body: bodyOf(context, request.body, headers, where),
    auth: authFromPostman(context, request.auth, 'inherit', where),
    settings: settingsOf(behavior),
    description: description(request.description),
  }
}
