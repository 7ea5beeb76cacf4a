/**
 * A Pigeon collection as a Postman Collection v2.1 file, in the sidebar's
 * order. File bytes never leave the device, so file fields carry only names.
 */
import type { Auth, Collection, Example, Folder, KeyValueRow, Request, RequestBody, RequestSnapshot, Variable } from '../model'
import { buildTree, type TreeNode } from '../tree'
import { splitUrl, urlAuthority } from '../url'

export const POSTMAN_SCHEMA_V21 = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json'

type Json = Record<string, unknown>

export interface PostmanCollectionJson {
  info: { _postman_id: string, name: string, description?: string, schema: string }
  item: Json[]
  auth?: Json
  event?: Json[]
  variable?: Json[]
}

export interface CollectionContent {
  collection: Collection
  folders: readonly Folder[]
  requests: readonly Request[]
  examples: readonly Example[]
}

/** The collection with its folders, requests and examples as a Postman v2.1 collection object (JSON.stringify it to save). */
export function exportPostmanCollection(content: CollectionContent): PostmanCollectionJson {
  const { collection } = content
  const folders = content.folders.filter(folder => folder.collectionId === collection.id)
  const requests = content.requests.filter(request => request.collectionId === collection.id)
  const folderById = new Map(folders.map(folder => [folder.id, folder]))
  const requestById = new Map(requests.map(request => [request.id, request]))
  const examplesByRequest = new Map<string, Example[]>()
  for (const example of content.examples)
    examplesByRequest.set(example.requestId, [...examplesByRequest.get(example.requestId) ?? [], example])

  const itemOf = (node: TreeNode): Json => {
    const folder = folderById.get(node.id)
    if (folder) {
      return withoutEmpty({
        name: folder.name,
        description: folder.description,
        item: node.children.map(itemOf),
        auth: authJson(folder.auth),
        event: events(folder.preRequestScript, folder.testScript),
      }, ['item'])
    }
    const request = requestById.get(node.id) as Request
    return withoutEmpty({
      name: request.name,
      event: events(request.preRequestScript, request.testScript),
      protocolProfileBehavior: behavior(request),
      request: requestJson(request, request.description),
      response: (examplesByRequest.get(request.id) ?? []).map(exampleJson),
    }, ['response'])
  }

  const [root] = buildTree({ collections: [collection], folders, requests })
  return withoutEmpty({
    info: withoutEmpty({ _postman_id: collection.id, name: collection.name, description: collection.description, schema: POSTMAN_SCHEMA_V21 }),
    item: root.children.map(itemOf),
    auth: authJson(collection.auth),
    event: events(collection.preRequestScript, collection.testScript),
    variable: collection.variables.map(variableJson),
  }, ['item']) as unknown as PostmanCollectionJson
}

/** Drops empty strings, empty lists and undefined, so the file stays as lean as Postman's own. */
function withoutEmpty(object: Json, keep: string[] = []): Json {
  const result: Json = {}
  for (const [key, value] of Object.entries(object)) {
    const empty = value === undefined || value === '' || (Array.isArray(value) && value.length === 0)
    if (!empty || keep.includes(key))
      result[key] = value
  }
  return result
}

function events(preRequestScript: string, testScript: string): Json[] {
  const list: Json[] = []
  if (preRequestScript !== '')
    list.push({ listen: 'prerequest', script: { type: 'text/javascript', exec: preRequestScript.split('\n') } })
  if (testScript !== '')
    list.push({ listen: 'test', script: { type: 'text/javascript', exec: testScript.split('\n') } })
  return list
}

function variableJson(variable: Variable): Json {
  return withoutEmpty({ key: variable.key, value: variable.value, type: variable.type === 'secret' ? 'secret' : 'string', disabled: variable.enabled ? undefined : true })
}

function authJson(auth: Auth): Json | undefined {
  const param = (key: string, value: string): Json => ({ key, value, type: 'string' })
  switch (auth.type) {
    case 'inherit':
      return undefined
    case 'none':
      return { type: 'noauth' }
    case 'basic':
      return { type: 'basic', basic: [param('username', auth.basic.username), param('password', auth.basic.password)] }
    case 'bearer':
      return { type: 'bearer', bearer: [param('token', auth.bearer.token)] }
    case 'apikey':
      return { type: 'apikey', apikey: [param('key', auth.apikey.key), param('value', auth.apikey.value), param('in', auth.apikey.in)] }
  }
}

function rowJson(row: KeyValueRow): Json {
  return withoutEmpty({ key: row.key, value: row.value, description: row.description, disabled: row.enabled ? undefined : true }, ['value'])
}

function behavior(request: Request): Json | undefined {
  const json: Json = {}
  if (!request.settings.followRedirects)
    json.followRedirects = false
  if (request.settings.maxRedirects !== 10)
    json.maxRedirects = request.settings.maxRedirects
  return Object.keys(json).length > 0 ? json : undefined
}

/** Postman's URL object: `raw` plus the parts its importers read. */
function urlJson(request: RequestSnapshot): Json {
  const raw = request.url
  const { fragment } = splitUrl(raw)
  const authorityWithScheme = urlAuthority(raw)
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(authorityWithScheme)
  const authority = authorityWithScheme.slice(scheme ? scheme[0].length : 0)
  const port = /:(\d+|\{\{[^{}]+\}\})$/.exec(authority)
  const host = port ? authority.slice(0, -port[0].length) : authority
  const path = splitUrl(raw).base.slice(authorityWithScheme.length)
  return withoutEmpty({
    raw,
    protocol: scheme?.[1],
    // A {{variable}} host may hold dots of its own, so it is not split.
    host: host === '' ? undefined : host.includes('{{') ? [host] : host.split('.'),
    port: port?.[1],
    path: path.startsWith('/') ? path.slice(1).split('/') : undefined,
    query: request.params.map(rowJson),
    variable: request.pathVariables.map(rowJson),
    hash: fragment ?? undefined,
  })
}

function bodyJson(body: RequestBody): Json | undefined {
  // Every mode's content is written (Pigeon keeps them all, like Postman), the active one as `mode`.
  const json = withoutEmpty({
    mode: body.mode === 'binary' ? 'file' : body.mode,
    raw: body.raw,
    urlencoded: body.urlencoded.map(rowJson),
    formdata: body.formdata.map(row => withoutEmpty({
      key: row.key,
      value: row.kind === 'text' ? row.value : undefined,
      src: row.kind === 'file' ? row.file?.name ?? '' : undefined,
      type: row.kind,
      contentType: row.contentType,
      description: row.description,
      disabled: row.enabled ? undefined : true,
    })),
    file: body.binary ? { src: body.binary.name } : undefined,
    graphql: body.graphql.query !== '' || body.graphql.variables !== '' ? { query: body.graphql.query, variables: body.graphql.variables } : undefined,
  })
  if (body.raw !== '' || body.mode === 'raw' || body.rawLanguage !== 'json')
    json.options = { raw: { language: body.rawLanguage } }
  if (body.mode === 'none' && Object.keys(json).length === 1)
    return undefined
  return json
}

function requestJson(request: RequestSnapshot, description = ''): Json {
  return withoutEmpty({
    auth: authJson(request.auth),
    method: request.method,
    header: request.headers.map(rowJson),
    body: bodyJson(request.body),
    url: urlJson(request),
    description,
  }, ['header'])
}

function exampleJson(example: Example): Json {
  return withoutEmpty({
    name: example.name,
    originalRequest: requestJson(example.request),
    status: example.statusText,
    code: example.status,
    header: example.headers.map(header => ({ key: header.key, value: header.value })),
    body: example.body,
    responseTime: example.timeMs,
  }, ['header', 'body'])
}
