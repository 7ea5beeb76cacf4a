import { describe, expect, it } from 'vitest'
import { SendError } from '../../../src/domain/prepared'
import { buildPreparedRequest, InvalidBodyError } from '../../../src/domain/requestBuilding'
import type { RequestSnapshot } from '../../../src/domain/model'
import type { VariableScope } from '../../../src/domain/scopes'
import { auth, fixedDynamic, formRow, row, scope, snapshot } from './factories'

const environment = scope('environment', { baseUrl: 'https://api.example.com', id: '42', token: 'tok', name: 'Zoë' }, 'Environment: Staging')

function build(fields: Partial<RequestSnapshot>, scopes: VariableScope[] = [environment], ancestorsAuth = [auth({ type: 'none' })]) {
  return buildPreparedRequest(snapshot(fields), { scopes, ancestorsAuth, defaults: { timeoutMs: 30_000 } })
}

function body(fields: Partial<RequestSnapshot['body']>): RequestSnapshot['body'] {
  return snapshot({ body: fields as RequestSnapshot['body'] }).body
}

describe('the URL that is sent', () => {
  it('resolves variables, fills path variables and keeps the query', () => {
    const prepared = build({ url: '{{baseUrl}}/users/:userId?expand={{name}}', pathVariables: [row('userId', '{{id}}')] })
    expect(prepared.url).toBe('https://api.example.com/users/42?expand=Zo%C3%AB')
    expect(prepared.method).toBe('GET')
  })

  it('keeps a variable value with & or # inside one query value', () => {
    const scopes = [scope('environment', { q: 'salt & pepper #1', key: 'a=b' })]
    expect(build({ url: 'https://x.io/search?q={{q}}&{{key}}=1&flag' }, scopes).url).toBe('https://x.io/search?q=salt%20%26%20pepper%20%231&a%3Db=1&flag')
  })

  it('adds http:// to a URL without a scheme and drops the fragment', () => {
    expect(build({ url: 'localhost:3000/x#part' }).url).toBe('http://localhost:3000/x')
  })

  it('adds an API key that goes in the query', () => {
    const apiKey = auth({ type: 'apikey', apikey: { key: 'api_key', value: '{{token}}', in: 'query' } })
    expect(build({ url: 'https://x.io/p?a=1', auth: apiKey }).url).toBe('https://x.io/p?a=1&api_key=tok')
  })

  it('names the undefined variable when the URL cannot be sent', () => {
    expect(() => build({ url: '{{baseURL}}/users' })).toThrowError(/\{\{baseURL\}\}, which is not defined/)
    try {
      build({ url: '{{baseURL}}/users' })
    }
    catch (error) {
      expect(error).toBeInstanceOf(SendError)
      expect((error as SendError).kind).toBe('invalid_url')
    }
  })

  it('names every undefined variable of the host', () => {
    expect(() => build({ url: 'https://{{host}}:{{port}}/x' })).toThrowError('The URL uses {{host}}, {{port}}, which are not defined')
  })

  it('refuses an empty URL, a broken one and other schemes', () => {
    expect(() => build({ url: '  ' })).toThrowError('Enter a URL')
    expect(() => build({ url: 'http://exa mple.com' })).toThrowError(/is not a valid URL/)
    expect(() => build({ url: 'ftp://example.com' })).toThrowError(/only send http/)
  })

  it('sends an unresolved variable in the path as typed', () => {
    expect(build({ url: 'https://x.io/{{missing}}' }).url).toBe('https://x.io/%7B%7Bmissing%7D%7D')
  })

  it('upper-cases the method and refuses one that is not a token', () => {
    expect(build({ method: 'purge' }).method).toBe('PURGE')
    expect(() => build({ method: 'GET POST' })).toThrowError(/not a valid HTTP method/)
  })
})

describe('headers', () => {
  it('sends enabled headers with variables resolved, repeats included', () => {
    const prepared = build({ headers: [row('X-Id', '{{id}}'), row('X-Off', '1', { enabled: false }), row('', 'no name'), row('X-Id', '43')] })
    expect(prepared.headers).toEqual([['X-Id', '42'], ['X-Id', '43']])
  })

  it('adds the auth header, inherited from the collection', () => {
    const collectionAuth = auth({ type: 'bearer', bearer: { token: '{{token}}' } })
    const prepared = build({ auth: auth({ type: 'inherit' }) }, [environment], [auth({ type: 'inherit' }), collectionAuth])
    expect(prepared.headers).toEqual([['Authorization', 'Bearer tok']])
  })

  it('keeps an Authorization header the user wrote', () => {
    const prepared = build({ headers: [row('authorization', 'Custom x')], auth: auth({ type: 'bearer', bearer: { token: 't' } }) })
    expect(prepared.headers).toEqual([['authorization', 'Custom x']])
  })
})

describe('bodies', () => {
  it('sends no body in none mode', () => {
    expect(build({ method: 'POST', body: body({ mode: 'none', raw: 'ignored' }) }).body).toEqual({ kind: 'none' })
  })

  it('sends raw JSON with its Content-Type and resolved variables', () => {
    const prepared = build({ method: 'POST', body: body({ mode: 'raw', rawLanguage: 'json', raw: '{"id": {{id}}}' }) })
    expect(prepared.body).toEqual({ kind: 'text', text: '{"id": 42}' })
    expect(prepared.headers).toEqual([['Content-Type', 'application/json']])
  })

  it('picks the Content-Type of each raw language unless the user set one', () => {
    const types = (['text', 'xml', 'html', 'javascript'] as const).map(rawLanguage => build({ body: body({ mode: 'raw', rawLanguage, raw: 'x' }) }).headers[0][1])
    expect(types).toEqual(['text/plain', 'application/xml', 'text/html', 'application/javascript'])
    const own = build({ headers: [row('content-type', 'application/vnd.api+json')], body: body({ mode: 'raw', raw: '{}' }) })
    expect(own.headers).toEqual([['content-type', 'application/vnd.api+json']])
  })

  it('encodes url-encoded fields, enabled ones only', () => {
    const prepared = build({ body: body({ mode: 'urlencoded', urlencoded: [row('name', '{{name}} & co'), row('off', '1', { enabled: false }), row('q', 'a=b')] }) })
    expect(prepared.body).toEqual({ kind: 'text', text: 'name=Zo%C3%AB+%26+co&q=a%3Db' })
    expect(prepared.headers).toEqual([['Content-Type', 'application/x-www-form-urlencoded']])
  })

  it('sends form-data text and file parts without a Content-Type header', () => {
    const file = { blobId: 'blob-1', name: 'photo.png', size: 10, type: 'image/png' }
    const prepared = build({
      headers: [row('Content-Type', 'multipart/form-data')],
      body: body({
        mode: 'formdata',
        formdata: [
          formRow('title', '{{name}}'),
          formRow('meta', '{}', { contentType: 'application/json' }),
          formRow('photo', '', { kind: 'file', file }),
          formRow('empty file', '', { kind: 'file' }),
          formRow('off', 'x', { enabled: false }),
        ],
      }),
    })
    expect(prepared.body).toEqual({
      kind: 'formdata',
      parts: [
        { kind: 'text', name: 'title', value: 'Zoë' },
        { kind: 'text', name: 'meta', value: '{}', contentType: 'application/json' },
        { kind: 'file', name: 'photo', blobId: 'blob-1', fileName: 'photo.png', contentType: 'image/png' },
      ],
    })
    expect(prepared.headers).toEqual([])
  })

  it('sends a binary file by its blob id', () => {
    const prepared = build({ body: body({ mode: 'binary', binary: { blobId: 'blob-2', name: 'data.bin', size: 3, type: '' } }) })
    expect(prepared.body).toEqual({ kind: 'binary', blobId: 'blob-2', name: 'data.bin' })
    expect(prepared.headers).toEqual([['Content-Type', 'application/octet-stream']])
    expect(build({ body: body({ mode: 'binary' }) }).body).toEqual({ kind: 'none' })
  })

  it('sends GraphQL as JSON with its variables parsed', () => {
    const prepared = build({ body: body({ mode: 'graphql', graphql: { query: 'query { user(id: {{id}}) { name } }', variables: '{"token": "{{token}}"}' } }) })
    expect(prepared.body.kind).toBe('text')
    expect(JSON.parse((prepared.body as { text: string }).text)).toEqual({ query: 'query { user(id: 42) { name } }', variables: { token: 'tok' } })
    expect(prepared.headers).toEqual([['Content-Type', 'application/json']])
    const noVariables = build({ body: body({ mode: 'graphql', graphql: { query: '{ a }', variables: '' } }) })
    expect(JSON.parse((noVariables.body as { text: string }).text)).toEqual({ query: '{ a }', variables: {} })
  })

  it('says so when the GraphQL variables are not JSON', () => {
    const broken = () => build({ body: body({ mode: 'graphql', graphql: { query: '{ a }', variables: '{ nope' } }) })
    expect(broken).toThrowError(InvalidBodyError)
    expect(broken).toThrowError(/GraphQL variables are not valid JSON/)
  })
})

describe('settings and dynamic values', () => {
  it('uses the app timeout when the request says 0', () => {
    expect(build({}).timeoutMs).toBe(30_000)
    const own = build({ settings: { timeoutMs: 500, followRedirects: false, maxRedirects: 3 } })
    expect(own).toMatchObject({ timeoutMs: 500, followRedirects: false, maxRedirects: 3 })
  })

  it('uses the pinned clock for dynamic variables', () => {
    const prepared = buildPreparedRequest(snapshot({ url: 'https://x.io/?t={{$timestamp}}' }), {
      scopes: [],
      ancestorsAuth: [],
      defaults: { timeoutMs: 1 },
      dynamic: fixedDynamic(1_700_000_000_000),
    })
    expect(prepared.url).toBe('https://x.io/?t=1700000000')
  })
})
