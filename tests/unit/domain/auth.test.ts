import { describe, expect, it } from 'vitest'
import { authHeadersAndQuery, authSource, base64Utf8, effectiveAuth } from '../../../src/domain/auth'
import { resolveString } from '../../../src/domain/variables'
import { auth, scope } from './factories'

describe('which auth a request uses', () => {
  const folderBearer = auth({ type: 'bearer', bearer: { token: 'folder' } })
  const collectionBasic = auth({ type: 'basic', basic: { username: 'u', password: 'p' } })
  const inherit = auth({ type: 'inherit' })

  it('uses its own auth when it has one', () => {
    const own = auth({ type: 'apikey', apikey: { key: 'X-Key', value: '1', in: 'header' } })
    expect(effectiveAuth(own, [folderBearer, collectionBasic])).toBe(own)
    expect(authSource(own, [folderBearer])).toBe(-1)
  })

  it('inherits from the nearest folder that sets one', () => {
    expect(effectiveAuth(inherit, [inherit, folderBearer, collectionBasic])).toBe(folderBearer)
    expect(authSource(inherit, [inherit, folderBearer, collectionBasic])).toBe(1)
  })

  it('inherits from the collection when every folder inherits', () => {
    expect(effectiveAuth(inherit, [inherit, inherit, collectionBasic])).toBe(collectionBasic)
  })

  it('means no auth when nothing up the chain sets one', () => {
    expect(effectiveAuth(inherit, [inherit]).type).toBe('none')
    expect(effectiveAuth(inherit, []).type).toBe('none')
    expect(authSource(inherit, [inherit])).toBeNull()
  })

  it('an explicit "none" stops the inheritance', () => {
    expect(effectiveAuth(inherit, [auth({ type: 'none' }), collectionBasic]).type).toBe('none')
  })
})

describe('what an auth adds to the request', () => {
  it('adds nothing for none and inherit', () => {
    expect(authHeadersAndQuery(auth({ type: 'none' }))).toEqual({ headers: [], query: [] })
    expect(authHeadersAndQuery(auth({ type: 'inherit' }))).toEqual({ headers: [], query: [] })
  })

  it('encodes basic credentials, accents included', () => {
    const basic = auth({ type: 'basic', basic: { username: 'Aladdin', password: 'open sesame' } })
    expect(authHeadersAndQuery(basic).headers).toEqual([['Authorization', 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==']])
    expect(base64Utf8('zoë:pässwörd✓')).toBe(Buffer.from('zoë:pässwörd✓', 'utf8').toString('base64'))
  })

  it('sends a bearer token with its variables resolved', () => {
    const scopes = [scope('environment', { token: 'abc123' })]
    const bearer = auth({ type: 'bearer', bearer: { token: '{{token}}' } })
    expect(authHeadersAndQuery(bearer, text => resolveString(text, scopes)).headers).toEqual([['Authorization', 'Bearer abc123']])
  })

  it('skips an empty bearer token', () => {
    expect(authHeadersAndQuery(auth({ type: 'bearer' })).headers).toEqual([])
  })

  it('puts an API key in a header or in the query', () => {
    const inHeader = auth({ type: 'apikey', apikey: { key: 'X-Api-Key', value: 'secret', in: 'header' } })
    const inQuery = auth({ type: 'apikey', apikey: { key: 'api_key', value: 'secret', in: 'query' } })
    expect(authHeadersAndQuery(inHeader)).toEqual({ headers: [['X-Api-Key', 'secret']], query: [] })
    expect(authHeadersAndQuery(inQuery)).toEqual({ headers: [], query: [['api_key', 'secret']] })
    expect(authHeadersAndQuery(auth({ type: 'apikey' }))).toEqual({ headers: [], query: [] })
  })
})
