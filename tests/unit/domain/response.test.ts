import { describe, expect, it } from 'vitest'
import { charsetOf, decodeText, detectBodyKind, formatBytes, formatDuration, parseSetCookie, prettyJson, prettyXml, truncateBody } from '../../../src/domain/response'
import { EXAMPLE_BODY_LIMIT } from '../../../src/domain/model'

const bytes = (text: string) => new TextEncoder().encode(text)

describe('what kind of body came back', () => {
  it('trusts a specific Content-Type', () => {
    expect(detectBodyKind('application/json; charset=utf-8', bytes('{}'))).toBe('json')
    expect(detectBodyKind('application/problem+json', bytes('{}'))).toBe('json')
    expect(detectBodyKind('application/xml', bytes('<a/>'))).toBe('xml')
    expect(detectBodyKind('application/atom+xml', bytes('<a/>'))).toBe('xml')
    expect(detectBodyKind('text/html', bytes('<p>'))).toBe('html')
    expect(detectBodyKind('image/png', new Uint8Array([1, 2]))).toBe('image')
    expect(detectBodyKind('text/css', bytes('a{}'))).toBe('text')
    expect(detectBodyKind('application/pdf', bytes('%PDF'))).toBe('binary')
  })

  it('sniffs the bytes when the Content-Type is missing or vague', () => {
    expect(detectBodyKind(null, bytes(' {"a": 1}'))).toBe('json')
    expect(detectBodyKind('text/plain', bytes('[1, 2]'))).toBe('json')
    expect(detectBodyKind('', bytes('<!DOCTYPE html><html></html>'))).toBe('html')
    expect(detectBodyKind(undefined, bytes('<?xml version="1.0"?><a/>'))).toBe('xml')
    expect(detectBodyKind('application/octet-stream', bytes('<note><to>x</to></note>'))).toBe('xml')
    expect(detectBodyKind('application/octet-stream', new Uint8Array([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A]))).toBe('image')
    expect(detectBodyKind(null, new Uint8Array([0xFF, 0xD8, 0xFF, 0xE0]))).toBe('image')
    expect(detectBodyKind(null, new Uint8Array([0x00, 0x01, 0x02, 0x03]))).toBe('binary')
    expect(detectBodyKind(null, bytes('hello, world'))).toBe('text')
    expect(detectBodyKind(null, bytes('{not json'))).toBe('text')
    expect(detectBodyKind(null, new Uint8Array())).toBe('text')
    expect(detectBodyKind('text/plain', bytes('plain words'))).toBe('text')
  })
})

describe('decoding text', () => {
  it('uses the charset of the Content-Type', () => {
    expect(charsetOf('text/html; charset="ISO-8859-1"')).toBe('iso-8859-1')
    expect(decodeText(new Uint8Array([0x63, 0x61, 0x66, 0xE9]), 'text/plain; charset=iso-8859-1')).toBe('café')
  })

  it('reads UTF-8 by default and drops its byte order mark', () => {
    expect(decodeText(bytes('\uFEFFzoë'))).toBe('zoë')
    expect(decodeText(bytes('zoë'), 'text/plain; charset=nonsense')).toBe('zoë')
  })

  it('reads UTF-16 marked by its byte order mark', () => {
    expect(decodeText(new Uint8Array([0xFF, 0xFE, 0x68, 0x00, 0x69, 0x00]), 'application/json')).toBe('hi')
  })
})

describe('pretty printing', () => {
  it('indents JSON and keeps big numbers exact', () => {
    expect(prettyJson('{"id":12345678901234567890,"tags":["a","b"],"empty":{},"none":[ ],"s":"a,b:{c}\\"q"}')).toBe(
      '{\n  "id": 12345678901234567890,\n  "tags": [\n    "a",\n    "b"\n  ],\n  "empty": {},\n  "none": [],\n  "s": "a,b:{c}\\"q"\n}',
    )
  })

  it('gives invalid JSON back as it was', () => {
    expect(prettyJson('{"a": ')).toBe('{"a": ')
    expect(prettyJson('')).toBe('')
  })

  it('indents XML with text elements on one line', () => {
    expect(prettyXml('<?xml version="1.0"?><note id="1"><to>Tove</to><empty/><from>Jani</from><e></e></note>')).toBe(
      '<?xml version="1.0"?>\n<note id="1">\n  <to>Tove</to>\n  <empty/>\n  <from>Jani</from>\n  <e></e>\n</note>',
    )
  })

  it('gives unbalanced XML back as it was', () => {
    expect(prettyXml('<a><b></a>')).toBe('<a><b></a>')
    expect(prettyXml('just text')).toBe('just text')
  })
})

describe('cookies the server set', () => {
  it('reads every attribute', () => {
    const [cookie] = parseSetCookie('session=abc=123; Domain=.example.com; Path=/app; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Max-Age=3600; HttpOnly; Secure; SameSite=lax')
    expect(cookie).toEqual({
      name: 'session',
      value: 'abc=123',
      domain: 'example.com',
      path: '/app',
      expires: new Date('2026-10-21T07:28:00Z'),
      maxAge: 3600,
      httpOnly: true,
      secure: true,
      sameSite: 'Lax',
    })
  })

  it('splits cookies joined with commas but not dates', () => {
    const cookies = parseSetCookie('a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT, b=2; Path=/')
    expect(cookies.map(c => [c.name, c.value])).toEqual([['a', '1'], ['b', '2']])
    expect(parseSetCookie(['x=1', 'y=2; HttpOnly']).map(c => c.name)).toEqual(['x', 'y'])
  })

  it('skips text that is not a cookie', () => {
    expect(parseSetCookie('garbage')).toEqual([])
    expect(parseSetCookie('=novalue')).toEqual([])
  })
})

describe('sizes and durations in words', () => {
  it('formats sizes', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(1536)).toBe('1.5 KB')
    expect(formatBytes(5 * 1024 * 1024)).toBe('5 MB')
    expect(formatBytes(200 * 1024)).toBe('200 KB')
    expect(formatBytes(-1)).toBe('—')
  })

  it('formats durations', () => {
    expect(formatDuration(87.4)).toBe('87 ms')
    expect(formatDuration(1234)).toBe('1.23 s')
    expect(formatDuration(125_000)).toBe('2 m 5 s')
    expect(formatDuration(120_000)).toBe('2 m')
  })
})

describe('keeping bodies small', () => {
  it('keeps a body that fits', () => {
    expect(truncateBody('small', 10)).toEqual({ body: 'small', truncated: false })
    expect(truncateBody('ééé', 6)).toEqual({ body: 'ééé', truncated: false })
  })

  it('cuts a body at a character boundary', () => {
    expect(truncateBody('aéb', 2)).toEqual({ body: 'a', truncated: true })
    expect(truncateBody('ab😀', 5)).toEqual({ body: 'ab', truncated: true })
  })

  it('cuts a body larger than an example may keep', () => {
    const { body, truncated } = truncateBody('x'.repeat(EXAMPLE_BODY_LIMIT + 10), EXAMPLE_BODY_LIMIT)
    expect(truncated).toBe(true)
    expect(body.length).toBe(EXAMPLE_BODY_LIMIT)
  })
})
