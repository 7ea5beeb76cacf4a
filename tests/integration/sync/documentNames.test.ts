import { describe, expect, it } from 'vitest'
import { documentNameOf, MAX_DOCUMENT_NAME_LENGTH, parseDocumentName } from '../../../src/domain/syncProtocol.js'

describe('sync document names', () => {
  it('reads the three kinds of documents and writes them back', () => {
    for (const name of ['ws/abc_DEF-123', 'runs/w1', 'history/w1/u1']) {
      const parsed = parseDocumentName(name)
      expect(parsed).not.toBeNull()
      expect(documentNameOf(parsed!)).toBe(name)
    }
    expect(parseDocumentName('history/w1/u1')).toEqual({ kind: 'history', workspaceId: 'w1', userId: 'u1' })
  })

  it('refuses everything else', () => {
    const bad = ['', 'ws', 'ws/', 'ws//', 'ws/..', 'ws/.', 'ws/a b', 'ws/a%2e', 'ws/a\0', 'ws/é', 'WS/a', 'ws/a/b', 'runs/a/b', 'history/a', 'history/a/b/c', 'other/a', '/ws/a', 'ws/a/', `ws/${'x'.repeat(65)}`, 'x'.repeat(MAX_DOCUMENT_NAME_LENGTH + 1)]
    for (const name of bad)
      expect(parseDocumentName(name), JSON.stringify(name)).toBeNull()
  })

  it('accepts the longest valid name', () => {
    const longest = `history/${'a'.repeat(64)}/${'b'.repeat(64)}`
    expect(longest).toHaveLength(MAX_DOCUMENT_NAME_LENGTH)
    expect(parseDocumentName(longest)).not.toBeNull()
  })
})
