// `npm test`: every tier in order (unit, integration, end-to-end in Chromium),
// then one closing line with the totals: "N passed, N failed".
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const reports = path.join(root, '.tmp', 'test-reports')
rmSync(reports, { recursive: true, force: true })
mkdirSync(reports, { recursive: true })

const tiers = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'integration', 'e2e']
let passed = 0
let failed = 0
let skipped = 0
let exitCode = 0

for (const tier of tiers) {
  console.log(`\n=== ${tier} tests ===`)
  const outputFile = path.join(reports, `${tier}.json`)
  const result = spawnSync(process.execPath, [
    path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--project', tier,
    '--reporter=default', '--reporter=json', `--outputFile.json=${outputFile}`,
  ], { stdio: 'inherit', cwd: root, env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' } })
  try {
    const report = JSON.parse(readFileSync(outputFile, 'utf8'))
    passed += report.numPassedTests
    failed += report.numFailedTests
    skipped += report.numPendingTests + (report.numTodoTests ?? 0)
    if (report.numTotalTests === 0) {
      console.log(`No ${tier} tests ran.`)
      exitCode = 1
    }
  }
  catch {
    console.log(`The ${tier} tier did not produce a report.`)
    exitCode = 1
  }
  if (result.status !== 0)
    exitCode = result.status ?? 1
}

console.log(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(failed > 0 ? 1 : exitCode)
