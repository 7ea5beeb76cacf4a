/**
 * A real local HTTP server that requests are sent to in tests: it echoes what
 * it received, answers with chosen statuses, redirects, delays, large bodies
 * and every common content type. Start one per test file on a free port.
 *
 * Routes:
 * - /echo (any method): JSON { method, path, query, headers, rawHeaders, body, contentType, bodyBytes }
 * - /json, /html, /xml, /image.png (a real 1×1 PNG), /gzip (gzip-encoded JSON)
 * - /status/:code, /redirect/:n (n hops, then /echo), /redirect-to?url=&status=
 * - /delay/:ms (answers after ms), /bytes/:n (n bytes; ?chunked=1 leaves out Content-Length),
 *   /set-cookie (several Set-Cookie headers)
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import { gzipSync } from 'node:zlib'

export interface TargetServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 */
  url: string
  port: number
  close: () => Promise<void>
}

export interface TargetServerOptions {
  /** Answer with permissive CORS headers, preflights included (for the browser agent). */
  cors?: boolean
}

/** What /echo answers with. */
export interface EchoBody {
  method: string
  path: string
  query: Record<string, string | string[]>
  /** Header names lowercased; repeated headers joined by Node's rules. */
  headers: Record<string, string | string[] | undefined>
  /** Header names and values exactly as sent, in order: [name, value, name, value, …]. */
  rawHeaders: string[]
  /** The request body as UTF-8 text. */
  body: string
  /** The request body as base64, for binary uploads. */
  bodyBase64: string
  contentType: string | null
}

/** A real 1×1 transparent PNG. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
)

export const SAMPLE_JSON = { id: 1, name: 'Pigeon', tags: ['api', 'client'], nested: { ok: true } }

type Route = (req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer) => void

function send(res: ServerResponse, status: number, contentType: string, body: string | Buffer, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...headers })
  res.end(body)
}

function queryObject(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {}
  for (const [key, value] of url.searchParams) {
    const existing = query[key]
    query[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value]
  }
  return query
}

const routes: Array<[RegExp, Route]> = [
  [/^\/echo(\/.*)?$/, (req, res, url, body) => {
    const echo: EchoBody = {
      method: req.method ?? '',
      path: url.pathname,
      query: queryObject(url),
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      body: body.toString('utf8'),
      bodyBase64: body.toString('base64'),
      contentType: req.headers['content-type'] ?? null,
    }
    // HEAD gets the headers a GET would get, without the body.
    const text = JSON.stringify(echo)
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) })
    res.end(req.method === 'HEAD' ? undefined : text)
  }],
  [/^\/json$/, (_req, res) => send(res, 200, 'application/json; charset=utf-8', JSON.stringify(SAMPLE_JSON))],
  [/^\/status\/(\d{3})$/, (_req, res, url) => {
    const code = Number(url.pathname.split('/')[2])
    if (code === 204 || code === 304) {
      res.writeHead(code)
      res.end()
      return
    }
    send(res, code, 'text/plain; charset=utf-8', `status ${code}`)
  }],
  [/^\/redirect\/(\d+)$/, (_req, res, url) => {
    const n = Number(url.pathname.split('/')[2])
    const location = n <= 1 ? '/echo' : `/redirect/${n - 1}`
    send(res, 302, 'text/plain; charset=utf-8', `redirecting to ${location}`, { location })
  }],
  [/^\/redirect-to$/, (_req, res, url) => {
    const location = url.searchParams.get('url') ?? '/echo'
    const status = Number(url.searchParams.get('status') ?? 302)
    send(res, status, 'text/plain; charset=utf-8', `redirecting to ${location}`, { location })
  }],
  [/^\/delay\/(\d+)$/, (_req, res, url) => {
    const ms = Number(url.pathname.split('/')[2])
    const timer = setTimeout(() => send(res, 200, 'application/json; charset=utf-8', JSON.stringify({ delayedMs: ms })), ms)
    res.on('close', () => clearTimeout(timer))
  }],
  [/^\/bytes\/(\d+)$/, (_req, res, url) => {
    const n = Number(url.pathname.split('/')[2])
    const chunked = url.searchParams.get('chunked') === '1'
    res.writeHead(200, { 'content-type': 'application/octet-stream', ...(chunked ? {} : { 'content-length': n }) })
    // Written in chunks so a large answer never sits in memory whole.
    const chunk = Buffer.alloc(64 * 1024, 0x61)
    let left = n
    const writeMore = (): void => {
      while (left > 0) {
        const part = left >= chunk.length ? chunk : chunk.subarray(0, left)
        left -= part.length
        if (!res.write(part)) {
          res.once('drain', writeMore)
          return
        }
      }
      res.end()
    }
    res.on('close', () => { left = 0 })
    writeMore()
  }],
  [/^\/html$/, (_req, res) => send(res, 200, 'text/html; charset=utf-8', '<!doctype html><html><head><title>Target</title></head><body><h1>Hello</h1></body></html>')],
  [/^\/xml$/, (_req, res) => send(res, 200, 'application/xml; charset=utf-8', '<?xml version="1.0"?><note><to>Pigeon</to><body>Hello</body></note>')],
  [/^\/image\.png$/, (_req, res) => send(res, 200, 'image/png', TINY_PNG)],
  [/^\/set-cookie$/, (_req, res) => send(res, 200, 'text/plain; charset=utf-8', 'cookies set', {
    'set-cookie': ['session=abc123; Path=/; HttpOnly', 'theme=dark; Max-Age=3600', 'lang=en; Path=/; SameSite=Lax'],
  })],
  [/^\/gzip$/, (_req, res) => send(res, 200, 'application/json; charset=utf-8', gzipSync(JSON.stringify({ ...SAMPLE_JSON, gzipped: true })), { 'content-encoding': 'gzip' })],
]

function corsHeaders(req: IncomingMessage): Record<string, string> {
  return {
    'access-control-allow-origin': req.headers.origin ?? '*',
    'access-control-allow-credentials': 'true',
    'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, PROPFIND',
    'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
    'access-control-expose-headers': '*',
    'access-control-max-age': '600',
    // Lets the browser report phase timings (Resource Timing) for this origin.
    'timing-allow-origin': '*',
  }
}

/** Starts the target server on 127.0.0.1 and a free port. */
export async function startTargetServer(options: TargetServerOptions = {}): Promise<TargetServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://target.invalid')
      if (options.cors) {
        for (const [name, value] of Object.entries(corsHeaders(req)))
          res.setHeader(name, value)
        if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
          res.writeHead(204)
          res.end()
          return
        }
      }
      const route = routes.find(([pattern]) => pattern.test(url.pathname))
      if (!route) {
        send(res, 404, 'text/plain; charset=utf-8', `No route ${url.pathname} on the target server.`)
        return
      }
      route[1](req, res, url, Buffer.concat(chunks))
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}
