/**
 * Builds src/agents into one script a real browser can load (an IIFE that
 * sets `window.PigeonAgents`), next to a blank index.html, in a temp folder
 * the Pigeon server can serve as STATIC_DIR.
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { build } from 'vite'
import { tempDir } from '../../support/pigeonServer'

const root = path.resolve(import.meta.dirname, '..', '..', '..')

interface BuiltChunk { code: string }

/** Returns the folder that holds index.html and agents.js. */
export async function buildAgentsPage(): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    root,
    build: {
      write: false,
      minify: false,
      lib: { entry: path.join(root, 'src/agents/send.ts'), formats: ['iife'], name: 'PigeonAgents', fileName: 'agents' },
    },
  })
  const outputs = (Array.isArray(result) ? result : [result]) as Array<{ output: BuiltChunk[] }>
  const dir = tempDir('pigeon-agents-page-')
  writeFileSync(path.join(dir, 'agents.js'), outputs[0]!.output[0]!.code)
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><html><head><title>Agents</title><script src="/agents.js"></script></head><body></body></html>')
  return dir
}
