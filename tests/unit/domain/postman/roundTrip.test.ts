import { describe, expect, it } from 'vitest'
import { type ImportedCollection, exportPostmanCollection, exportPostmanEnvironment, importPostmanCollection, importPostmanEnvironment, POSTMAN_SCHEMA_V21 } from '../../../../src/domain/postman'
import { corpusCollections, corpusEnvironments } from './corpus'

let counter = 0
const options = { newId: () => `id-${++counter}`, now: 1000 }

/**
 * The imported entities with every id replaced by its place in the import
 * (ids are new on each import), so two imports of the same content compare equal.
 */
function comparable(imported: ImportedCollection): unknown {
  const labels = new Map<string, string>()
  labels.set(imported.collection.id, 'collection')
  imported.folders.forEach((folder, index) => labels.set(folder.id, `folder ${index}`))
  imported.requests.forEach((request, index) => labels.set(request.id, `request ${index}`))
  imported.examples.forEach((example, index) => labels.set(example.id, `example ${index}`))
  const replaceIds = (value: unknown): unknown => {
    if (Array.isArray(value))
      return value.map(replaceIds)
    if (value !== null && typeof value === 'object') {
      const copy: Record<string, unknown> = {}
      for (const [key, item] of Object.entries(value)) {
        // Row ids are made fresh on import; entity ids become labels.
        if (key === 'id' && !labels.has(item as string))
          continue
        copy[key] = typeof item === 'string' && labels.has(item) ? labels.get(item) : replaceIds(item)
      }
      return copy
    }
    return value
  }
  const { warnings: _warnings, ...entities } = imported
  return replaceIds(entities)
}

describe('exporting to Postman and importing back', () => {
  it.each(corpusCollections.map(file => [file.name, file.bytes] as const))('gives the same collection for %s', (_name, bytes) => {
    const first = importPostmanCollection(bytes, options)
    const exported = exportPostmanCollection(first)
    expect(exported.info.schema).toBe(POSTMAN_SCHEMA_V21)
    const second = importPostmanCollection(JSON.stringify(exported), options)
    expect(comparable(second)).toEqual(comparable(first))
  })

  it.each(corpusEnvironments.map(file => [file.name, file.bytes] as const))('gives the same environment for %s', (_name, bytes) => {
    const first = importPostmanEnvironment(bytes, options)
    const exported = exportPostmanEnvironment(first, { now: 0 })
    expect(exported._postman_variable_scope).toBe('environment')
    const second = importPostmanEnvironment(JSON.stringify(exported), options)
    const withoutIds = (environment: typeof first) => ({ ...environment, id: '', variables: environment.variables.map(({ id: _id, ...rest }) => rest) })
    expect(withoutIds(second)).toEqual(withoutIds(first))
  })
})

describe('an exported collection', () => {
  it('is written in Postman v2.1 shape', () => {
    const imported = importPostmanCollection(corpusCollections.find(file => file.name.includes('nestedEntities'))!.bytes, options)
    const exported = exportPostmanCollection(imported)
    expect(exported.info).toMatchObject({ name: imported.collection.name, schema: POSTMAN_SCHEMA_V21 })
    expect(exported.auth).toEqual({ type: 'basic', basic: [{ key: 'username', value: '{{username}}', type: 'string' }, { key: 'password', value: '{{token}}', type: 'string' }] })
    const folder = exported.item[0] as { name: string, item: Array<{ request: { url: Record<string, unknown> } }> }
    expect(folder.name).toBe('F1')
    expect(folder.item[0].request.url).toMatchObject({ raw: expect.any(String), host: expect.any(Array) })
  })

  it('splits a URL into the parts Postman reads', () => {
    const imported = importPostmanCollection({
      info: { name: 'c', schema: POSTMAN_SCHEMA_V21 },
      item: [{ name: 'r', request: { method: 'GET', url: 'https://api.example.com:8443/v1/users/:id?active=true#top' } }],
    }, options)
    const exported = exportPostmanCollection(imported)
    const request = (exported.item[0] as { request: { url: unknown } }).request
    expect(request.url).toEqual({
      raw: 'https://api.example.com:8443/v1/users/:id?active=true#top',
      protocol: 'https',
      host: ['api', 'example', 'com'],
      port: '8443',
      path: ['v1', 'users', ':id'],
      query: [{ key: 'active', value: 'true' }],
      variable: [{ key: 'id', value: '' }],
      hash: 'top',
    })
  })
})
