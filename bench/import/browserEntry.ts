// Bundled for Chromium by chromium.ts: exposes the import benchmark to the page.
import { openPigeonDb } from '../../src/db/schema'
import { type ImportBenchResult, measureImport } from './measure'

declare global {
  interface Window { runImportBench: (runs: number) => Promise<ImportBenchResult> }
}

window.runImportBench = runs => measureImport({ openDb: openPigeonDb, runs })
