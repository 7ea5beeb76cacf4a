/** Builds the app once before the browser tests (skip with E2E_SKIP_BUILD=1 when dist/ is fresh). */
import { spawnSync } from 'node:child_process'
import path from 'node:path'

export default function setup(): void {
  if (process.env.E2E_SKIP_BUILD === '1')
    return
  const root = path.resolve(import.meta.dirname, '..', '..', '..')
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0)
    throw new Error('The app did not build; see the output above.')
}
