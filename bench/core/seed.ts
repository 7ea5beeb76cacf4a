/**
 * The bench-only seed page's script: times the import comparison, seeds the
 * app's database, and leaves the result on `window` for run.ts to collect.
 */
import { type ImportTimings, timeImports } from './importTiming'
import { seedAppDatabase } from './seedApp'
import { ISSUE_SIZE } from './workspace'

export type SeedReport =
  | { state: 'running' }
  | { state: 'done', timings: ImportTimings, workspaceId: string }
  | { state: 'failed', error: string }

declare global {
  interface Window { pigeonBenchSeed: SeedReport }
}

const params = new URLSearchParams(location.search)
const runs = Number(params.get('runs') ?? 3)
const status = document.getElementById('status')!

window.pigeonBenchSeed = { state: 'running' }
void (async () => {
  try {
    status.textContent = `Timing the import ${runs} times…`
    const timings = runs > 0 ? await timeImports(ISSUE_SIZE, runs) : { importMs: [], transactMs: [], bulkPutMs: [], reopenMs: [], treeReadMs: [], updateBytes: 0 }
    status.textContent = 'Writing the workspace into the app’s database…'
    const workspaceId = await seedAppDatabase(ISSUE_SIZE, 'Benchmark: 10,000 requests')
    window.pigeonBenchSeed = { state: 'done', timings, workspaceId }
    status.textContent = 'Done.'
  }
  catch (error) {
    window.pigeonBenchSeed = { state: 'failed', error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) }
    status.textContent = 'Failed.'
  }
})()
