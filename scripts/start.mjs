// `npm start`: build the app when the sources are newer than dist/, then run
// the one server process (app + API + proxy + sync) on PORT (default 8080).
import { spawnSync, spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')

function newestMtime(target) {
  if (!existsSync(target))
    return 0
  const info = statSync(target)
  if (!info.isDirectory())
    return info.mtimeMs
  return readdirSync(target).reduce((max, name) => Math.max(max, newestMtime(path.join(target, name))), info.mtimeMs)
}

const built = path.join(root, 'dist', 'index.html')
const sources = ['src', 'public', 'build', 'index.html', 'vite.config.ts', 'package.json'].map(p => path.join(root, p))
if (!existsSync(built) || Math.max(...sources.map(newestMtime)) > statSync(built).mtimeMs) {
  console.log('Building the app…')
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { stdio: 'inherit', cwd: root })
  if (result.status !== 0)
    process.exit(result.status ?? 1)
}

const server = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/src/main.ts')], { stdio: 'inherit', cwd: root })
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => server.kill(signal))
server.on('exit', code => process.exit(code ?? 0))
