/** Tiny factories for test entities: only what a test cares about is given. */
import type { KeyValueRow } from '../../../src/domain/model'
import { nanoid } from 'nanoid'

export function header(key: string, value: string, extra: Partial<KeyValueRow> = {}): KeyValueRow {
  return { id: nanoid(8), key, value, enabled: true, description: '', ...extra }
}

export function variable(key: string, value: string) {
  return { id: nanoid(8), key, value, enabled: true, type: 'default' as const }
}
