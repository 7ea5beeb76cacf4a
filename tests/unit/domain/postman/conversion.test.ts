import { describe, expect, it } from 'vitest'
import { EXAMPLE_BODY_LIMIT } from '../../../../src/domain/model'
import { importPostmanCollection, POSTMAN_SCHEMA_V21 } from '../../../../src/domain/postman'

/** A one-request v2.1 collection around the given request JSON. */
function collectionWith(request: unknown, item: Record<string, unknown> = {}) {
  return { info: { name: 'Small', schema: POSTMAN_SCHEMA_V21 }, item: [{ name: 'The request', request, ...item }] }
}

function importOne(request: unknown, item: Record<string, unknown> = {}) {
  const imported = importPostmanCollection(collectionWith(request, item))
  return { request: imported.requests[0], imported }
}

describe('reading Postman requests written by different tools', () => {
  it('reads a bare URL string as a GET', () => {
    const { request } = importOne('https://x.io/a?b=1')
    expect(request).toMatchObject({ method: 'GET', url: 'https://x.io/a?b=1' })
    expect(request.params.map(p => [p.key, p.value])).toEqual([['b', '1']])
  })

  it('puts a URL object without raw back together', () => {
    const { request } = importOne({
      method: 'post',
      url: { protocol: 'https', host: ['api', 'example', 'com'], port: '8443', path: ['v1', ':id'], query: [{ key: 'a', value: '1' }, { key: 'off', value: '2', disabled: true }, { key: 'flag', value: null }], variable: [{ key: 'id', value: '7', description: 'the id' }] },
    })
    expect(request.method).toBe('POST')
    expect(request.url).toBe('https://api.example.com:8443/v1/:id?a=1&flag')
    expect(request.params.map(p => [p.key, p.value, p.enabled])).toEqual([['a', '1', true], ['off', '2', false], ['flag', '', true]])
    expect(request.pathVariables).toMatchObject([{ key: 'id', value: '7', description: 'the id' }])
  })

  it('reads headers written as "Key: value" lines', () => {
    const { request } = importOne({ method: 'GET', url: 'https://x.io', header: 'Accept: application/json\n//X-Off: 1\nX-Time: 10:30' })
    expect(request.headers.map(h => [h.key, h.value, h.enabled])).toEqual([['Accept', 'application/json', true], ['X-Off', '1', false], ['X-Time', '10:30', true]])
  })

  it('reads v2.0 auth objects and v2.1 auth lists', () => {
    expect(importOne({ url: 'https://x.io', auth: { type: 'basic', basic: { username: 'u', password: 'p' } } }).request.auth.basic).toEqual({ username: 'u', password: 'p' })
    const apikey = importOne({ url: 'https://x.io', auth: { type: 'apikey', apikey: [{ key: 'key', value: 'k' }, { key: 'value', value: 'v' }, { key: 'in', value: 'query' }] } }).request.auth
    expect(apikey).toMatchObject({ type: 'apikey', apikey: { key: 'k', value: 'v', in: 'query' } })
    expect(importOne({ url: 'https://x.io', auth: { type: 'noauth' } }).request.auth.type).toBe('none')
    expect(importOne({ url: 'https://x.io' }).request.auth.type).toBe('inherit')
  })

  it('keeps an OAuth 2.0 access token as a bearer token and says so', () => {
    const { request, imported } = importOne({ url: 'https://x.io', auth: { type: 'oauth2', oauth2: [{ key: 'accessToken', value: 'tok' }] } })
    expect(request.auth).toMatchObject({ type: 'bearer', bearer: { token: 'tok' } })
    expect(imported.warnings).toEqual(['Request "Small › The request": OAuth 2.0 is not available yet; its access token was kept as a bearer token.'])
  })

  it('reads every body mode', () => {
    const raw = importOne({ url: 'https://x.io', header: [{ key: 'Content-Type', value: 'application/xml' }], body: { mode: 'raw', raw: '<a/>' } }).request.body
    expect(raw).toMatchObject({ mode: 'raw', raw: '<a/>', rawLanguage: 'xml' })
    const json = importOne({ url: 'https://x.io', body: { mode: 'raw', raw: '{}', options: { raw: { language: 'json' } } } }).request.body
    expect(json.rawLanguage).toBe('json')
    const form = importOne({ url: 'https://x.io', body: { mode: 'formdata', formdata: [{ key: 'a', value: '1', type: 'text', contentType: 'text/plain' }, { key: 'f', src: '/home/me/x.png', type: 'file' }, { key: 'off', value: 'x', disabled: true }] } })
    expect(form.request.body.formdata.map(r => [r.key, r.value, r.kind, r.enabled, r.contentType])).toEqual([['a', '1', 'text', true, 'text/plain'], ['f', '', 'file', true, ''], ['off', 'x', 'text', false, '']])
    expect(form.imported.warnings[0]).toMatch(/form field "f".*choose it again/)
    const graphql = importOne({ url: 'https://x.io', body: { mode: 'graphql', graphql: { query: '{ a }', variables: { id: 1 } } } }).request.body
    expect(graphql).toMatchObject({ mode: 'graphql', graphql: { query: '{ a }', variables: '{\n  "id": 1\n}' } })
    const disabled = importOne({ url: 'https://x.io', body: { mode: 'raw', raw: 'x', disabled: true } }).request.body
    expect(disabled).toMatchObject({ mode: 'none', raw: 'x' })
  })

  it('reads redirect settings and scripts', () => {
    const { request } = importOne({ url: 'https://x.io' }, {
      protocolProfileBehavior: { followRedirects: false, maxRedirects: 3 },
      event: [{ listen: 'prerequest', script: { exec: ['a()', 'b()'] } }, { listen: 'test', script: { exec: 'c()' } }],
    })
    expect(request.settings).toEqual({ timeoutMs: 0, followRedirects: false, maxRedirects: 3 })
    expect(request).toMatchObject({ preRequestScript: 'a()\nb()', testScript: 'c()' })
  })

  it('reads saved examples, cutting a body that is too large', () => {
    const { imported } = importOne({ method: 'GET', url: 'https://x.io' }, {
      response: [
        { name: 'OK', code: 200, status: 'OK', header: [{ key: 'Content-Type', value: 'application/json' }], body: '{"a":1}', responseTime: 12 },
        { name: 'Huge', code: 200, header: 'X-A: 1\nX-B: 2', body: 'x'.repeat(EXAMPLE_BODY_LIMIT + 1) },
      ],
    })
    const [ok, huge] = imported.examples
    expect(ok).toMatchObject({ name: 'OK', status: 200, statusText: 'OK', body: '{"a":1}', timeMs: 12, size: 7, bodyTruncated: false, headers: [{ key: 'Content-Type', value: 'application/json' }] })
    expect(ok.request.url).toBe('https://x.io')
    expect(huge.bodyTruncated).toBe(true)
    expect(huge.body.length).toBe(EXAMPLE_BODY_LIMIT)
    expect(huge.size).toBe(EXAMPLE_BODY_LIMIT + 1)
    expect(huge.headers).toEqual([{ key: 'X-A', value: '1' }, { key: 'X-B', value: '2' }])
    expect(imported.warnings.join(' ')).toMatch(/larger than 1 MiB/)
  })

  it('keeps collection variables with their secret flag', () => {
    const imported = importPostmanCollection({ ...collectionWith('https://x.io'), variable: [{ key: 'a', value: 1 }, { key: 's', value: 'x', type: 'secret' }, { key: 'off', value: '', disabled: true }] })
    expect(imported.collection.variables.map(v => [v.key, v.value, v.type, v.enabled])).toEqual([['a', '1', 'default', true], ['s', 'x', 'secret', true], ['off', '', 'default', false]])
  })
})

describe('reading an old v1 collection', () => {
  it('reads folders, bodies, auth helpers and responses', () => {
    const imported = importPostmanCollection({
      id: 'c1',
      name: 'Old',
      order: ['r2'],
      folders: [{ id: 'f1', name: 'Folder', order: ['r1'] }],
      requests: [
        {
          id: 'r1',
          name: 'Form',
          method: 'POST',
          url: 'https://x.io/:id?a=1',
          pathVariables: { id: '5' },
          headers: 'X-A: 1\n',
          dataMode: 'urlencoded',
          data: [{ key: 'k', value: 'v', enabled: true }, { key: 'off', value: 'x', enabled: false }],
          currentHelper: 'basicAuth',
          helperAttributes: { username: 'u', password: 'p' },
          tests: 'tests.ok = true',
          responses: [{ name: 'Saved', responseCode: { code: 201, name: 'Created' }, headers: [{ key: 'A', value: 'b' }], text: 'done', time: 5 }],
        },
        { id: 'r2', name: 'Raw', method: 'PUT', url: 'https://x.io', dataMode: 'raw', rawModeData: 'hello' },
      ],
    })
    expect(imported.collection.name).toBe('Old')
    expect(imported.folders.map(f => f.name)).toEqual(['Folder'])
    const [form, raw] = imported.requests
    expect(form).toMatchObject({ name: 'Form', parentId: imported.folders[0].id, testScript: 'tests.ok = true', auth: { type: 'basic', basic: { username: 'u', password: 'p' } } })
    expect(form.pathVariables).toMatchObject([{ key: 'id', value: '5' }])
    expect(form.headers.map(h => h.key)).toEqual(['X-A'])
    expect(form.body.urlencoded.map(r => [r.key, r.enabled])).toEqual([['k', true], ['off', false]])
    expect(raw).toMatchObject({ name: 'Raw', parentId: imported.collection.id, body: { mode: 'raw', raw: 'hello' } })
    expect(imported.examples[0]).toMatchObject({ name: 'Saved', status: 201, statusText: 'Created', body: 'done', timeMs: 5, requestId: form.id })
  })
})
