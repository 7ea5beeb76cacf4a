/**
 * Keeps the dependency direction of docs/architecture.md true:
 * components → stores/composables → domain, sync, db, agents → domain.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '..', '..')

function filesUnder(dir: string): string[] {
  const full = path.join(root, dir)
  let names: string[]
  try {
    names = readdirSync(full)
  }
  catch {
    return []
  }
  return names.flatMap((name) => {
    const child = path.join(dir, name)
    if (statSync(path.join(root, child)).isDirectory())
      return filesUnder(child)
    return /\.(ts|vue)$/.test(name) ? [child] : []
  })
}

function importsOf(file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8')
  const found = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm)]
  return found.map(m => m[1] ?? m[2] ?? m[3])
}

/** Resolves a relative import to a path from the repository root, or returns the package name. */
function target(file: string, spec: string): string {
  if (!spec.startsWith('.'))
    return spec
  return path.relative(root, path.resolve(path.dirname(path.join(root, file)), spec))
}

function violations(dir: string, forbidden: (target: string) => boolean): string[] {
  return filesUnder(dir).flatMap(file => importsOf(file)
    .map(spec => target(file, spec))
    .filter(forbidden)
    .map(t => `${file} imports ${t}`))
}

const isDexie = (t: string): boolean => t === 'dexie' || t.startsWith('dexie/')
const isYjs = (t: string): boolean => ['yjs', 'y-websocket', 'y-protocols'].some(p => t === p || t.startsWith(`${p}/`))
const isIn = (dir: string) => (t: string): boolean => t === dir || t.startsWith(`${dir}/`)

describe('the architecture', () => {
  it('keeps the domain pure: no Dexie, no Yjs, no browser-only modules of the app', () => {
    expect(violations('src/domain', t => isDexie(t) || isYjs(t) || isIn('src/db')(t) || isIn('src/sync')(t) || isIn('src/stores')(t) || isIn('src/components')(t) || t === 'vue' || t === 'pinia')).toEqual([])
  })

  it('lets only src/db import Dexie', () => {
    const dirs = ['src/domain', 'src/sync', 'src/stores', 'src/components', 'src/composables', 'src/agents', 'src/pages', 'src/pwa']
    expect(dirs.flatMap(dir => violations(dir, isDexie))).toEqual([])
  })

  it('lets only src/sync import Yjs and y-websocket', () => {
    const dirs = ['src/domain', 'src/db', 'src/stores', 'src/components', 'src/composables', 'src/agents', 'src/pages', 'src/pwa']
    expect(dirs.flatMap(dir => violations(dir, isYjs))).toEqual([])
  })

  it('keeps components away from storage, sync and the API client', () => {
    const forbidden = (t: string): boolean => isIn('src/db')(t) || isIn('src/sync')(t) || isIn('src/api')(t) || isDexie(t) || isYjs(t)
    expect([...violations('src/components', forbidden), ...violations('src/pages', forbidden)]).toEqual([])
  })

  it('keeps the server independent of the browser app except the shared domain', () => {
    expect(violations('server/src', t => t.startsWith('src/') && !isIn('src/domain')(t))).toEqual([])
  })
})
