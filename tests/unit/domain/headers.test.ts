import { describe, expect, it } from 'vitest'
import { COMMON_HEADER_VALUES, COMMON_REQUEST_HEADERS, isValidHeaderName, isValidMethod, STANDARD_METHODS, suggestHeaderNames, suggestHeaderValues } from '../../../src/domain/headers'

describe('header and method suggestions', () => {
  it('offers the usual header names', () => {
    for (const name of ['Accept', 'Authorization', 'Cache-Control', 'Content-Type', 'User-Agent'])
      expect(COMMON_REQUEST_HEADERS).toContain(name)
    expect(COMMON_HEADER_VALUES['content-type']).toContain('application/json')
  })

  it('suggests names that start with what was typed first', () => {
    const suggestions = suggestHeaderNames('con')
    expect(suggestions.slice(0, 4)).toEqual(['Connection', 'Content-Encoding', 'Content-Length', 'Content-Type'])
    expect(suggestHeaderNames('request')).toEqual(['X-Request-ID', 'X-Requested-With'])
    expect(suggestHeaderNames('zzz')).toEqual([])
  })

  it('suggests values for a header whatever its case', () => {
    expect(suggestHeaderValues('CONTENT-TYPE', 'json')).toEqual(['application/json', 'application/json; charset=utf-8'])
    expect(suggestHeaderValues('X-Unknown')).toEqual([])
  })

  it('lists the standard methods', () => {
    expect(STANDARD_METHODS).toEqual(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'])
  })

  it('accepts custom methods that are HTTP tokens and refuses the rest', () => {
    for (const method of ['GET', 'PURGE', 'LINK', 'M-SEARCH', 'x_custom'])
      expect(isValidMethod(method)).toBe(true)
    for (const method of ['', 'GET POST', 'A:B', 'É', 'A(B)'])
      expect(isValidMethod(method)).toBe(false)
    expect(isValidHeaderName('X-Api-Key')).toBe(true)
    expect(isValidHeaderName('Bad Header')).toBe(false)
  })
})
