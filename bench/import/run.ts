// `npx tsx bench/import/run.ts`: the import benchmark in Node on fake-indexeddb,
// then in Chromium when it is installed (BENCH_CHROMIUM=0 skips it).
// fake-indexeddb must load before Dexie captures the IndexedDB globals.
import 'fake-indexeddb/auto'
import { existsSync } from 'node:fs'
import { openPigeonDb } from '../../src/db/schema'
import { formatImportResult, measureImport } from './measure'
import { measureImportInChromium } from './chromium'

const runs = Number(process.env.BENCH_RUNS ?? 3)
const inNode = await measureImport({ openDb: openPigeonDb, runs })
console.log(formatImportResult(inNode, `Node ${process.version}, fake-indexeddb`))

const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
if (process.env.BENCH_CHROMIUM !== '0' && existsSync(chromiumPath)) {
  const inChromium = await measureImportInChromium(runs)
  console.log(formatImportResult(inChromium, 'Chromium, IndexedDB'))
}
