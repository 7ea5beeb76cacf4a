import { describe, expect, it } from 'vitest'
import { appendQueryParam, applyParamsToUrl, ensureProtocol, fillPathVariables, parseQueryParams, pathVariableNames, splitUrl, syncParamsFromUrl, syncPathVariables, urlAuthority, mapQuery, escapeQueryText } from '../../../src/domain/url'
import { row } from './factories'

const makeId = (() => {
  let n = 0
  return () => `new-${++n}`
})()

describe('reading query parameters from the URL', () => {
  it('reads key=value pairs in order, as typed', () => {
    expect(parseQueryParams('https://x.io/search?q=hello%20world&page=2')).toEqual([
      { key: 'q', value: 'hello%20world' },
      { key: 'page', value: '2' },
    ])
  })

  it('handles the edge cases people type', () => {
    expect(parseQueryParams('')).toEqual([])
    expect(parseQueryParams('https://x.io')).toEqual([])
    expect(parseQueryParams('https://x.io?')).toEqual([])
    expect(parseQueryParams('https://x.io?a')).toEqual([{ key: 'a', value: '' }])
    expect(parseQueryParams('https://x.io?a=')).toEqual([{ key: 'a', value: '' }])
    expect(parseQueryParams('https://x.io?a=1&a=2')).toEqual([{ key: 'a', value: '1' }, { key: 'a', value: '2' }])
    expect(parseQueryParams('https://x.io?a=1&&b=2')).toEqual([{ key: 'a', value: '1' }, { key: '', value: '' }, { key: 'b', value: '2' }])
    expect(parseQueryParams('https://x.io?expr=a=b=c')).toEqual([{ key: 'expr', value: 'a=b=c' }])
  })

  it('stops at the #fragment', () => {
    expect(parseQueryParams('https://x.io?a=1#section?b=2')).toEqual([{ key: 'a', value: '1' }])
    expect(splitUrl('https://x.io/p?a=1#frag')).toEqual({ base: 'https://x.io/p', query: 'a=1', fragment: 'frag' })
  })

  it('does not cut inside {{variables}}', () => {
    expect(parseQueryParams('{{base}}?token={{a&b}}&x={{y}}')).toEqual([{ key: 'token', value: '{{a&b}}' }, { key: 'x', value: '{{y}}' }])
  })
})

describe('typing in the URL updates the Params table', () => {
  it('adds rows for new parameters', () => {
    const rows = syncParamsFromUrl('https://x.io?a=1&b=2', [], makeId)
    expect(rows.map(r => [r.key, r.value, r.enabled])).toEqual([['a', '1', true], ['b', '2', true]])
  })

  it('keeps ids and descriptions of rows matched by position', () => {
    const before = [row('a', '1', { description: 'first' }), row('b', '2', { description: 'second' })]
    const after = syncParamsFromUrl('https://x.io?a=10&bb=2', before, makeId)
    expect(after.map(r => [r.id, r.key, r.value, r.description])).toEqual([
      [before[0].id, 'a', '10', 'first'],
      [before[1].id, 'bb', '2', 'second'],
    ])
  })

  it('keeps disabled rows where they are', () => {
    const disabled = row('off', 'x', { enabled: false })
    const before = [row('a', '1'), disabled, row('b', '2')]
    const after = syncParamsFromUrl('https://x.io?a=1&b=3', before, makeId)
    expect(after[1]).toBe(disabled)
    expect(after.map(r => r.key + '=' + r.value)).toEqual(['a=1', 'off=x', 'b=3'])
  })

  it('removes rows whose parameter was deleted from the URL', () => {
    const before = [row('a', '1'), row('b', '2')]
    expect(syncParamsFromUrl('https://x.io?a=1', before, makeId).map(r => r.key)).toEqual(['a'])
    expect(syncParamsFromUrl('https://x.io', before, makeId)).toEqual([])
  })

  it('returns the same rows when nothing changed', () => {
    const before = [row('a', '1')]
    expect(syncParamsFromUrl('https://x.io?a=1#top', before, makeId)).toBe(before)
  })
})

describe('editing the Params table rewrites the URL', () => {
  it('writes enabled rows only', () => {
    const rows = [row('a', '1'), row('b', '2', { enabled: false }), row('c', '3')]
    expect(applyParamsToUrl('https://x.io/p', rows)).toBe('https://x.io/p?a=1&c=3')
  })

  it('keeps the #fragment', () => {
    expect(applyParamsToUrl('https://x.io/p?old=1#frag', [row('a', '1')])).toBe('https://x.io/p?a=1#frag')
  })

  it('never re-encodes what the user typed and keeps {{vars}}', () => {
    const url = '{{baseUrl}}/search?q=hello%20world&name=Zoë&t={{token}}'
    expect(applyParamsToUrl(url, syncParamsFromUrl(url, [], makeId))).toBe(url)
    expect(applyParamsToUrl('{{baseUrl}}/p', [row('q', 'a b %41'), row('t', '{{token}}')])).toBe('{{baseUrl}}/p?q=a b %41&t={{token}}')
  })

  it('round-trips every edge case unchanged', () => {
    for (const url of ['', 'https://x.io', 'https://x.io?', 'https://x.io?a', 'https://x.io?a=', 'https://x.io?a=1&a=2', 'https://x.io?a=1&&b=2', 'https://x.io?expr=a=b', 'https://x.io?q=%26%3D#f']) {
      const rows = syncParamsFromUrl(url, [], makeId)
      expect(applyParamsToUrl(url, rows)).toBe(url)
    }
  })

  it('escapes only characters that would cut the query apart', () => {
    expect(applyParamsToUrl('https://x.io', [row('a&b', 'c&d#e=f')])).toBe('https://x.io?a%26b=c%26d%23e=f')
    expect(applyParamsToUrl('https://x.io', [row('k=v', '1')])).toBe('https://x.io?k%3Dv=1')
  })

  it('writes a key with no value as a bare key', () => {
    expect(applyParamsToUrl('https://x.io', [row('flag', '')])).toBe('https://x.io?flag')
    expect(applyParamsToUrl('https://x.io?flag=1', [row('flag', '')])).toBe('https://x.io?flag=')
  })

  it('ignores a blank new row and drops the ? when the last row goes', () => {
    expect(applyParamsToUrl('https://x.io?a=1', [row('a', '1'), row('', '')])).toBe('https://x.io?a=1')
    expect(applyParamsToUrl('https://x.io?a=1#f', [])).toBe('https://x.io#f')
  })

  it('changes one parameter and leaves the others exactly as typed', () => {
    const url = 'https://x.io?a&b=%20&c=3'
    const rows = syncParamsFromUrl(url, [], makeId)
    rows[2] = { ...rows[2], value: '4' }
    expect(applyParamsToUrl(url, rows)).toBe('https://x.io?a&b=%20&c=4')
  })
})

describe('path variables', () => {
  it('finds :name segments of the path', () => {
    expect(pathVariableNames('https://api.io/users/:userId/posts/:postId?x=:no')).toEqual(['userId', 'postId'])
  })

  it('does not take a port or a {{variable}} for one', () => {
    expect(pathVariableNames('http://localhost:3000/users/:id')).toEqual(['id'])
    expect(pathVariableNames('localhost:3000/users/:id')).toEqual(['id'])
    expect(pathVariableNames('{{host}}:{{port}}/a/{{x:y}}/:id')).toEqual(['id'])
    expect(pathVariableNames('https://{{host}}/a:b/:c')).toEqual(['c'])
  })

  it('lists a repeated name once', () => {
    expect(pathVariableNames('https://x.io/:id/:id')).toEqual(['id'])
    expect(pathVariableNames('')).toEqual([])
  })

  it('keeps values of names still in the URL and drops the others', () => {
    const id = row('id', '42', { description: 'the user' })
    const gone = row('old', 'x')
    const after = syncPathVariables('https://x.io/users/:id/:tab', [gone, id], makeId)
    expect(after[0]).toBe(id)
    expect(after[1]).toMatchObject({ key: 'tab', value: '' })
    expect(after).toHaveLength(2)
  })

  it('returns the same rows when nothing changed', () => {
    const rows = [row('id', '1')]
    expect(syncPathVariables('https://x.io/:id', rows, makeId)).toBe(rows)
  })

  it('fills values in and leaves empty ones as typed', () => {
    const rows = [row('id', '42'), row('tab', '')]
    expect(fillPathVariables('https://x.io:8080/users/:id/:tab?id=:id#:id', rows)).toBe('https://x.io:8080/users/42/:tab?id=:id#:id')
  })
})

describe('URL helpers', () => {
  it('adds http:// when there is no scheme', () => {
    expect(ensureProtocol('localhost:3000/x')).toBe('http://localhost:3000/x')
    expect(ensureProtocol('example.com')).toBe('http://example.com')
    expect(ensureProtocol('//example.com/x')).toBe('http://example.com/x')
    expect(ensureProtocol('https://example.com')).toBe('https://example.com')
    expect(ensureProtocol('  HTTP://example.com ')).toBe('HTTP://example.com')
    expect(ensureProtocol('')).toBe('')
  })

  it('takes scheme, host and port apart from the rest', () => {
    expect(urlAuthority('https://{{host}}:8080/a/b?c#d')).toBe('https://{{host}}:8080')
    expect(urlAuthority('{{baseUrl}}/users')).toBe('{{baseUrl}}')
    expect(urlAuthority('example.com?x=/y')).toBe('example.com')
  })

  it('rewrites query keys and values one by one', () => {
    const upper = (text: string, part: 'key' | 'value') => part === 'key' ? text.toUpperCase() : `<${text}>`
    expect(mapQuery('https://x.io/p?a=1&&b&c=x=y#f', upper)).toBe('https://x.io/p?A=<1>&&B&C=<x=y>#f')
    expect(mapQuery('https://x.io/p', upper)).toBe('https://x.io/p')
    expect(escapeQueryText('a=b&c#d', 'key')).toBe('a%3Db%26c%23d')
    expect(escapeQueryText('a=b&c#d', 'value')).toBe('a=b%26c%23d')
  })

  it('appends an encoded query parameter before the fragment', () => {
    expect(appendQueryParam('https://x.io/p#f', 'api key', 'a&b')).toBe('https://x.io/p?api%20key=a%26b#f')
    expect(appendQueryParam('https://x.io/p?a=1', 'k', 'v')).toBe('https://x.io/p?a=1&k=v')
  })
})
