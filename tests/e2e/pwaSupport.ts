/**
 * Helpers for the PWA browser tests (tests/e2e/pwa*.test.ts): building the
 * app into a folder of its own, waiting for the service worker, reading PNGs,
 * and the few UI steps those tests take.
 */
import type { Page } from 'playwright-core'
import type { PigeonServer } from '../support/pigeonServer'
import type { Device } from './support/browser'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest'
import { startPigeonServer } from '../support/pigeonServer'
import { openDevice } from './support/browser'

export const root = path.resolve(import.meta.dirname, '..', '..')

/** Builds the app into `outDir` (relative to the repository) with the given version baked in. */
export async function buildApp(outDir: string, version: string): Promise<void> {
  const vite = path.join(root, 'node_modules/vite/bin/vite.js')
  let output = ''
  const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'], {
    cwd: root,
    // vitest sets NODE_ENV=test, which would make a development build.
    env: { ...process.env, NODE_ENV: 'production', VITE_APP_VERSION: version, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout.on('data', (d: Buffer) => { output += d.toString() })
  child.stderr.on('data', (d: Buffer) => { output += d.toString() })
  const code = await new Promise<number | null>(resolve => child.once('exit', resolve))
  if (code !== 0)
    throw new Error(`Building version ${version} into ${outDir} failed:\n${output}`)
}

/** Waits until a service worker controls the page: from then on it opens with no network. */
export async function waitForServiceWorkerControl(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', undefined, { timeout: 30_000 })
}

/** A running server and a browser on it; a test may swap `device` for the restarted one. */
export interface ServedApp {
  server: PigeonServer
  device: Device
}

/**
 * For a describe block: before all its tests (or each, for tests that leave
 * the app changed), starts the server and opens Pigeon in a browser until its
 * service worker controls the page; closes both afterwards.
 */
export function useServedApp(lifetime: 'all' | 'each' = 'all'): ServedApp {
  // Filled in by the before hook, before any test reads it.
  const app = {} as ServedApp
  const [before, after] = lifetime === 'all' ? [beforeAll, afterAll] : [beforeEach, afterEach]
  before(async () => {
    app.server = await startPigeonServer()
    app.device = await openDevice()
    await app.device.page.goto(app.server.url)
    await waitForServiceWorkerControl(app.device.page)
  })
  after(async () => {
    await app.device?.close()
    await app.server?.stop()
  })
  return app
}

/** The version baked into the HTML shell the page runs (build/pwa.ts writes it). */
export async function shellVersion(page: Page): Promise<string | null> {
  return page.locator('meta[name="application-version"]').getAttribute('content')
}

/** Width and height from a PNG's IHDR chunk; throws when the bytes are not a PNG. */
export function pngSize(bytes: Buffer): { width: number, height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
  if (!bytes.subarray(0, 8).equals(signature) || bytes.toString('ascii', 12, 16) !== 'IHDR')
    throw new Error('Not a PNG file.')
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }
}

/** Creates a collection from the sidebar and names it, as a person does. */
export async function createCollection(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'New collection' }).first().click()
  const nameInput = page.getByRole('textbox', { name: /^New name for/ })
  await nameInput.fill(name)
  await nameInput.press('Enter')
  await page.getByRole('treeitem', { name }).waitFor()
}

/** Adds a request to a collection from its menu, opens it, types its URL and saves it (Ctrl+S). */
export async function addSavedRequest(page: Page, collection: string, name: string, url: string): Promise<void> {
  await page.getByRole('button', { name: `More actions for ${collection}` }).click()
  await page.getByRole('menuitem', { name: 'Add request' }).click()
  const nameInput = page.getByRole('textbox', { name: /^New name for/ })
  await nameInput.fill(name)
  await nameInput.press('Enter')
  await page.getByRole('treeitem', { name: `GET ${name}` }).click()
  await page.getByRole('tab', { name: new RegExp(name), selected: true }).waitFor()
  const urlInput = page.getByRole('textbox', { name: 'Request URL' })
  await urlInput.fill(url)
  // The tab marks the edit as unsaved once the draft holds it; saving clears the mark.
  const unsaved = page.getByRole('tab', { name: new RegExp(name) }).getByRole('img', { name: 'Unsaved changes' })
  await unsaved.waitFor()
  await urlInput.press('Control+s')
  await unsaved.waitFor({ state: 'detached' })
  await waitUntilStored(page, name, url)
}

/**
 * Waits until the saved request's URL is stored on the device: the sidebar
 * reads IndexedDB, and shows a request's URL as its row's tooltip.
 */
export async function waitUntilStored(page: Page, name: string, url: string): Promise<void> {
  await page.getByRole('treeitem', { name: `GET ${name}` }).getByTitle(url, { exact: true }).waitFor()
}

/** Opens a saved request of a collection from the sidebar and waits until its tab shows `expectedUrl`. */
export async function expectRequestUrl(page: Page, collection: string, name: string, expectedUrl: string): Promise<void> {
  const collectionRow = page.getByRole('treeitem', { name: collection, exact: true })
  if (await collectionRow.getAttribute('aria-expanded') === 'false')
    await collectionRow.click()
  await page.getByRole('treeitem', { name: `GET ${name}` }).click()
  await page.getByRole('tab', { name: new RegExp(name), selected: true }).waitFor()
  // The editor fills in as the tab's content loads.
  await expect.poll(() => page.getByRole('textbox', { name: 'Request URL' }).inputValue(), { timeout: 10_000 }).toBe(expectedUrl)
}

/**
 * From now on the page's IndexedDB refuses every write with the error a full
 * disk gives (QuotaExceededError), until `freeSpace`. A real full disk is out
 * of reach in a test, and headless Chromium ignores CDP quota overrides for
 * IndexedDB; everything above IndexedDB stays the app's real code.
 */
export async function fillStorage(page: Page): Promise<void> {
  await page.evaluate(() => {
    const state = globalThis as unknown as { storageFull: boolean, refusingWrites?: boolean }
    state.storageFull = true
    if (state.refusingWrites)
      return
    state.refusingWrites = true
    for (const method of ['put', 'add'] as const) {
      const original = IDBObjectStore.prototype[method]
      IDBObjectStore.prototype[method] = function (this: IDBObjectStore, ...args: [unknown, IDBValidKey?]) {
        if (state.storageFull)
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
        return original.apply(this, args)
      }
    }
  })
}

/** IndexedDB accepts writes again (the user freed space). */
export async function freeSpace(page: Page): Promise<void> {
  await page.evaluate(() => { (globalThis as unknown as { storageFull: boolean }).storageFull = false })
}
