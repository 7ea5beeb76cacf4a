// `npx tsx bench/core/run.ts` (also part of `npm run bench`): issue 2's
// performance figures, measured in Debian's Chromium on a generated workspace
// of 10,000 requests in 500 folders, served by the real Pigeon server.
//
//  1. Builds the app plus the bench-only seed page into .tmp/bench-dist.
//  2. The seed page times importEntities against a bare Dexie bulkPut, then
//     writes the workspace into the app's database and makes it active.
//  3. Loads the app again and again: time to the first tree rows, with the
//     service worker blocked, then served by it, then after browser restarts.
//  4. Filters the tree by several terms and times until its rows change.
//
// Knobs: BENCH_RUNS (import runs, 3), BENCH_RELOADS (7), BENCH_RESTARTS (3),
// BENCH_SKIP_BUILD=1 to reuse the last build.
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { cpus } from 'node:os'
import path from 'node:path'
import { build } from 'vite'
import { type PigeonServer, startPigeonServer, tempDir } from '../../tests/support/pigeonServer'
import { CHROMIUM_PATH } from '../../tests/e2e/support/browser'
import { type BenchBrowser, openBrowser } from './browser'
import { FILTER_TERMS, filterRows, importRows, loadRows } from './figures'
import { formatTable, ms, spread, type TableRow } from './report'
import type { SeedReport } from './seed'
import { type FilterTiming, type LoadTiming, recordFirstRows, timeFilter, timeLoad } from './uiTimings'
import { ISSUE_SIZE } from './workspace'

const root = path.resolve(import.meta.dirname, '..', '..')
const outDir = path.join(root, '.tmp', 'bench-dist')
const importRuns = Number(process.env.BENCH_RUNS ?? 3)
const reloads = Number(process.env.BENCH_RELOADS ?? 7)
const restarts = Number(process.env.BENCH_RESTARTS ?? 3)

const FILTER_REPEATS = 3

function log(message: string): void {
  console.log(`[bench/core ${new Date().toISOString().slice(11, 19)}] ${message}`)
}

async function buildApp(): Promise<void> {
  if (process.env.BENCH_SKIP_BUILD === '1') {
    log(`reusing the build in ${path.relative(root, outDir)}`)
    return
  }
  log(`building the app and the seed page into ${path.relative(root, outDir)}…`)
  process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING = 'true'
  await build({
    configFile: path.join(import.meta.dirname, 'vite.config.ts'),
    build: { outDir, emptyOutDir: true },
    logLevel: 'error',
  })
}

async function seed(browser: BenchBrowser, baseUrl: string): Promise<Extract<SeedReport, { state: 'done' }>> {
  log(`seed page: timing the import ${importRuns}× and seeding the app's database…`)
  await browser.page.goto(`${baseUrl}/bench/core/seed.html?runs=${importRuns}`)
  await browser.page.waitForFunction(() => window.pigeonBenchSeed?.state !== 'running', undefined, { timeout: 15 * 60_000, polling: 250 })
  const report = await browser.page.evaluate(() => window.pigeonBenchSeed)
  if (report.state !== 'done')
    throw new Error(`The seed page failed: ${report.state === 'failed' ? report.error : report.state}`)
  return report
}

/** Fails loudly when the app opened some other workspace than the seeded one. */
async function expectSeededTree(browser: BenchBrowser): Promise<void> {
  const first = await browser.page.locator('[role="tree"] [role="treeitem"]').first().getAttribute('aria-label')
  if (first !== 'Billing API')
    throw new Error(`The app did not open the seeded workspace: its first tree row is “${first}”, not “Billing API”.`)
}

async function loads(browser: BenchBrowser, url: string, count: number): Promise<LoadTiming[]> {
  const timings: LoadTiming[] = []
  for (let i = 0; i < count; i++)
    timings.push(await timeLoad(browser.page, url))
  return timings
}

async function filterTimings(browser: BenchBrowser): Promise<FilterTiming[]> {
  const timings: FilterTiming[] = []
  for (let repeat = 0; repeat < FILTER_REPEATS; repeat++) {
    for (const term of FILTER_TERMS) {
      timings.push(await timeFilter(browser.page, term))
      timings.push(await timeFilter(browser.page, ''))
    }
  }
  return timings
}

async function main(): Promise<void> {
  await buildApp()
  const server: PigeonServer = await startPigeonServer({ env: { STATIC_DIR: outDir } })
  const profile = tempDir('pigeon-bench-profile-')
  const appUrl = `${server.url}/`
  let browser: BenchBrowser | null = null
  try {
    log(`Pigeon server at ${server.url}, fresh Chromium profile ${profile}`)
    browser = await openBrowser(profile, 'block')
    const seeded = await seed(browser, server.url)
    log(`seeded workspace ${seeded.workspaceId}; loading the app with the service worker blocked…`)

    await recordFirstRows(browser.page)
    const firstVisit = await timeLoad(browser.page, appUrl)
    await expectSeededTree(browser)
    const blocked = await loads(browser, appUrl, reloads)
    log('filtering the tree…')
    const filters = await filterTimings(browser)
    await browser.context.close()

    log('loading the app with the service worker allowed…')
    browser = await openBrowser(profile, 'allow')
    await recordFirstRows(browser.page)
    await timeLoad(browser.page, appUrl)
    await browser.page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 120_000, polling: 250 })
    const throughWorker = await loads(browser, appUrl, reloads)
    const controlled = await browser.page.evaluate(() => navigator.serviceWorker.controller !== null)
    await browser.context.close()
    browser = null

    log(`restarting the browser ${restarts}× and loading the app once each…`)
    const afterRestart: LoadTiming[] = []
    for (let i = 0; i < restarts; i++) {
      browser = await openBrowser(profile, 'allow')
      await recordFirstRows(browser.page)
      afterRestart.push(await timeLoad(browser.page, appUrl))
      await browser.context.close()
      browser = null
    }

    const rows: TableRow[] = [
      ...importRows(seeded),
      { measure: 'First visit after seeding (service worker blocked)', figure: `${ms(firstVisit.firstRowsMs)} / painted ${ms(firstVisit.firstRowsPaintedMs)}`, goal: '', pass: null },
      ...loadRows('reload, service worker blocked, HTTP cache warm', blocked),
      ...loadRows(`reload, served by the service worker${controlled ? '' : ' (NOT controlled!)'}`, throughWorker),
      ...loadRows('first load after a browser restart (service worker)', afterRestart),
      { measure: '  whole tree read: app mark pigeon:tree-rendered (reloads, worker blocked)', figure: spread(blocked.map(t => t.appMarkMs).filter((v): v is number => v !== null)), goal: '', pass: null },
      { measure: '  DOMContentLoaded (reloads, worker blocked)', figure: spread(blocked.map(t => t.domContentLoadedMs)), goal: '', pass: null },
      { measure: '  settled: last long task ended (reloads, worker blocked)', figure: spread(blocked.map(t => t.settledMs)), goal: '', pass: null },
      { measure: '  longest task of a load (reloads, worker blocked)', figure: spread(blocked.map(t => t.longestTaskMs)), goal: '', pass: null },
      ...filterRows(filters),
    ]
    const chromium = execFileSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    console.log(`\nIssue 2 performance: ${chromium}, ${ISSUE_SIZE.requests.toLocaleString('en')} requests in ${ISSUE_SIZE.folders} folders of ${ISSUE_SIZE.collections} collections, ${cpus().length} cores\n`)
    console.log(formatTable(rows))
    console.log('\nTimes to first rows count from navigation start (performance.now() in the page); "painted" is the start of the next frame plus a task.')
    console.log('"Settled" is when the last long task (> 50 ms) before a quiet second ended; a key pressed during the longest task waits until it ends.')
    console.log('Filter times count from the input event to the change of the tree rows in the DOM (the tree is virtual: only rows on screen exist),')
    console.log('measured once the app has settled; a term\'s mark needs both its DOM and its painted time within the goal.')
  }
  finally {
    if (browser)
      await browser.context.close().catch(() => undefined)
    await server.stop()
    rmSync(profile, { recursive: true, force: true })
    rmSync(server.dataDir, { recursive: true, force: true })
  }
}

await main()
