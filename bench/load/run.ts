/**
 * `npx tsx bench/load/run.ts` (or `npm run bench -- load`): how fast Pigeon
 * opens in Chromium, to an interactive app (the `pigeon:interactive` mark):
 *
 * - cold online first load: a fresh profile, nothing cached;
 * - warm online reload: the service worker installed, the network up;
 * - offline reload: the same, with the browser offline (and, as a split,
 *   when the shell was on screen, before the workspace finished opening);
 *
 * each the median of several runs, plus the JavaScript the first load needs
 * before it is interactive (gzip), and the modules that make it up.
 * Goals (issue 3): offline reload ≤ 150 ms; initial JS ≤ 200 KB gzip.
 * LOAD_BENCH_RUNS sets the number of runs (default 7).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { openBrowser } from '../core/browser'
import { formatTable, median, spread } from '../core/report'
import type { TableRow } from '../core/report'
import { startPigeonServer, tempDir } from '../../tests/support/pigeonServer'
import { buildWithModuleSizes, sizesByOwner } from './build'
import type { LoadFigures } from './measure'
import { measureNavigation, measureReload } from './measure'

const root = path.resolve(import.meta.dirname, '..', '..')
const outDir = path.join(root, '.tmp', 'pwa-bench-dist')
const RUNS = Number(process.env.LOAD_BENCH_RUNS ?? 7)
const OFFLINE_GOAL_MS = 150
const INITIAL_JS_GOAL_BYTES = 200 * 1024

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`
}

async function waitForServiceWorker(page: import('playwright-core').Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', undefined, { timeout: 30_000 })
}

async function coldLoads(url: string): Promise<LoadFigures[]> {
  const loads: LoadFigures[] = []
  for (let run = 0; run < RUNS; run++) {
    const { context, page } = await openBrowser(tempDir('pigeon-bench-load-'), 'allow')
    loads.push(await measureNavigation(page, url))
    await context.close()
  }
  return loads
}

async function warmAndOfflineReloads(url: string): Promise<{ warm: LoadFigures[], offline: LoadFigures[] }> {
  const { context, page } = await openBrowser(tempDir('pigeon-bench-load-'), 'allow')
  await measureNavigation(page, url)
  await waitForServiceWorker(page)
  // One unmeasured reload so the first measured one does not pay for the worker's first start.
  await measureReload(page)
  const warm: LoadFigures[] = []
  for (let run = 0; run < RUNS; run++)
    warm.push(await measureReload(page))
  await context.setOffline(true)
  const offline: LoadFigures[] = []
  for (let run = 0; run < RUNS; run++)
    offline.push(await measureReload(page))
  await context.close()
  return { warm, offline }
}

function gzipBytesOf(scripts: readonly string[]): { raw: number, gzip: number } {
  let raw = 0
  let gzip = 0
  for (const script of new Set(scripts)) {
    const bytes = readFileSync(path.join(outDir, script))
    raw += bytes.length
    gzip += gzipSync(bytes, { level: 9 }).length
  }
  return { raw, gzip }
}

async function main(): Promise<void> {
  console.log(`Building the app into ${path.relative(root, outDir)}…`)
  const chunks = await buildWithModuleSizes(root, outDir)
  const server = await startPigeonServer({ env: { STATIC_DIR: outDir } })
  try {
    const cold = await coldLoads(server.url)
    const { warm, offline } = await warmAndOfflineReloads(server.url)

    const initialScripts = cold[0].scripts
    const initial = gzipBytesOf(initialScripts)
    const allJs = gzipBytesOf(chunks.map(chunk => `/${chunk.fileName}`))
    const offlineMedian = median(offline.map(load => load.interactiveMs))

    const rows: TableRow[] = [
      { measure: 'cold online first load → interactive', figure: spread(cold.map(load => load.interactiveMs)), goal: '', pass: null },
      { measure: 'warm online reload → interactive', figure: spread(warm.map(load => load.interactiveMs)), goal: '', pass: null },
      { measure: 'offline reload → interactive', figure: spread(offline.map(load => load.interactiveMs)), goal: `≤ ${OFFLINE_GOAL_MS} ms`, pass: offlineMedian <= OFFLINE_GOAL_MS },
      { measure: '  of which: shell on screen (offline)', figure: spread(offline.map(load => load.shellMs)), goal: '', pass: null },
      { measure: `initial JS (${new Set(initialScripts).size} files), gzip`, figure: `${kb(initial.gzip)} (raw ${kb(initial.raw)})`, goal: `≤ ${kb(INITIAL_JS_GOAL_BYTES)}`, pass: initial.gzip <= INITIAL_JS_GOAL_BYTES },
      { measure: `all JS, precached (${chunks.length} chunks), gzip`, figure: `${kb(allJs.gzip)} (raw ${kb(allJs.raw)})`, goal: '', pass: null },
    ]
    console.log(`\n${formatTable(rows)}\n`)

    const initialFiles = new Set(initialScripts.map(script => script.replace(/^\//, '')))
    const initialChunks = chunks.filter(chunk => initialFiles.has(chunk.fileName))
    console.log('Largest parts of the initial JS (rendered bytes, before minification and gzip):')
    for (const { owner, bytes } of sizesByOwner(initialChunks).slice(0, 12))
      console.log(`  ${kb(bytes).padStart(9)}  ${owner}`)
    console.log('\nLoaded on demand and precached (rendered bytes, before minification):')
    for (const chunk of chunks.filter(chunk => !initialFiles.has(chunk.fileName))) {
      const top = sizesByOwner([chunk])[0]
      const bytes = Object.values(chunk.modules).reduce((sum, size) => sum + size, 0)
      console.log(`  ${kb(bytes).padStart(9)}  ${chunk.fileName}${top ? ` (mostly ${top.owner})` : ''}`)
    }
  }
  finally {
    await server.stop()
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
