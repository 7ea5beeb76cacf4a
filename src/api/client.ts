/**
 * A small JSON client for the server's /api routes: same origin, cookies
 * included, bodies checked with zod, error answers turned into ApiError with
 * the server's own sentence.
 */
import type { z } from 'zod/mini'
import { ApiError, ServerUnreachableError } from './errors'
import { ErrorBodySchema } from './schemas'

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>

export interface ApiClientOptions {
  /** Where the server is; default '' (the page's own origin). Tests give http://localhost:port. */
  baseUrl?: string
  /** The fetch to use; default the global one. Tests give one that keeps cookies. */
  fetch?: FetchLike
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE'

export interface ApiClient {
  /** Sends a request and returns the answer parsed by `schema`. */
  request: <S extends z.ZodMiniType>(method: HttpMethod, path: string, schema: S, body?: unknown) => Promise<z.infer<S>>
  /** Sends a request whose success answer has no body worth reading (204). */
  send: (method: HttpMethod, path: string, body?: unknown) => Promise<void>
}

/** Makes a client bound to one server. */
export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const baseUrl = options.baseUrl ?? ''
  const fetchFn: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init))

  /** The raw answer text of a successful request; error answers and network failures throw. */
  async function exchange(method: HttpMethod, path: string, body: unknown): Promise<{ status: number, text: string }> {
    // The server refuses state-changing requests without a JSON content type (CSRF protection), even empty ones.
    const hasBody = method !== 'GET'
    let response: Response
    try {
      response = await fetchFn(`${baseUrl}${path}`, {
        method,
        credentials: 'include',
        headers: hasBody ? { 'content-type': 'application/json', 'accept': 'application/json' } : { accept: 'application/json' },
        body: hasBody ? JSON.stringify(body ?? {}) : undefined,
      })
    }
    catch (error) {
      throw new ServerUnreachableError(error)
    }
    const text = await response.text().catch((error: unknown) => {
      throw new ServerUnreachableError(error)
    })
    if (!response.ok)
      throw errorFrom(response, text)
    return { status: response.status, text }
  }

  async function request<S extends z.ZodMiniType>(method: HttpMethod, path: string, schema: S, body?: unknown): Promise<z.infer<S>> {
    const { status, text } = await exchange(method, path, body)
    const parsed = schema.safeParse(parseJson(text))
    if (!parsed.success)
      throw new ApiError(`The server sent an answer Pigeon does not understand (${method} ${path}). Reload the app; if it keeps happening, the server may be a different version.`, status, 'unexpected_answer')
    return parsed.data
  }

  async function send(method: HttpMethod, path: string, body?: unknown): Promise<void> {
    await exchange(method, path, body)
  }

  return { request, send }
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null
  }
  catch {
    return undefined
  }
}

/** The ApiError for an error answer, keeping the server's sentence when it sent one. */
function errorFrom(response: Response, text: string): ApiError {
  const body = ErrorBodySchema.safeParse(parseJson(text))
  const headerRetry = Number(response.headers.get('retry-after'))
  if (body.success) {
    const retryAfter = body.data.retryAfter ?? (Number.isFinite(headerRetry) && headerRetry > 0 ? headerRetry : undefined)
    return new ApiError(body.data.message, response.status, body.data.error, retryAfter, body.data.devices)
  }
  // A proxy or gateway in front of the server answered instead of it.
  if (response.status >= 500)
    return new ApiError(`The Pigeon server did not answer properly (HTTP ${response.status}). Try again in a moment; your local work is safe.`, response.status, 'bad_gateway')
  return new ApiError(`The server refused the request (HTTP ${response.status}).`, response.status, 'unexpected_answer')
}
