// `npm run bench`: every benchmark in bench/<area>/run.ts, one after another
// (they measure on this machine, so never in parallel). Benchmarks print
// figures and ratios; they are not tests and do not fail on a slow machine.
// Run one area alone with `npm run bench -- <area>`.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const benchDir = path.join(root, 'bench')
const wanted = process.argv.slice(2)
const areas = readdirSync(benchDir, { withFileTypes: true })
  .filter(entry => entry.isDirectory() && existsSync(path.join(benchDir, entry.name, 'run.ts')))
  .map(entry => entry.name)
  .filter(name => wanted.length === 0 || wanted.includes(name))
  .sort()

let failures = 0
for (const area of areas) {
  console.log(`\n=== bench: ${area} ===`)
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(benchDir, area, 'run.ts')], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) {
    failures++
    console.log(`The ${area} benchmark did not finish (exit ${result.status}).`)
  }
}
if (areas.length === 0)
  console.log('No benchmarks found under bench/<area>/run.ts.')
process.exit(failures ? 1 : 0)
