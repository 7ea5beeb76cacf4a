/**
 * Debian's Chromium driven by playwright-core, as a person's browser: a
 * persistent profile (so IndexedDB and the service worker survive a browser
 * restart, and installability can be checked) in a fresh user-data-dir.
 */
import type { BrowserContext, Page } from 'playwright-core'
import { chromium } from 'playwright-core'
import type { PigeonServer } from '../../support/pigeonServer'
import { startPigeonServer, tempDir } from '../../support/pigeonServer'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

/** Flags for a headless Chromium on a machine with no network but loopback. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export interface Device {
  context: BrowserContext
  page: Page
  userDataDir: string
  close: () => Promise<void>
  /** Close the browser and open it again on the same profile. */
  restart: () => Promise<Device>
}

export async function openDevice(options: { userDataDir?: string, viewport?: { width: number, height: number } } = {}): Promise<Device> {
  const userDataDir = options.userDataDir ?? tempDir('pigeon-profile-')
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: options.viewport ?? { width: 1280, height: 800 },
  })
  const page = context.pages()[0] ?? await context.newPage()
  const device: Device = {
    context,
    page,
    userDataDir,
    close: () => context.close(),
    restart: async () => {
      await context.close()
      return openDevice({ ...options, userDataDir })
    },
  }
  return device
}

/** The real server and two fresh devices (persistent profiles), for the tests of one account on two browsers. */
export async function openServerAndTwoDevices(): Promise<{ server: PigeonServer, laptop: Device, phone: Device }> {
  const server = await startPigeonServer()
  const laptop = await openDevice()
  const phone = await openDevice()
  return { server, laptop, phone }
}

/** Closes devices (a test may have closed one already) and stops the server. */
export async function closeAll(devices: Array<Device | undefined>, server: PigeonServer | undefined): Promise<void> {
  await Promise.all(devices.map(device => device?.close().catch(() => undefined)))
  await server?.stop()
}
