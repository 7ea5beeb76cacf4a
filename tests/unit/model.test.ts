import { describe, expect, it } from 'vitest'
import { Request } from '../../src/domain/model'

describe('the entity model', () => {
  it('fills a new request with defaults a user would expect', () => {
    const request = Request.parse({ id: 'r1', parentId: 'c1', collectionId: 'c1' })
    expect(request.method).toBe('GET')
    expect(request.body.mode).toBe('none')
    expect(request.auth.type).toBe('inherit')
    expect(request.settings.followRedirects).toBe(true)
  })

  it('rejects a record whose fields have the wrong types', () => {
    expect(Request.safeParse({ id: 'r1', parentId: 'c1', collectionId: 'c1', headers: 'nope' }).success).toBe(false)
  })
})
