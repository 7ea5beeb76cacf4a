/** The real Postman files in ../shared/corpus (beside the checkout), sorted into collections and environments. */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'

const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..', '..')
export const CORPUS_DIR = process.env.PIGEON_CORPUS_DIR || resolve(REPO_ROOT, '..', 'shared', 'corpus')

function allJsonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? allJsonFiles(path) : name.endsWith('.json') ? [path] : []
  })
}

export interface CorpusFile {
  name: string
  bytes: Uint8Array
}

function load(path: string): CorpusFile {
  return { name: relative(CORPUS_DIR, path), bytes: new Uint8Array(readFileSync(path)) }
}

const files = allJsonFiles(CORPUS_DIR).sort()
const isEnvironment = (path: string) => /environment\.json$/.test(path)
// Data files and newman run configs are not collections.
const isOther = (path: string) => /postman_(data|config)\.json$|upload-file\.json$/.test(path)

export const corpusCollections: CorpusFile[] = files.filter(path => !isEnvironment(path) && !isOther(path)).map(load)
export const corpusEnvironments: CorpusFile[] = files.filter(isEnvironment).map(load)

export function corpusFile(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(CORPUS_DIR, name)))
}
