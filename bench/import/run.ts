// `npx tsx bench/import/run.ts`: bench/core's import comparison (10,000
// requests through importEntities into Y.Doc + Dexie, against a bare Dexie
// bulkPut of the same rows) in Node on fake-indexeddb, without a browser.
// bench/core measures the same thing in Chromium's real IndexedDB.
// fake-indexeddb must load before Dexie captures the IndexedDB globals.
import 'fake-indexeddb/auto'
import { timeImports } from '../core/importTiming'
import { median, spread } from '../core/report'
import { ISSUE_SIZE } from '../core/workspace'

const runs = Number(process.env.BENCH_RUNS ?? 3)
const timings = await timeImports(ISSUE_SIZE, runs)
const ratio = median(timings.importMs) / median(timings.bulkPutMs)
console.log(`Import of ${ISSUE_SIZE.requests.toLocaleString('en')} requests in ${ISSUE_SIZE.folders} folders (Node ${process.version}, fake-indexeddb)`)
console.log(`  importEntities → Y.Doc + Dexie: ${spread(timings.importMs)} (Yjs transaction ${spread(timings.transactMs)})`)
console.log(`  bare Dexie bulkPut:             ${spread(timings.bulkPutMs)}`)
console.log(`  ratio of the medians: ${ratio.toFixed(2)}× (goal ≤ 3×)`)
console.log(`  reopening the doc: ${spread(timings.reopenMs)}; reading the tree rows: ${spread(timings.treeReadMs)}`)
