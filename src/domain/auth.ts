/**
 * Authorization as Postman does it: a request or folder set to "inherit"
 * uses the nearest ancestor that says something else; the collection at the
 * top decides when everyone inherits.
 */
import { Auth } from './model'

/** The headers and query parameters an auth adds to a request. */
export interface AuthAdditions {
  headers: Array<[string, string]>
  query: Array<[string, string]>
}

const NO_AUTH: Auth = Auth.parse({ type: 'none' })

/**
 * Where the auth used by a request comes from: -1 for its own, the index in
 * `ancestors` (nearest folder first … collection last) for an inherited one,
 * null when nothing up the chain sets one.
 */
export function authSource(own: Auth, ancestors: readonly Auth[]): number | null {
  if (own.type !== 'inherit')
    return -1
  const index = ancestors.findIndex(auth => auth.type !== 'inherit')
  return index === -1 ? null : index
}

/** The auth a request really uses: its own, or the nearest ancestor's; inheriting from nothing means none. */
export function effectiveAuth(own: Auth, ancestors: readonly Auth[]): Auth {
  const source = authSource(own, ancestors)
  if (source === null)
    return NO_AUTH
  return source === -1 ? own : ancestors[source]
}

/**
 * The headers and query parameters for an auth whose fields may hold
 * variables; `resolve` turns `{{token}}` into its value. Empty credentials
 * add nothing (a bare "Bearer " helps nobody).
 */
export function authHeadersAndQuery(auth: Auth, resolve: (text: string) => string = text => text): AuthAdditions {
  const additions: AuthAdditions = { headers: [], query: [] }
  switch (auth.type) {
    case 'basic': {
      const username = resolve(auth.basic.username)
      const password = resolve(auth.basic.password)
      if (username !== '' || password !== '')
        additions.headers.push(['Authorization', `Basic ${base64Utf8(`${username}:${password}`)}`])
      break
    }
    case 'bearer': {
      const token = resolve(auth.bearer.token).trim()
      if (token !== '')
        additions.headers.push(['Authorization', `Bearer ${token}`])
      break
    }
    case 'apikey': {
      const key = resolve(auth.apikey.key).trim()
      if (key === '')
        break
      const value = resolve(auth.apikey.value)
      if (auth.apikey.in === 'query')
        additions.query.push([key, value])
      else
        additions.headers.push([key, value])
      break
    }
    case 'none':
    case 'inherit':
      break
  }
  return additions
}

/** Base64 of the UTF-8 bytes of `text` (btoa alone fails on "é"; Buffer is Node-only). */
export function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text)
  let binary = ''
  for (const byte of bytes)
    binary += String.fromCharCode(byte)
  return btoa(binary)
}
