/**
 * Postman's old collection format (v1: flat `folders` and `requests` lists
 * with `order` arrays) rewritten into the v2 shape, so one importer reads both.
 */
import { isObject, type JsonObject, list, objects, text } from './read'

/** True for a v1 collection: top-level `requests` instead of `item`. */
export function isV1Collection(json: JsonObject): boolean {
  return !Array.isArray(json.item) && Array.isArray(json.requests)
}

/** The v1 collection as a v2-shaped object. */
export function v1ToV2(json: JsonObject): JsonObject {
  const folders = new Map(objects(json.folders).map(folder => [text(folder.id), folder]))
  const requests = new Map(objects(json.requests).map(request => [text(request.id), request]))
  const usedRequests = new Set<string>()
  const usedFolders = new Set<string>()

  const requestItems = (ids: unknown): JsonObject[] => list(ids).flatMap((id) => {
    const request = requests.get(text(id))
    if (!request || usedRequests.has(text(id)))
      return []
    usedRequests.add(text(id))
    return [requestItem(request)]
  })
  const folderItems = (ids: unknown): JsonObject[] => list(ids).flatMap((id) => {
    const folder = folders.get(text(id))
    if (!folder || usedFolders.has(text(id)))
      return []
    usedFolders.add(text(id))
    return [{
      name: text(folder.name, 'Folder'),
      description: folder.description,
      auth: folder.auth,
      event: folder.events,
      item: [...folderItems(folder.folders_order), ...requestItems(folder.order)],
    }]
  })

  // Without `folders_order`, every folder not nested in another sits at the top.
  const nested = new Set([...folders.values()].flatMap(folder => list(folder.folders_order).map(id => text(id))))
  const topFolders = Array.isArray(json.folders_order) ? json.folders_order : [...folders.keys()].filter(id => !nested.has(id))
  const item = [...folderItems(topFolders), ...requestItems(json.order)]
  // Requests no order mentions would be lost: keep them at the top.
  item.push(...requestItems([...requests.keys()].filter(id => !usedRequests.has(id))))

  return {
    info: { name: text(json.name, 'Imported collection'), description: json.description },
    item,
    auth: json.auth,
    event: json.events,
    variable: json.variables,
  }
}

function requestItem(request: JsonObject): JsonObject {
  const event = Array.isArray(request.events)
    ? request.events
    : [
        { listen: 'prerequest', script: { exec: text(request.preRequestScript) } },
        { listen: 'test', script: { exec: text(request.tests) } },
      ].filter(entry => entry.script.exec !== '')
  return {
    name: text(request.name, 'Request'),
    event,
    request: {
      method: text(request.method, 'GET'),
      url: {
        raw: text(request.url),
        query: Array.isArray(request.queryParams) ? request.queryParams.map(disabledFromEnabled) : undefined,
        variable: pathVariables(request),
      },
      header: Array.isArray(request.headerData) && request.headerData.length > 0 ? request.headerData.map(disabledFromEnabled) : text(request.headers),
      body: bodyOf(request),
      auth: authOf(request),
      description: request.description,
    },
    response: objects(request.responses).map(response => ({
      name: text(response.name, 'Example'),
      code: isObject(response.responseCode) ? response.responseCode.code : response.code,
      status: isObject(response.responseCode) ? response.responseCode.name : response.status,
      header: response.headers,
      body: text(response.text ?? response.body),
      responseTime: response.time ?? response.responseTime,
    })),
  }
}

function disabledFromEnabled(entry: unknown): unknown {
  return isObject(entry) && entry.enabled === false ? { ...entry, disabled: true } : entry
}

function pathVariables(request: JsonObject): JsonObject[] {
  if (Array.isArray(request.pathVariableData))
    return objects(request.pathVariableData)
  if (isObject(request.pathVariables))
    return Object.entries(request.pathVariables).map(([key, value]) => ({ key, value: text(value) }))
  return []
}

function bodyOf(request: JsonObject): JsonObject | undefined {
  const data = list(request.data).map(disabledFromEnabled)
  switch (request.dataMode) {
    case 'raw':
      return { mode: 'raw', raw: text(request.rawModeData) }
    case 'urlencoded':
      return { mode: 'urlencoded', urlencoded: data }
    case 'params':
      return { mode: 'formdata', formdata: data }
    case 'binary':
      return { mode: 'file', file: {} }
    case 'graphql':
      return { mode: 'graphql', graphql: request.graphqlModeData }
    default:
      return typeof request.rawModeData === 'string' && request.rawModeData !== '' ? { mode: 'raw', raw: request.rawModeData } : undefined
  }
}

/** v1 auth is either v2.1-shaped already or the older `currentHelper` form. */
function authOf(request: JsonObject): unknown {
  if (isObject(request.auth))
    return request.auth
  const helper = isObject(request.helperAttributes) ? request.helperAttributes : {}
  switch (request.currentHelper) {
    case 'basicAuth':
      return { type: 'basic', basic: { username: text(helper.username), password: text(helper.password) } }
    case 'bearerAuth':
      return { type: 'bearer', bearer: { token: text(helper.token) } }
    case 'normal':
      return { type: 'noauth' }
    default:
      return undefined
  }
}
