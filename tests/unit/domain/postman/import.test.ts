import { describe, expect, it } from 'vitest'
import { buildTree, flattenTree } from '../../../../src/domain/tree'
import { importPostmanCollection, importPostmanEnvironment, parseImportInput, postmanFileKind, PostmanImportError } from '../../../../src/domain/postman'
import { corpusCollections, corpusEnvironments, corpusFile } from './corpus'

let counter = 0
const options = { newId: () => `id-${++counter}`, now: 1000 }

function importFile(name: string) {
  return importPostmanCollection(corpusFile(name), options)
}

/** Every row of the imported tree, fully expanded, as "  name". */
function outline(imported: ReturnType<typeof importFile>): string[] {
  const tree = buildTree({ collections: [imported.collection], folders: imported.folders, requests: imported.requests })
  const expanded = new Set([imported.collection.id, ...imported.folders.map(folder => folder.id)])
  return flattenTree(tree, expanded).map(row => `${'  '.repeat(row.depth)}${row.name}`)
}

function requestNamed(imported: ReturnType<typeof importFile>, name: string) {
  const found = imported.requests.find(request => request.name === name)
  if (!found)
    throw new Error(`no request named ${name}`)
  return found
}

/** How many requests a raw Postman JSON holds (v2 items or v1 requests). */
function countRequests(json: Record<string, unknown>): number {
  if (Array.isArray(json.requests) && !Array.isArray(json.item))
    return json.requests.length
  const walk = (items: unknown[]): number => items.reduce<number>((sum, item) => {
    const children = (item as { item?: unknown[] }).item
    return sum + (Array.isArray(children) ? walk(children) : 1)
  }, 0)
  return walk(json.item as unknown[])
}

describe('importing every collection of the corpus', () => {
  it.each(corpusCollections.map(file => [file.name, file.bytes] as const))('imports %s with all its requests', (_name, bytes) => {
    const imported = importPostmanCollection(bytes, options)
    const raw = JSON.parse(new TextDecoder().decode(bytes).replace(/^\uFEFF/, ''))
    expect(imported.requests).toHaveLength(countRequests(raw))
    expect(imported.collection.name).not.toBe('')
    for (const item of [...imported.folders, ...imported.requests]) {
      expect(item.collectionId).toBe(imported.collection.id)
      expect(item.sortKey).toMatch(/^[a-zA-Z]/)
    }
  })
})

describe('importing every environment of the corpus', () => {
  it.each(corpusEnvironments.map(file => [file.name, file.bytes] as const))('imports %s', (_name, bytes) => {
    const environment = importPostmanEnvironment(bytes, options)
    expect(environment.name).not.toBe('')
    expect(environment.variables.length).toBeGreaterThan(0)
  })

  it('reads an environment saved as UTF-16', () => {
    const environment = importPostmanEnvironment(corpusFile('newman/bom-and-encoding__utf16-le-encoding-in-env.postman_environment.json'), options)
    expect(environment.variables.length).toBeGreaterThan(0)
    expect(environment.variables.every(variable => !variable.key.includes('\u0000'))).toBe(true)
  })

  it('keeps disabled and duplicate values as they were', () => {
    const environment = importPostmanEnvironment(corpusFile('newman/disabled-and-duplicate-variables__disabled-and-duplicates.postman_environment.json'), options)
    expect(environment.name).toBe('disabled-and-duplicates')
    expect(environment.variables.map(v => [v.key, v.value, v.enabled])).toEqual([
      ['justDisabled', '1', false],
      ['oneDisabled', '1', true],
      ['oneDisabled', '2', false],
      ['duplicate', '1', true],
      ['duplicate', '2', true],
    ])
  })

  it('reads an environment with a byte order mark from text too', () => {
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(corpusFile('newman/bom-and-encoding__bom-in-environment-file.postman_environment.json'))
    expect(text.charCodeAt(0)).toBe(0xFEFF)
    expect(importPostmanEnvironment(text, options).variables.length).toBeGreaterThan(0)
  })
})

describe('what an imported collection holds', () => {
  it('keeps nested folders in Postman order (v1 collection)', () => {
    expect(outline(importFile('newman/multi-level-folders-v1.postman_collection.json'))).toEqual([
      'multi-level-folders',
      '  F1',
      '    F1.R1',
      '    F1.R2',
      '    F1.R3',
      '  F2',
      '    F2.F3',
      '      F2.F3.R1',
      '    F4',
      '    F2.R1',
      '  R1',
    ])
  })

  it('reads the same tree from the v2 version of that collection', () => {
    const v2 = outline(importFile('newman/multi-level-folders-v2.postman_collection.json'))
    expect(v2).toContain('      F2.F3.R1')
    expect(v2.filter(line => line.trim().startsWith('F')).length).toBe(outline(importFile('newman/multi-level-folders-v1.postman_collection.json')).filter(line => line.trim().startsWith('F')).length)
  })

  it('keeps auth and scripts on the collection, folders and requests', () => {
    const imported = importFile('postman-transformer/nestedEntities.json')
    expect(imported.collection.auth).toMatchObject({ type: 'basic', basic: { username: '{{username}}', password: '{{token}}' } })
    expect(imported.collection.variables).toEqual([{ id: expect.any(String), key: 'collection', value: 'variable', enabled: true, type: 'default' }])
    expect(imported.collection.testScript).not.toBe('')
    expect(imported.collection.preRequestScript).not.toBe('')
    expect(imported.folders[0].auth.type).toBe('basic')
    expect(imported.folders[0].testScript).not.toBe('')
    expect(requestNamed(imported, 'Basic').auth.type).toBe('basic')
    expect(requestNamed(imported, 'OAuth1').auth.type).toBe('none')
    expect(imported.warnings.some(warning => /OAuth1.*OAuth 1\.0 auth is not available yet/.test(warning))).toBe(true)
  })

  it('reads an API key auth at the collection level and path variables (Adyen)', () => {
    const imported = importFile('adyen/CheckoutService-v71.json')
    expect(imported.collection.auth).toMatchObject({ type: 'apikey', apikey: { key: 'X-API-Key', value: '{{X-API-Key}}', in: 'header' } })
    expect(imported.collection.variables.map(v => v.key)).toEqual(['baseUrl', 'X-API-Key', 'YOUR_MERCHANT_ACCOUNT'])
    expect(imported.examples).toHaveLength(51)
    const withPathVariable = imported.requests.find(request => request.pathVariables.length > 0)!
    expect(withPathVariable.url).toContain(`:${withPathVariable.pathVariables[0].key}`)
    for (const example of imported.examples)
      expect(imported.requests.some(request => request.id === example.requestId)).toBe(true)
  })

  it('keeps disabled query params in the table but not in the URL', () => {
    const imported = importFile('adyen/CheckoutService-v71.json')
    const request = imported.requests.find(r => r.params.some(p => !p.enabled))
    expect(request).toBeDefined()
    for (const param of request!.params.filter(p => !p.enabled))
      expect(request!.url).not.toContain(`${param.key}=`)
  })

  it('reads form-data bodies with file fields and asks for the files again', () => {
    const imported = importFile('postman-transformer/box.json')
    const upload = imported.requests.find(request => request.body.mode === 'formdata' && request.body.formdata.some(row => row.kind === 'file'))!
    expect(upload).toBeDefined()
    expect(upload.body.formdata.find(row => row.kind === 'file')!.file).toBeNull()
  })

  it('reads a binary body and asks for the file again', () => {
    const imported = importFile('postman-transformer/binary-upload.json')
    expect(imported.requests[0].body.mode).toBe('binary')
    expect(imported.requests[0].body.binary).toBeNull()
    expect(imported.warnings.join(' ')).toMatch(/choose it again/)
  })

  it('reads url-encoded bodies and auth types it knows', () => {
    const helpers = importFile('postman-transformer/helpers.json')
    const types = helpers.requests.map(request => request.auth.type)
    expect(types).toContain('basic')
    expect(types).toContain('bearer')
    const urlencoded = importFile('postman-transformer/urlencoded-post-data.json')
    expect(urlencoded.requests.some(request => request.body.mode === 'urlencoded' && request.body.urlencoded.length > 0)).toBe(true)
  })

  it('reads raw JSON bodies with their language', () => {
    const imported = importFile('postman-transformer/rawjsonbody.json')
    const request = imported.requests.find(r => r.body.mode === 'raw')!
    expect(request.body.raw).not.toBe('')
    expect(JSON.parse(request.body.raw)).toBeTruthy()
  })

  it('keeps redirect settings and custom methods', () => {
    const behavior = importFile('newman/protocol-profile-behavior.postman_collection.json')
    expect(behavior.requests.some(request => request.settings.followRedirects === false)).toBe(true)
    const custom = importFile('newman/custom-http-method__custom-http-method.postman_collection.json')
    expect(custom.requests.some(request => !['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].includes(request.method))).toBe(true)
  })

  it('keeps a URL whose host is a variable exactly as written', () => {
    const imported = importFile('postman-transformer/proper-url-parsing.json')
    expect(imported.requests[0].url).toBe('https://ani{{yo}}ket:{{asd}}@{{hellohost}}:2002/crazyvar/{{yo}}/:awesome?a=b&c=d#/awesomeshit')
    expect(imported.requests[0].params.map(p => [p.key, p.value])).toEqual([['a', 'b'], ['c', 'd']])
    expect(imported.requests[0].pathVariables.map(p => p.key)).toEqual(['awesome'])
  })

  it('names a collection that has no info', () => {
    const imported = importFile('newman/timeout__timeout.postman_collection.json')
    expect(imported.collection.name).toBe('Imported collection')
    expect(imported.requests[0]).toMatchObject({ name: 'Request', url: 'https://postman-echo.com/delay/2' })
  })

  it('stamps new ids, times and a sort key', () => {
    const imported = importPostmanCollection(corpusFile('newman/steph__steph.postman_collection.json'), { now: 42, updatedBy: 'u1', sortKey: 'a5' })
    expect(imported.collection).toMatchObject({ createdAt: 42, updatedAt: 42, updatedBy: 'u1', sortKey: 'a5' })
    expect(imported.collection.id).toHaveLength(21)
  })
})

describe('files that are not what they should be', () => {
  it('says a file is not JSON', () => {
    expect(() => importPostmanCollection('nope')).toThrowError(/^This file is not a Postman collection: it is not valid JSON/)
  })

  it('says a file is empty or not an object', () => {
    expect(() => importPostmanCollection('  ')).toThrowError('This file is not a Postman collection: it is empty.')
    expect(() => importPostmanCollection('[1,2]')).toThrowError(/holds a list/)
  })

  it('says which kind of file it is when swapped', () => {
    const environment = corpusFile('newman/esc-formdata__esc-formdata.postman_environment.json')
    expect(() => importPostmanCollection(environment)).toThrowError('This file is a Postman environment, not a collection. Import it as an environment instead.')
    const collection = corpusFile('newman/steph__steph.postman_collection.json')
    expect(() => importPostmanEnvironment(collection)).toThrowError(/is a Postman collection, not an environment/)
    expect(() => importPostmanEnvironment({ name: 'x' })).toThrowError(/has no "values" list/)
  })

  it('says what to do with some other JSON', () => {
    expect(() => importPostmanCollection({ openapi: '3.0.0' })).toThrowError(/has no "item" list of requests.*Collection v2\.1/)
    expect(() => importPostmanCollection({ info: { schema: 'https://schema.getpostman.com/json/collection/v3.0.0/' }, item: [] })).toThrowError(/its schema is/)
  })

  it('says so when UTF-16 text was read as UTF-8', () => {
    const misread = new TextDecoder('utf-8').decode(corpusFile('newman/bom-and-encoding__utf16-le-encoding-in-env.postman_environment.json'))
    expect(() => importPostmanEnvironment(misread)).toThrowError(PostmanImportError)
  })
})

describe('telling collections from environments', () => {
  it('recognises each file of the corpus', () => {
    for (const file of corpusCollections)
      expect(postmanFileKind(parseImportInput(file.bytes, 'Postman file'))).toBe('collection')
    for (const file of corpusEnvironments)
      expect(postmanFileKind(parseImportInput(file.bytes, 'Postman file'))).toBe('environment')
    expect(postmanFileKind({ openapi: '3.0.0' })).toBe('unknown')
    expect(postmanFileKind('text')).toBe('unknown')
  })
})
