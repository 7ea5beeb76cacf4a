/**
 * The server's HTTP caching of the built app: hashed files are cached for a
 * year and never revalidated; the HTML shell, the service worker and the
 * manifest are revalidated on every load, so a new deployment is seen at once.
 */
import type { PigeonServer } from '../support/pigeonServer'
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPigeonServer } from '../support/pigeonServer'
import { root } from './pwaSupport'

const distDir = path.resolve(root, process.env.E2E_DIST_DIR ?? 'dist')
const IMMUTABLE = 'public, max-age=31536000, immutable'

async function headersOf(server: PigeonServer, urlPath: string): Promise<{ status: number, type: string | null, cache: string | null }> {
  const response = await fetch(`${server.url}${urlPath}`)
  await response.arrayBuffer()
  return { status: response.status, type: response.headers.get('content-type'), cache: response.headers.get('cache-control') }
}

describe('HTTP caching of the app', () => {
  let server: PigeonServer

  beforeAll(async () => {
    server = await startPigeonServer()
  })

  afterAll(async () => {
    await server?.stop()
  })

  it('revalidates the HTML shell, the service worker and the manifest on every load', async () => {
    for (const urlPath of ['/', '/index.html', '/sw.js', '/manifest.webmanifest', '/some/client/route']) {
      const { status, cache } = await headersOf(server, urlPath)
      expect(status, urlPath).toBe(200)
      expect(cache, urlPath).toBe('no-cache')
    }
    expect((await headersOf(server, '/sw.js')).type).toContain('text/javascript')
    expect((await headersOf(server, '/manifest.webmanifest')).type).toContain('application/manifest+json')
  })

  it('caches hashed scripts, styles and the Workbox runtime for a year, immutable', async () => {
    const assets = readdirSync(path.join(distDir, 'assets')).filter(name => /\.(js|css)$/.test(name))
    const workboxRuntime = readdirSync(distDir).filter(name => /^workbox-[\w-]+\.js$/.test(name))
    expect(assets.length).toBeGreaterThan(0)
    expect(workboxRuntime).toHaveLength(1)
    for (const urlPath of [...assets.map(name => `/assets/${name}`), `/${workboxRuntime[0]}`]) {
      const { status, cache } = await headersOf(server, urlPath)
      expect(status, urlPath).toBe(200)
      expect(cache, urlPath).toBe(IMMUTABLE)
    }
  })

  it('lets unhashed icons be cached briefly, never forever', async () => {
    const { status, type, cache } = await headersOf(server, '/pwa-192x192.png')
    expect(status).toBe(200)
    expect(type).toBe('image/png')
    expect(cache).not.toContain('immutable')
  })

  it('answers a missing asset with 404 instead of the HTML shell', async () => {
    const { status } = await headersOf(server, '/assets/missing-0000.js')
    expect(status).toBe(404)
  })
})
