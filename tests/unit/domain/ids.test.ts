import { describe, expect, it } from 'vitest'
import { newId } from '../../../src/domain/ids'

describe('ids made on this device', () => {
  it('are URL-safe and never repeat', () => {
    const ids = Array.from({ length: 10_000 }, () => newId())
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids.slice(0, 100))
      expect(id).toMatch(/^[\w-]{21}$/)
  })
})
