/** Tiny builders of domain test data: give only what the test is about. */
import type { ScopeName, ScopedValue, VariableScope } from '../../../src/domain/scopes'
import { Auth, Collection, Example, Folder, FormDataRow, KeyValueRow, Request, RequestSnapshot } from '../../../src/domain/model'

let counter = 0
export function testId(prefix = 'id'): string {
  counter += 1
  return `${prefix}-${counter}`
}

export function row(key: string, value = '', extra: Partial<KeyValueRow> = {}): KeyValueRow {
  return KeyValueRow.parse({ id: testId('row'), key, value, ...extra })
}

export function formRow(key: string, value = '', extra: Partial<FormDataRow> = {}): FormDataRow {
  return FormDataRow.parse({ id: testId('form'), key, value, ...extra })
}

export function scope(name: ScopeName, values: Record<string, string> | ScopedValue[], label?: string): VariableScope {
  const list = Array.isArray(values) ? values : Object.entries(values).map(([key, value]) => ({ key, value }))
  return label === undefined ? { name, values: list } : { name, label, values: list }
}

export function auth(fields: Partial<Auth> & { type: Auth['type'] }): Auth {
  return Auth.parse(fields)
}

export function snapshot(fields: Partial<RequestSnapshot> = {}): RequestSnapshot {
  return RequestSnapshot.parse({ name: 'Request', method: 'GET', url: 'https://api.example.com', ...fields })
}

export function collection(fields: Partial<Collection> = {}): Collection {
  return Collection.parse({ id: testId('col'), ...fields })
}

export function folder(parent: { id: string, collectionId?: string }, fields: Partial<Folder> = {}): Folder {
  return Folder.parse({ id: testId('fld'), parentId: parent.id, collectionId: parent.collectionId ?? parent.id, ...fields })
}

export function request(parent: { id: string, collectionId?: string }, fields: Partial<Request> = {}): Request {
  return Request.parse({ id: testId('req'), parentId: parent.id, collectionId: parent.collectionId ?? parent.id, ...fields })
}

export function example(of: Request, fields: Partial<Example> = {}): Example {
  return Example.parse({ id: testId('ex'), requestId: of.id, request: RequestSnapshot.parse(of), ...fields })
}

/** Time and randomness pinned, so dynamic variables give known values. */
export function fixedDynamic(now = Date.UTC(2026, 0, 2, 3, 4, 5), random = 0.5) {
  return { now: () => now, random: () => random }
}
