/**
 * Importing a Postman collection (v2.1, v2.0 or the old v1) as Pigeon
 * entities with new ids and sort keys in Postman's order. Whatever cannot
 * come across (files, unsupported auth types) is listed in `warnings`.
 */
import { Collection, EXAMPLE_BODY_LIMIT, Example, Folder, Request, type ResponseHeader, type Variable } from '../model'
import { newId as defaultNewId } from '../ids'
import { truncateBody } from '../response'
import { keysBetween } from '../tree'
import { type ImportInput, parseImportInput } from './decode'
import { PostmanImportError } from './errors'
import { description, isObject, type JsonObject, objects, script, text } from './read'
import { authFromPostman, type ConversionContext, type ConvertedRequest, requestFromPostman } from './requestFromPostman'
import { isV1Collection, v1ToV2 } from './v1'

export interface ImportedCollection {
  collection: Collection
  folders: Folder[]
  requests: Request[]
  examples: Example[]
  /** What could not be imported as it was, one sentence each. */
  warnings: string[]
}

export interface ImportOptions {
  newId?: () => string
  /** createdAt / updatedAt of the new entities; defaults to now. */
  now?: number
  updatedBy?: string
  /** Sort key of the new collection among the others; defaults to "a0". */
  sortKey?: string
}

const NOT_A_COLLECTION = 'This file is not a Postman collection'

/** Reads a Postman collection file (bytes, text or parsed JSON) into new Pigeon entities. */
export function importPostmanCollection(input: ImportInput, options: ImportOptions = {}): ImportedCollection {
  const json = parseImportInput(input, 'Postman collection')
  if (!isObject(json))
    throw new PostmanImportError(`${NOT_A_COLLECTION}: it holds ${Array.isArray(json) ? 'a list' : 'a single value'} instead of a collection object.`)
  if (Array.isArray(json.values) && !Array.isArray(json.item))
    throw new PostmanImportError('This file is a Postman environment, not a collection. Import it as an environment instead.')
  const source = isV1Collection(json) ? v1ToV2(json) : json
  if (!Array.isArray(source.item)) {
    throw new PostmanImportError(`${NOT_A_COLLECTION}: it has no "item" list of requests. In Postman, choose Export on the collection, pick "Collection v2.1" and import that file.`)
  }
  const schema = isObject(source.info) ? text(source.info.schema) : ''
  if (schema && !/collection\/v2\.[01]/.test(schema) && !/collection\/v1/.test(schema))
    throw new PostmanImportError(`${NOT_A_COLLECTION} Pigeon can read: its schema is ${schema}. Export it from Postman as "Collection v2.1" and try again.`)
  return new CollectionImport(options).run(source)
}

class CollectionImport {
  private readonly newId: () => string
  private readonly now: number
  private readonly updatedBy: string
  private readonly warnings: string[] = []
  private readonly folders: Folder[] = []
  private readonly requests: Request[] = []
  private readonly examples: Example[] = []
  private readonly context: ConversionContext
  private collectionId = ''

  constructor(private readonly options: ImportOptions) {
    this.newId = options.newId ?? defaultNewId
    this.now = options.now ?? Date.now()
    this.updatedBy = options.updatedBy ?? ''
    this.context = { newId: this.newId, warn: message => this.warnings.push(message) }
  }

  private stamps() {
    return { createdAt: this.now, updatedAt: this.now, updatedBy: this.updatedBy }
  }

  run(source: JsonObject): ImportedCollection {
    const info = isObject(source.info) ? source.info : {}
    this.collectionId = this.newId()
    const name = text(info.name).trim() || 'Imported collection'
    const collection = Collection.parse({
      ...this.stamps(),
      id: this.collectionId,
      name,
      description: description(info.description ?? source.description),
      sortKey: this.options.sortKey ?? 'a0',
      auth: authFromPostman(this.context, source.auth, 'none', `Collection "${name}"`),
      variables: objects(source.variable).map(entry => this.variable(entry)),
      preRequestScript: script(source.event, 'prerequest'),
      testScript: script(source.event, 'test'),
    })
    this.items(objects(source.item), this.collectionId, name)
    return { collection, folders: this.folders, requests: this.requests, examples: this.examples, warnings: this.warnings }
  }

  private variable(entry: JsonObject): Variable {
    return {
      id: this.newId(),
      key: text(entry.key),
      value: text(entry.value),
      enabled: entry.disabled !== true && entry.enabled !== false,
      type: entry.type === 'secret' ? 'secret' : 'default',
    }
  }

  private items(items: JsonObject[], parentId: string, path: string): void {
    const keys = keysBetween(null, null, items.length)
    items.forEach((item, index) => {
      if (Array.isArray(item.item))
        this.folder(item, parentId, keys[index], path)
      else
        this.request(item, parentId, keys[index], path)
    })
  }

  private folder(item: JsonObject, parentId: string, sortKey: string, path: string): void {
    const name = text(item.name).trim() || 'Folder'
    const where = `${path} › ${name}`
    const folder = Folder.parse({
      ...this.stamps(),
      id: this.newId(),
      parentId,
      collectionId: this.collectionId,
      sortKey,
      name,
      description: description(item.description),
      auth: authFromPostman(this.context, item.auth, 'inherit', `Folder "${where}"`),
      preRequestScript: script(item.event, 'prerequest'),
      testScript: script(item.event, 'test'),
    })
    this.folders.push(folder)
    this.items(objects(item.item), folder.id, where)
  }

  private request(item: JsonObject, parentId: string, sortKey: string, path: string): void {
    const name = text(item.name).trim() || 'Request'
    const where = `Request "${path} › ${name}"`
    const converted = requestFromPostman(this.context, item.request, name, item.protocolProfileBehavior, where)
    const request = Request.parse({
      ...this.stamps(),
      ...converted,
      id: this.newId(),
      parentId,
      collectionId: this.collectionId,
      sortKey,
      description: converted.description || description(item.description),
      preRequestScript: script(item.event, 'prerequest'),
      testScript: script(item.event, 'test'),
    })
    this.requests.push(request)
    for (const response of objects(item.response ?? item.responses))
      this.example(response, request, converted, where)
  }

  private example(response: JsonObject, request: Request, converted: ConvertedRequest, where: string): void {
    const name = text(response.name).trim() || 'Example'
    const original = response.originalRequest === undefined
      ? converted
      : requestFromPostman({ newId: this.newId, warn: () => {} }, response.originalRequest, request.name, undefined, `${where}, example "${name}"`)
    // Settings are the request's: Postman keeps none on an example.
    const { description: _description, ...fields } = original
    const snapshot = { ...fields, settings: converted.settings }
    const rawBody = text(response.body)
    const { body, truncated } = truncateBody(rawBody, EXAMPLE_BODY_LIMIT)
    if (truncated)
      this.warnings.push(`${where}, example "${name}": its body is larger than 1 MiB and was cut.`)
    const time = Number(text(response.responseTime))
    this.examples.push(Example.parse({
      ...this.stamps(),
      id: this.newId(),
      requestId: request.id,
      name,
      request: snapshot,
      status: Number.parseInt(text(response.code), 10) || 0,
      statusText: text(response.status),
      headers: responseHeaders(response.header ?? response.headers),
      body,
      bodyTruncated: truncated,
      timeMs: Number.isFinite(time) && time >= 0 ? time : 0,
      size: new TextEncoder().encode(rawBody).length,
    }))
  }
}

function responseHeaders(value: unknown): ResponseHeader[] {
  if (typeof value === 'string') {
    return value.split(/\r?\n/).filter(line => line.includes(':')).map((line) => {
      const colon = line.indexOf(':')
      return { key: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() }
    })
  }
  return objects(value).map(entry => ({ key: text(entry.key ?? entry.name), value: text(entry.value) }))
}
