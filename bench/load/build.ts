/**
 * Builds the app for the load benchmark and keeps what Rolldown knows about
 * it: which modules went into which chunk and how many bytes each rendered,
 * so an initial JS over budget can be traced to the modules responsible.
 */
import type { Plugin } from 'vite'
import path from 'node:path'
import { build } from 'vite'

export interface ChunkModules {
  /** File name under the output folder, e.g. assets/index-abc.js. */
  fileName: string
  isEntry: boolean
  /** Chunks this one imports statically (loaded with it) — not the dynamic ones. */
  imports: string[]
  /** Rendered (minified) bytes per module id. */
  modules: Record<string, number>
}

/** Builds into `outDir` as production and returns every JS chunk with its modules. */
export async function buildWithModuleSizes(root: string, outDir: string): Promise<ChunkModules[]> {
  const chunks: ChunkModules[] = []
  const collector: Plugin = {
    name: 'pigeon:bench-module-sizes',
    generateBundle(_options, bundle) {
      for (const output of Object.values(bundle)) {
        if (output.type !== 'chunk')
          continue
        const modules: Record<string, number> = {}
        for (const [id, info] of Object.entries(output.modules))
          modules[id] = info.renderedLength
        chunks.push({ fileName: output.fileName, isEntry: output.isEntry, imports: output.imports, modules })
      }
    },
  }
  process.env.NODE_ENV = 'production'
  process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING = 'true'
  await build({
    root,
    configFile: path.join(root, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
    plugins: [collector],
  })
  return chunks
}

/** Groups module sizes by npm package (or by file for the app's own code). */
export function sizesByOwner(chunks: readonly ChunkModules[]): Array<{ owner: string, bytes: number }> {
  const totals = new Map<string, number>()
  for (const chunk of chunks) {
    for (const [id, bytes] of Object.entries(chunk.modules)) {
      const clean = id.replace(/\?.*$/, '').replace(/^\0/, '')
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(clean)
      const owner = match ? match[1] : path.relative(process.cwd(), clean)
      totals.set(owner, (totals.get(owner) ?? 0) + bytes)
    }
  }
  return [...totals].map(([owner, bytes]) => ({ owner, bytes })).sort((a, b) => b.bytes - a.bytes)
}
