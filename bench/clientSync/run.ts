// `npx tsx bench/clientSync/run.ts` (also part of `npm run bench`): edit on
// A → visible on B, through the real server, in two real Chromium profiles
// signed in to one account — the app's own sync code end to end (stores,
// Y.Doc, Dexie projection, WebsocketProvider, server, and back up to B's DOM).
//
//  1. Builds the app (or reuses a build), starts the real Pigeon server.
//  2. One account, two sessions (made through /api); each browser gets its
//     session cookie, so both open the account's personal workspace.
//  3. A makes one collection and one request; B shows the request's row.
//  4. A renames the request 200 times through the sidebar (F2, type, Enter),
//     at least BENCH_PACE_MS (50) apart so edits are never batched together.
//     A notes the moment Enter is pressed; B notes, with a MutationObserver,
//     the moment its tree row shows the new name. Both clocks are
//     `performance.timeOrigin + performance.now()` on this one machine.
//
// No hook in the app: both ends are what a person does and sees.
// Knobs: BENCH_EDITS (200), BENCH_PACE_MS (50), BENCH_SKIP_BUILD=1 and
// BENCH_DIST_DIR to reuse a build (default .tmp/bench-clientSync-dist).
import type { Page } from 'playwright-core'
import path from 'node:path'
import { build } from 'vite'
import { type PigeonServer, startPigeonServer, tempDir } from '../../tests/support/pigeonServer'
import { signInOnAnotherDevice, signUp } from '../../tests/integration/sync/accounts'
import { type BenchBrowser, openBrowser } from '../core/browser'
import { formatTable, ms, type TableRow } from '../core/report'

const root = path.resolve(import.meta.dirname, '..', '..')
const outDir = path.resolve(root, process.env.BENCH_DIST_DIR ?? '.tmp/bench-clientSync-dist')
const EDITS = Number(process.env.BENCH_EDITS ?? 200)
const PACE_MS = Number(process.env.BENCH_PACE_MS ?? 50)
const P99_GOAL_MS = 100
const NAME_PREFIX = 'Edit '

declare global {
  interface Window {
    /** A: when Enter was pressed on each new name. B: when each name showed in the tree. Keyed by name. */
    pigeonBenchTimes?: Record<string, number>
  }
}

function log(message: string): void {
  console.log(`[bench/clientSync ${new Date().toISOString().slice(11, 19)}] ${message}`)
}

async function buildApp(): Promise<void> {
  if (process.env.BENCH_SKIP_BUILD === '1') {
    log(`reusing the build in ${path.relative(root, outDir)}`)
    return
  }
  log(`building the app into ${path.relative(root, outDir)}…`)
  process.env.NODE_ENV = 'production'
  process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING = 'true'
  await build({ root, configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } })
}

/** Opens the app in a fresh profile already signed in with `cookie` (`pigeon_session=…`). */
async function signedInBrowser(server: PigeonServer, cookie: string): Promise<BenchBrowser> {
  const browser = await openBrowser(tempDir('pigeon-bench-sync-'), 'block')
  const [name, value] = cookie.split('=')
  await browser.context.addCookies([{ name, value, url: server.url }])
  await browser.page.goto(server.url)
  await browser.page.getByRole('status', { name: 'Sync status' }).filter({ hasText: 'In sync' }).waitFor({ timeout: 30_000 })
  return browser
}

const treeItem = (page: Page, name: string) => page.getByRole('treeitem', { name, exact: true })

async function nameInTree(page: Page, name: string): Promise<void> {
  const box = page.getByRole('textbox', { name: /^New name for/ })
  await box.fill(name)
  await box.press('Enter')
  await box.waitFor({ state: 'detached' })
}

/** A: one collection with one request in it, named `Edit 0`. */
async function makeRequest(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^(Create|New) collection$/ }).first().click()
  await nameInTree(page, 'Latency')
  await page.getByRole('button', { name: 'More actions for Latency', exact: true }).click()
  await page.getByRole('menuitem', { name: 'Add request', exact: true }).click()
  await nameInTree(page, `${NAME_PREFIX}0`)
}

/** A: notes when Enter is pressed in the rename box (capture phase: before the app acts on it). */
async function recordEdits(page: Page): Promise<void> {
  await page.evaluate(() => {
    window.pigeonBenchTimes = {}
    document.addEventListener('keydown', (event) => {
      const box = event.target as HTMLInputElement
      if (event.key === 'Enter' && box.getAttribute?.('aria-label')?.startsWith('New name for'))
        window.pigeonBenchTimes![box.value] = performance.timeOrigin + performance.now()
    }, true)
  })
}

/** B: notes the first moment each request name shows in the sidebar tree. */
async function recordArrivals(page: Page, prefix: string): Promise<void> {
  await page.evaluate((prefix) => {
    window.pigeonBenchTimes = {}
    const tree = document.querySelector('[role="tree"]')!
    const look = (): void => {
      const at = performance.timeOrigin + performance.now()
      for (const item of tree.querySelectorAll('[role="treeitem"]')) {
        const name = item.getAttribute('aria-label')?.replace(/^[A-Z]+ /, '') ?? ''
        if (name.startsWith(prefix) && !(name in window.pigeonBenchTimes!))
          window.pigeonBenchTimes![name] = at
      }
    }
    new MutationObserver(look).observe(tree, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['aria-label'] })
  }, prefix)
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)] : Number.NaN
}

async function main(): Promise<void> {
  await buildApp()
  const server = await startPigeonServer({ env: { STATIC_DIR: outDir } })
  const browsers: BenchBrowser[] = []
  try {
    const account = await signUp(server.url, 'bench')
    const second = await signInOnAnotherDevice(server.url, account)
    log(`Pigeon server at ${server.url}; opening A and B signed in to one account…`)
    const a = await signedInBrowser(server, account.cookie)
    browsers.push(a)
    const b = await signedInBrowser(server, second.cookie)
    browsers.push(b)

    await makeRequest(a.page)
    await treeItem(b.page, 'Latency').waitFor({ timeout: 15_000 })
    if (!(await treeItem(b.page, `GET ${NAME_PREFIX}0`).isVisible())) {
      await treeItem(b.page, 'Latency').click()
      await treeItem(b.page, `GET ${NAME_PREFIX}0`).waitFor({ timeout: 15_000 })
    }
    await recordEdits(a.page)
    await recordArrivals(b.page, NAME_PREFIX)

    log(`A renames the request ${EDITS}× (at least ${PACE_MS} ms apart); B watches its tree…`)
    let last = 0
    for (let edit = 1; edit <= EDITS; edit++) {
      const wait = last + PACE_MS - Date.now()
      if (wait > 0)
        await new Promise(resolve => setTimeout(resolve, wait))
      last = Date.now()
      await a.page.locator(`[role="treeitem"][aria-label^="GET ${NAME_PREFIX}"]`).click()
      await a.page.keyboard.press('F2')
      await nameInTree(a.page, `${NAME_PREFIX}${edit}`)
    }
    const lastName = `${NAME_PREFIX}${EDITS}`
    await b.page.waitForFunction(name => window.pigeonBenchTimes?.[name] !== undefined, lastName, { timeout: 30_000 })

    const edited = await a.page.evaluate(() => window.pigeonBenchTimes!)
    const seen = await b.page.evaluate(() => window.pigeonBenchTimes!)
    const latencies: number[] = []
    let missed = 0
    for (let edit = 1; edit <= EDITS; edit++) {
      const name = `${NAME_PREFIX}${edit}`
      if (edited[name] === undefined || seen[name] === undefined)
        missed++
      else
        latencies.push(seen[name] - edited[name])
    }
    latencies.sort((x, y) => x - y)
    const p99 = percentile(latencies, 0.99)
    const rows: TableRow[] = [
      { measure: `Edit on A → visible on B (n=${latencies.length}), p50`, figure: ms(percentile(latencies, 0.5)), goal: '', pass: null },
      { measure: '  p95', figure: ms(percentile(latencies, 0.95)), goal: '', pass: null },
      { measure: '  p99', figure: ms(p99), goal: `≤ ${P99_GOAL_MS} ms`, pass: p99 <= P99_GOAL_MS },
      { measure: '  max', figure: ms(latencies.at(-1) ?? Number.NaN), goal: '', pass: null },
      { measure: '  min', figure: ms(latencies[0] ?? Number.NaN), goal: '', pass: null },
      { measure: '  edits never seen on B as their own name (overtaken by the next one)', figure: String(missed), goal: '', pass: null },
    ]
    console.log(`\nEdit → visible, two Chromium profiles on one account, real server on loopback (${EDITS} renames ≥ ${PACE_MS} ms apart)\n`)
    console.log(formatTable(rows))
  }
  finally {
    for (const browser of browsers)
      await browser.context.close().catch(() => undefined)
    await server.stop()
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error)
  process.exit(1)
})
