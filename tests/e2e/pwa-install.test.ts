/**
 * Pigeon installs like a good PWA: Chromium reports no installability
 * errors, the manifest has every field an installed app needs, its icons are
 * real PNGs of the stated sizes, and the app offers an Install button.
 */
import { describe, expect, it } from 'vitest'
import { pngSize, useServedApp } from './pwaSupport'

interface ManifestIcon { src: string, sizes: string, type: string, purpose?: string }
interface Manifest {
  name: string
  short_name: string
  description: string
  start_url: string
  scope: string
  display: string
  theme_color: string
  background_color: string
  icons: ManifestIcon[]
}

describe('installing Pigeon', () => {
  const app = useServedApp()

  it('is installable: Chromium reports no installability errors', async () => {
    const cdp = await app.device.context.newCDPSession(app.device.page)
    let errors: unknown[] = []
    // Chromium fetches the manifest and its icons in the background; give it a moment to finish.
    for (let attempt = 0; attempt < 20; attempt++) {
      errors = (await cdp.send('Page.getInstallabilityErrors')).installabilityErrors
      if (errors.length === 0)
        break
      await app.device.page.waitForTimeout(250)
    }
    expect(errors).toEqual([])
    await cdp.detach()
  })

  it('has a manifest with every field an installed app needs', async () => {
    const cdp = await app.device.context.newCDPSession(app.device.page)
    const { url, errors, data } = await cdp.send('Page.getAppManifest')
    await cdp.detach()
    expect(url).toBe(`${app.server.url}/manifest.webmanifest`)
    expect(errors).toEqual([])
    const manifest = JSON.parse(data ?? '{}') as Manifest
    expect(manifest).toMatchObject({
      name: 'Pigeon',
      short_name: 'Pigeon',
      start_url: '/',
      scope: '/',
      display: 'standalone',
    })
    expect(manifest.description.length).toBeGreaterThan(10)
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i)
    expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/i)
    const sizes = manifest.icons.map(icon => `${icon.sizes} ${icon.purpose ?? 'any'}`)
    expect(sizes).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']))

    const response = await fetch(`${app.server.url}/manifest.webmanifest`)
    expect(response.headers.get('content-type')).toContain('application/manifest+json')
  })

  it('serves every manifest icon as a PNG of the size it claims', async () => {
    const response = await fetch(`${app.server.url}/manifest.webmanifest`)
    const manifest = await response.json() as Manifest
    for (const icon of manifest.icons) {
      const iconResponse = await fetch(new URL(icon.src, app.server.url))
      expect(iconResponse.status, icon.src).toBe(200)
      expect(iconResponse.headers.get('content-type')).toBe('image/png')
      const { width, height } = pngSize(Buffer.from(await iconResponse.arrayBuffer()))
      expect(`${width}x${height}`, icon.src).toBe(icon.sizes)
    }
  })

  it('offers an Install button when Chromium offers installation, and hands over to the browser on click', async () => {
    const install = app.device.page.getByRole('button', { name: 'Install Pigeon' })
    await install.waitFor()
    await install.click()
    // The browser's own install dialog takes over; the offer can only be used once.
    await install.waitFor({ state: 'detached' })
  })

  it('hides the Install button once Pigeon is installed', async () => {
    const { page } = app.device
    await page.reload()
    const install = page.getByRole('button', { name: 'Install Pigeon' })
    await install.waitFor()
    // Headless Chromium shows no install dialog and so never fires `appinstalled`
    // itself; this is the event it fires when a person completes the install.
    await page.evaluate(() => window.dispatchEvent(new Event('appinstalled')))
    await install.waitFor({ state: 'detached' })
  })
})
