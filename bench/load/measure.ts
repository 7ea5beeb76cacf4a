/**
 * One load of the app in Chromium, timed to the `pigeon:interactive` mark
 * (src/pwa/interactive.ts: set when the shell has rendered and the
 * workspace is open), with the JavaScript files the page fetched up to then.
 */
import type { Page } from 'playwright-core'
import { INTERACTIVE_MARK, SHELL_RENDERED_MARK } from '../../src/pwa/interactive'

export interface LoadFigures {
  /** ms from navigation start to the interactive mark (workspace open). */
  interactiveMs: number
  /** ms from navigation start to the shell on screen. */
  shellMs: number
  /** Paths (e.g. /assets/index-abc.js) of the scripts loaded before the mark. */
  scripts: string[]
}

/** Reads the mark and the scripts of the load that just happened. */
async function readFigures(page: Page): Promise<LoadFigures> {
  await page.waitForFunction(mark => performance.getEntriesByName(mark, 'mark').length > 0, INTERACTIVE_MARK, { timeout: 30_000 })
  return page.evaluate(([mark, shellMark]) => {
    const interactiveMs = performance.getEntriesByName(mark, 'mark')[0].startTime
    const shellMs = performance.getEntriesByName(shellMark, 'mark')[0]?.startTime ?? Number.NaN
    const scripts = performance.getEntriesByType('resource')
      .filter(entry => entry.startTime <= interactiveMs && new URL(entry.name).pathname.endsWith('.js'))
      .map(entry => new URL(entry.name).pathname)
    return { interactiveMs, shellMs, scripts }
  }, [INTERACTIVE_MARK, SHELL_RENDERED_MARK] as const)
}

/** Navigates to `url` and measures the load. */
export async function measureNavigation(page: Page, url: string): Promise<LoadFigures> {
  await page.goto(url)
  return readFigures(page)
}

/** Reloads the page and measures the load. */
export async function measureReload(page: Page): Promise<LoadFigures> {
  await page.reload()
  return readFigures(page)
}
