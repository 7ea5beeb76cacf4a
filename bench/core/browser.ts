/**
 * Debian's Chromium for the benchmark, launched like the e2e suite's
 * (tests/e2e/support/browser.ts: same flags, persistent profile) but with a
 * choice about the service worker, so loads can be measured with and
 * without it. Each benchmark run uses a fresh profile.
 */
import type { BrowserContext, Page } from 'playwright-core'
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../tests/e2e/support/browser'

export interface BenchBrowser {
  context: BrowserContext
  page: Page
}

/** Opens Chromium on `userDataDir`; `serviceWorkers: 'block'` keeps the app's worker from registering. */
export async function openBrowser(userDataDir: string, serviceWorkers: 'allow' | 'block'): Promise<BenchBrowser> {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    serviceWorkers,
  })
  // tsx compiles this file with esbuild's keepNames, which wraps named functions
  // in a `__name` helper; functions sent to the page need it there too.
  await context.addInitScript({ content: 'globalThis.__name = globalThis.__name || (fn => fn)' })
  const page = context.pages()[0] ?? await context.newPage()
  return { context, page }
}
