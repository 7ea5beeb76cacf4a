/**
 * Serves the built app from dist/. Hashed assets are immutable for a year;
 * the HTML shell, the service worker and the manifest are always revalidated
 * so a new deployment is seen at once. Unknown paths fall back to index.html
 * (the app routes on the client).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import path from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
}

const NO_CACHE = new Set(['/index.html', '/sw.js', '/manifest.webmanifest', '/registerSW.js'])

function cacheControl(urlPath: string): string {
  if (NO_CACHE.has(urlPath) || urlPath.endsWith('.html'))
    return 'no-cache'
  if (urlPath.startsWith('/assets/') || /^\/workbox-[\w-]+\.js$/.test(urlPath))
    return 'public, max-age=31536000, immutable'
  return 'public, max-age=3600'
}

/** The file under `root` for a URL path, with its size, or null (outside root, missing, a folder). */
async function fileAt(root: string, urlPath: string): Promise<{ path: string, size: number } | null> {
  const resolved = path.resolve(root, `.${urlPath}`)
  if (resolved !== root && !resolved.startsWith(root + path.sep))
    return null
  try {
    const info = await stat(resolved)
    return info.isFile() ? { path: resolved, size: info.size } : null
  }
  catch {
    return null
  }
}

export async function serveStatic(req: IncomingMessage, res: ServerResponse, url: URL, root: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end()
    return
  }
  let urlPath: string
  try {
    urlPath = decodeURIComponent(url.pathname)
  }
  catch {
    res.writeHead(400).end('Bad path')
    return
  }
  if (urlPath === '/')
    urlPath = '/index.html'
  let file = await fileAt(root, urlPath)
  if (!file && !path.extname(urlPath)) {
    urlPath = '/index.html'
    file = await fileAt(root, urlPath)
  }
  if (!file) {
    const missingApp = urlPath === '/index.html'
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
    res.end(missingApp ? 'The app is not built yet. Run `npm run build` (npm start does it for you).' : 'Not found')
    return
  }
  res.writeHead(200, {
    'content-type': TYPES[path.extname(file.path)] ?? 'application/octet-stream',
    'content-length': file.size,
    'cache-control': cacheControl(urlPath),
    'x-content-type-options': 'nosniff',
  })
  if (req.method === 'HEAD') {
    res.end()
    return
  }
  createReadStream(file.path).pipe(res)
}
