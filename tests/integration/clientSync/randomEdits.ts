/**
 * Random edits across every entity kind, through the data layer's
 * mutations, driven by a seeded generator so a failing run can be replayed.
 * A ledger remembers what was created and deleted, so the test can tell
 * which entities must exist at the end.
 */
import { nanoid } from 'nanoid'
import { GLOBALS_ID } from '../../../src/domain/model'
import { kindMap } from '../../../src/sync/docSchema'
import { RequestSnapshot, ResponseSummary } from '../../../src/domain/model'
import { type HistoryHandle, addHistoryEntry, deleteHistoryEntry } from '../../../src/sync/historyDocs'
import { type RunsHandle, addRun, deleteRun } from '../../../src/sync/runDocs'
import { createEntity, deleteEntity, moveEntity, updateEntity } from '../../../src/sync/mutations'
import type { WorkspaceHandle } from '../../../src/sync/workspaceDocs'

/** A small, fast, seeded generator (mulberry32): the same seed gives the same run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6D2B79F5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export class Dice {
  constructor(readonly next: () => number) {}
  int(max: number): number {
    return Math.floor(this.next() * max)
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T | undefined {
    return items.length ? items[this.int(items.length)] : undefined
  }

  word(): string {
    return this.pick(['alpha', 'beta', 'gamma', 'delta', 'omega', 'users', 'orders', 'login', 'health', 'search'])!
  }
}

/** What every device did, so the end state can be checked. */
export class Ledger {
  /** Created entity ids, with every id they were ever placed under (a delete there may take them along). */
  readonly created = new Map<string, { kind: string, under: Set<string> }>()
  readonly deleted = new Set<string>()

  /** Ids that must exist at the end: created, and neither they nor anything they were under was deleted. */
  mustExist(): Map<string, string> {
    const result = new Map<string, string>()
    for (const [id, entry] of this.created) {
      if (this.wasTakenAlong(id, new Set()))
        continue
      result.set(id, entry.kind)
    }
    return result
  }

  private wasTakenAlong(id: string, seen: Set<string>): boolean {
    if (this.deleted.has(id))
      return true
    if (seen.has(id))
      return false
    seen.add(id)
    const entry = this.created.get(id)
    return !!entry && [...entry.under].some(parent => this.wasTakenAlong(parent, seen))
  }
}

function ids(handle: WorkspaceHandle, kind: Parameters<typeof kindMap>[1]): string[] {
  return [...kindMap(handle.doc, kind).keys()].sort()
}

function variables(dice: Dice): Array<{ id: string, key: string, value: string, enabled: boolean, type: 'default' }> {
  return Array.from({ length: 1 + dice.int(3) }, () => ({ id: nanoid(8), key: dice.word(), value: String(dice.int(1000)), enabled: dice.chance(0.8), type: 'default' as const }))
}

/** One random edit on `handle`; returns a short description of what it did (for the failure report). */
export function randomEdit(handle: WorkspaceHandle, dice: Dice, ledger: Ledger): string {
  const collections = ids(handle, 'collections')
  const folders = ids(handle, 'folders')
  const requests = ids(handle, 'requests')
  const containers = [...collections, ...folders]
  const remember = (kind: string, id: string, under: string[]): void => {
    ledger.created.set(id, { kind, under: new Set(under) })
  }
  const roll = dice.int(14)
  if (roll === 0 || !collections.length) {
    const c = createEntity(handle, 'collections', { name: `${dice.word()} API`, description: `About ${dice.word()}.` })
    remember('collections', c.id, [])
    return `create collection ${c.id}`
  }
  if (roll === 1) {
    const parentId = dice.pick(containers)!
    const f = createEntity(handle, 'folders', { parentId, name: dice.word() })
    remember('folders', f.id, [parentId, f.collectionId])
    return `create folder ${f.id} in ${parentId}`
  }
  if (roll <= 3 || !requests.length) {
    const parentId = dice.pick(containers)!
    const r = createEntity(handle, 'requests', { parentId, name: `${dice.word()} request`, method: dice.pick(['GET', 'POST', 'PUT', 'DELETE'])!, url: `https://api.example.com/${dice.word()}` })
    remember('requests', r.id, [parentId, r.collectionId])
    return `create request ${r.id} in ${parentId}`
  }
  if (roll === 4) {
    const id = dice.pick(requests)!
    updateEntity(handle, 'requests', id, { name: `${dice.word()} ${dice.int(100)}`, url: `https://api.example.com/${dice.word()}/${dice.int(100)}` })
    return `rename request ${id}`
  }
  if (roll === 5) {
    const id = dice.pick(requests)!
    updateEntity(handle, 'requests', id, { description: `${dice.word()} then ${dice.word()}`, method: dice.pick(['GET', 'PATCH', 'HEAD'])! })
    return `describe request ${id}`
  }
  if (roll === 6) {
    const requestId = dice.pick(requests)!
    const e = createEntity(handle, 'examples', { requestId, name: `${dice.word()} example`, request: { name: 'Sent', method: 'GET', url: 'https://api.example.com/sent' }, status: 200, body: `{"${dice.word()}":${dice.int(10)}}` })
    remember('examples', e.id, [requestId])
    return `create example ${e.id} on ${requestId}`
  }
  if (roll === 7) {
    const p = createEntity(handle, 'presets', { name: `${dice.word()} preset`, headers: [{ id: nanoid(8), key: 'Accept', value: 'application/json', enabled: true, description: '' }] })
    remember('presets', p.id, [])
    return `create preset ${p.id}`
  }
  if (roll === 8) {
    const environments = ids(handle, 'environments')
    if (!environments.length || dice.chance(0.4)) {
      const e = createEntity(handle, 'environments', { name: dice.word(), variables: variables(dice) })
      remember('environments', e.id, [])
      return `create environment ${e.id}`
    }
    const id = dice.pick(environments)!
    updateEntity(handle, 'environments', id, { variables: variables(dice) })
    return `change variables of environment ${id}`
  }
  if (roll === 9) {
    updateEntity(handle, 'globals', GLOBALS_ID, { variables: variables(dice) })
    return 'change globals'
  }
  if (roll === 10) {
    const id = dice.pick(collections)!
    updateEntity(handle, 'collections', id, { name: `${dice.word()} API`, testScript: `pm.test('${dice.word()}', () => {})` })
    return `edit collection ${id}`
  }
  if (roll === 11 && containers.length > 1) {
    const id = dice.pick(requests)!
    const target = dice.pick(containers)!
    try {
      moveEntity(handle, 'requests', id, target)
    }
    catch (error) {
      // Some moves are refused on purpose (e.g. into another collection's folder that vanished); that is fine.
      return `move request ${id} refused: ${(error as Error).message}`
    }
    const entry = ledger.created.get(id)
    entry?.under.add(target)
    return `move request ${id} to ${target}`
  }
  // Deletes, rarer for containers so the workspace keeps some content.
  const kind = dice.pick(['requests', 'requests', 'examples', 'presets', 'environments', 'folders', 'collections'] as const)!
  const victim = dice.pick(ids(handle, kind))
  if (!victim)
    return `nothing to delete among ${kind}`
  deleteEntity(handle, kind, victim)
  ledger.deleted.add(victim)
  return `delete ${kind} ${victim}`
}

/** One random change to a person's history: mostly a sent request, sometimes a deleted entry. */
export function randomHistoryEdit(handle: HistoryHandle, dice: Dice, ledger: Ledger): string {
  const entries = [...kindMap(handle.doc, 'history').keys()].sort()
  if (entries.length && dice.chance(0.2)) {
    const id = dice.pick(entries)!
    deleteHistoryEntry(handle, id)
    ledger.deleted.add(id)
    return `delete history entry ${id}`
  }
  const entry = addHistoryEntry(handle, {
    requestId: '',
    request: RequestSnapshot.parse({ name: dice.word(), method: 'GET', url: `https://api.example.com/${dice.word()}` }),
    response: ResponseSummary.parse({ status: dice.pick([200, 201, 404, 500])!, timeMs: dice.int(300), body: `{"n":${dice.int(100)}}` }),
    sentAt: Date.now(),
  })
  ledger.created.set(entry.id, { kind: 'history', under: new Set() })
  return `send a request: history entry ${entry.id}`
}

/** One random change to the workspace's collection runs: mostly a finished run saved, sometimes one deleted. */
export function randomRunEdit(handle: RunsHandle, dice: Dice, ledger: Ledger): string {
  const runs = [...kindMap(handle.doc, 'runs').keys()].sort()
  if (runs.length && dice.chance(0.3)) {
    const id = dice.pick(runs)!
    deleteRun(handle, id)
    ledger.deleted.add(id)
    return `delete run ${id}`
  }
  const startedAt = Date.now()
  const iterations = 1 + dice.int(3)
  const results = Array.from({ length: iterations }, (_, index) => ({
    requestId: nanoid(),
    iteration: index + 1,
    name: dice.word(),
    method: 'GET',
    url: `https://api.example.com/${dice.word()}`,
    status: dice.pick([200, 201, 404, 500])!,
    timeMs: dice.int(300),
  }))
  const run = addRun(handle, { collectionId: nanoid(), name: dice.word(), iterations, startedAt, finishedAt: startedAt + dice.int(500), results })
  ledger.created.set(run.id, { kind: 'runs', under: new Set() })
  return `save run ${run.id}`
}
