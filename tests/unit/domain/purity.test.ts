import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const DOMAIN_DIR = join(import.meta.dirname, '../../../src/domain')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') ? [path] : []
  })
}

describe('the domain layer stays pure, so the server and the browser can both run it', () => {
  const files = sourceFiles(DOMAIN_DIR)

  it('imports no storage, sync, UI or Node-only module', () => {
    const forbidden = /from '(dexie|yjs|y-websocket|y-protocols|lib0[^']*|vue|pinia|node:[^']+|fs|path|buffer|\.\.\/(db|sync|stores|components|agents)[^']*)'/
    for (const file of files)
      expect(readFileSync(file, 'utf8'), file).not.toMatch(forbidden)
  })

  it('touches no browser or Node global', () => {
    for (const file of files) {
      const code = readFileSync(file, 'utf8').replace(/^\s*(\/\/|\*|\/\*\*).*$/gm, '')
      expect(code, file).not.toMatch(/\b(window|document|localStorage|indexedDB|navigator|Buffer|process)\.[a-zA-Z_$]/)
    }
  })
})
