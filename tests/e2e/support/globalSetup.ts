/**
 * Builds the app once before the browser tests. E2E_DIST_DIR builds into
 * another folder (so parallel work does not overwrite dist/); E2E_SKIP_BUILD=1
 * reuses what is there. Vitest sets NODE_ENV=test; the app under test is the
 * production build a user gets.
 */
import { spawnSync } from 'node:child_process'
import path from 'node:path'

export default function setup(): void {
  if (process.env.E2E_SKIP_BUILD === '1')
    return
  const root = path.resolve(import.meta.dirname, '..', '..', '..')
  const outDir = process.env.E2E_DIST_DIR ? path.resolve(root, process.env.E2E_DIST_DIR) : path.join(root, 'dist')
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } })
  if (result.status !== 0)
    throw new Error('The app did not build; see the output above.')
}
