/**
 * Reading a response for display: what kind of body it is (even when the
 * server mislabels it), its text in the right charset, pretty JSON and XML,
 * cookies, and sizes and durations in words.
 */

export type BodyKind = 'json' | 'xml' | 'html' | 'image' | 'text' | 'binary'

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaType(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase()
}

/** The charset parameter of a Content-Type header, or null. */
export function charsetOf(contentType: string | null | undefined): string | null {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')
  return match ? match[1].toLowerCase() : null
}

function kindOfMediaType(type: string): BodyKind | null {
  if (type === '')
    return null
  if (type === 'application/json' || type === 'text/json' || type.endsWith('+json') || type === 'application/x-ndjson')
    return 'json'
  if (type === 'text/html' || type === 'application/xhtml+xml')
    return 'html'
  if (type.startsWith('image/'))
    return 'image'
  if (type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml'))
    return 'xml'
  if (type.startsWith('text/') || ['application/javascript', 'application/x-javascript', 'application/ecmascript', 'application/x-www-form-urlencoded', 'application/graphql', 'application/yaml', 'application/x-yaml', 'application/toml'].includes(type))
    return 'text'
  return 'binary'
}

// Servers often send JSON as text/plain or octet-stream, or nothing at all.
const SNIFFED_TYPES = new Set(['', 'application/octet-stream', 'text/plain', 'binary/octet-stream', 'application/unknown'])

/** What kind of body this is: from the Content-Type, or sniffed from the bytes when it is missing or vague. */
export function detectBodyKind(contentType: string | null | undefined, bytes: Uint8Array): BodyKind {
  const type = mediaType(contentType)
  const declared = kindOfMediaType(type)
  if (declared !== null && !SNIFFED_TYPES.has(type))
    return declared
  return sniffBodyKind(bytes) ?? declared ?? 'text'
}

const IMAGE_SIGNATURES: number[][] = [
  [0x89, 0x50, 0x4E, 0x47], // PNG
  [0xFF, 0xD8, 0xFF], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF
  [0x42, 0x4D], // BMP
  [0x00, 0x00, 0x01, 0x00], // ICO
]

function startsWithBytes(bytes: Uint8Array, signature: readonly number[]): boolean {
  return signature.every((byte, index) => bytes[index] === byte)
}

/** The kind the bytes look like, or null for an empty body. */
function sniffBodyKind(bytes: Uint8Array): BodyKind | null {
  if (bytes.length === 0)
    return null
  if (IMAGE_SIGNATURES.some(signature => startsWithBytes(bytes, signature)))
    return 'image'
  // RIFF....WEBP
  if (startsWithBytes(bytes, [0x52, 0x49, 0x46, 0x46]) && String.fromCharCode(...bytes.subarray(8, 12)) === 'WEBP')
    return 'image'
  const head = bytes.subarray(0, 1024)
  if (!looksLikeText(head))
    return 'binary'
  const text = new TextDecoder('utf-8').decode(head).trimStart()
  const lower = text.slice(0, 100).toLowerCase()
  if (lower.startsWith('<!doctype html') || lower.startsWith('<html'))
    return 'html'
  if (lower.startsWith('<?xml') || lower.startsWith('<svg'))
    return lower.includes('<svg') ? 'image' : 'xml'
  if (text.startsWith('<') && /^<[a-z_][\w.-]*(?:\s[^>]*)?\/?>/i.test(text))
    return 'xml'
  if ((text.startsWith('{') || text.startsWith('[')) && isJson(new TextDecoder('utf-8').decode(bytes)))
    return 'json'
  return 'text'
}

function looksLikeText(bytes: Uint8Array): boolean {
  // UTF-16 text starts with a byte order mark and is full of zero bytes.
  if (startsWithBytes(bytes, [0xFF, 0xFE]) || startsWithBytes(bytes, [0xFE, 0xFF]))
    return true
  let control = 0
  for (const byte of bytes) {
    if (byte === 0)
      return false
    if (byte < 0x09 || (byte > 0x0D && byte < 0x20))
      control++
  }
  return control <= bytes.length / 20
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  }
  catch {
    return false
  }
}

/** The body as text, in the charset of its Content-Type (or its byte order mark, else UTF-8). */
export function decodeText(bytes: Uint8Array, contentType?: string | null): string {
  let label = charsetOf(contentType)
  if (startsWithBytes(bytes, [0xFF, 0xFE]))
    label = 'utf-16le'
  else if (startsWithBytes(bytes, [0xFE, 0xFF]))
    label = 'utf-16be'
  try {
    return new TextDecoder(label ?? 'utf-8').decode(bytes)
  }
  catch {
    // An unknown charset name: UTF-8 is the best guess for an API.
    return new TextDecoder('utf-8').decode(bytes)
  }
}

/**
 * JSON re-indented without parsing its values, so big numbers like
 * 12345678901234567890 keep every digit. Invalid JSON comes back unchanged.
 */
export function prettyJson(text: string, indent = 2): string {
  if (!isJson(text))
    return text
  const pad = ' '.repeat(indent)
  let out = ''
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    switch (char) {
      case '"': {
        // Copy the whole string at once; it is valid JSON, so it ends.
        let end = i + 1
        while (text[end] !== '"')
          end += text[end] === '\\' ? 2 : 1
        out += text.slice(i, end + 1)
        i = end
        break
      }
      case '{':
      case '[': {
        // Keep empty objects and arrays on one line.
        let next = i + 1
        while (next < text.length && ' \t\n\r'.includes(text[next]))
          next++
        if (text[next] === (char === '{' ? '}' : ']')) {
          out += char === '{' ? '{}' : '[]'
          i = next
          break
        }
        depth++
        out += `${char}\n${pad.repeat(depth)}`
        break
      }
      case '}':
      case ']':
        depth--
        out += `\n${pad.repeat(depth)}${char}`
        break
      case ',':
        out += `,\n${pad.repeat(depth)}`
        break
      case ':':
        out += ': '
        break
      case ' ':
      case '\t':
      case '\n':
      case '\r':
        break
      default:
        out += char
    }
  }
  return out
}

/**
 * XML indented one element per line; an element holding only text stays on
 * one line. Text that is not well-formed enough to indent comes back unchanged.
 */
export function prettyXml(text: string, indent = 2): string {
  const tokens = text.match(/<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<[^>]+>|[^<]+/g)
  if (!tokens)
    return text
  const pad = ' '.repeat(indent)
  const lines: string[] = []
  const open: string[] = []
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]
    const line = pad.repeat(open.length)
    if (token.startsWith('</')) {
      const name = token.slice(2, -1).trim()
      if (open.pop() !== name)
        return text
      lines.push(pad.repeat(open.length) + token)
    }
    else if (token.startsWith('<?') || token.startsWith('<!') || token.endsWith('/>')) {
      lines.push(line + token)
    }
    else if (token.startsWith('<')) {
      const name = /^<([^\s/>]+)/.exec(token)?.[1] ?? ''
      const next = tokens[i + 1]
      const after = tokens[i + 2]
      if (next !== undefined && !next.startsWith('<') && after === `</${name}>`) {
        lines.push(line + token + next.trim() + after)
        i += 2
        continue
      }
      if (next === `</${name}>`) {
        lines.push(line + token + next)
        i += 1
        continue
      }
      open.push(name)
      lines.push(line + token)
    }
    else if (token.trim() !== '') {
      lines.push(line + token.trim())
    }
  }
  return open.length === 0 ? lines.join('\n') : text
}

/** A cookie the server set, as the Cookies tab shows it. */
export interface ResponseCookie {
  name: string
  value: string
  domain?: string
  path?: string
  expires?: Date
  maxAge?: number
  httpOnly: boolean
  secure: boolean
  sameSite?: 'Strict' | 'Lax' | 'None'
}

/**
 * Cookies from Set-Cookie header values. Accepts one value, several, or
 * several joined with commas (as `fetch` joins them) — commas inside an
 * Expires date are not taken for separators.
 */
export function parseSetCookie(headerValue: string | readonly string[]): ResponseCookie[] {
  const values = typeof headerValue === 'string' ? [headerValue] : headerValue
  const cookies: ResponseCookie[] = []
  for (const value of values) {
    for (const part of value.split(/,(?=\s*[^;,\s=]+=)/)) {
      const cookie = parseOneCookie(part)
      if (cookie)
        cookies.push(cookie)
    }
  }
  return cookies
}

function parseOneCookie(text: string): ResponseCookie | null {
  const [pair, ...attributes] = text.split(';')
  const equals = pair.indexOf('=')
  if (equals <= 0)
    return null
  const cookie: ResponseCookie = { name: pair.slice(0, equals).trim(), value: pair.slice(equals + 1).trim(), httpOnly: false, secure: false }
  for (const attribute of attributes) {
    const [rawKey, ...rest] = attribute.split('=')
    const key = rawKey.trim().toLowerCase()
    const value = rest.join('=').trim()
    if (key === 'domain' && value)
      cookie.domain = value.replace(/^\./, '')
    else if (key === 'path' && value)
      cookie.path = value
    else if (key === 'expires' && value && !Number.isNaN(Date.parse(value)))
      cookie.expires = new Date(value)
    else if (key === 'max-age' && /^-?\d+$/.test(value))
      cookie.maxAge = Number(value)
    else if (key === 'httponly')
      cookie.httpOnly = true
    else if (key === 'secure')
      cookie.secure = true
    else if (key === 'samesite') {
      const sameSite = value.toLowerCase()
      if (sameSite === 'strict' || sameSite === 'lax' || sameSite === 'none')
        cookie.sameSite = sameSite === 'strict' ? 'Strict' : sameSite === 'lax' ? 'Lax' : 'None'
    }
  }
  return cookie
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB']

/** "512 B", "1.5 KB", "12 MB" (1 KB = 1024 B, as Postman shows sizes). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0)
    return '—'
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024
    unit++
  }
  if (unit === 0)
    return `${value} B`
  const rounded = value >= 100 ? Math.round(value) : Math.round(value * 100) / 100
  return `${rounded} ${BYTE_UNITS[unit]}`
}

/** "87 ms", "1.24 s", "2 m 5 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0)
    return '—'
  if (ms < 1000)
    return `${Math.round(ms)} ms`
  if (ms < 60_000)
    return `${Math.round(ms / 10) / 100} s`
  const minutes = Math.floor(ms / 60_000)
  const seconds = Math.round((ms % 60_000) / 1000)
  return seconds === 0 ? `${minutes} m` : `${minutes} m ${seconds} s`
}

/**
 * Cuts a body so its UTF-8 form fits in `limit` bytes (see EXAMPLE_BODY_LIMIT
 * and HISTORY_BODY_LIMIT), never in the middle of a character.
 */
export function truncateBody(text: string, limit: number): { body: string, truncated: boolean } {
  // Most bodies are small: skip encoding when even 3 bytes per char would fit.
  if (text.length * 3 <= limit)
    return { body: text, truncated: false }
  const bytes = new TextEncoder().encode(text)
  if (bytes.length <= limit)
    return { body: text, truncated: false }
  let end = Math.max(0, limit)
  // Step back over continuation bytes (10xxxxxx) to a character boundary.
  while (end > 0 && (bytes[end] & 0xC0) === 0x80)
    end--
  return { body: new TextDecoder('utf-8').decode(bytes.subarray(0, end)), truncated: true }
}
