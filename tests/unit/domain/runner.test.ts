import type { RunResult } from '../../../src/domain/model'
import { describe, expect, it } from 'vitest'
import { buildPreparedRequest } from '../../../src/domain/requestBuilding'
import { classifyResult, maskSecrets, MASKED_SECRET, progressLine, repeatableDynamics, requestsToRunAgain, runSettingsProblems, runSteps, runTargetOf, summarizeRun } from '../../../src/domain/runner'
import { buildTree } from '../../../src/domain/tree'
import { collection, folder, request, scope, snapshot } from './factories'

/** Pet store › Health, Users (› Admin › Ban, Create user, List users), Orders (empty); Other › Ping. */
function workspace() {
  const petStore = collection({ name: 'Pet store', sortKey: 'a0' })
  const other = collection({ name: 'Other', sortKey: 'a1' })
  const users = folder(petStore, { name: 'Users', sortKey: 'a1' })
  const admin = folder(users, { name: 'Admin', sortKey: 'a0' })
  const orders = folder(petStore, { name: 'Orders', sortKey: 'a2' })
  const health = request(petStore, { name: 'Health', sortKey: 'a0', url: '{{base}}/health' })
  const listUsers = request(users, { name: 'List users', sortKey: 'a2', url: '{{base}}/users' })
  const createUser = request(users, { name: 'Create user', sortKey: 'a1', method: 'POST', url: '{{base}}/users' })
  const ban = request(admin, { name: 'Ban', method: 'DELETE', url: '{{base}}/ban' })
  const ping = request(other, { name: 'Ping' })
  const tree = buildTree({ collections: [other, petStore], folders: [orders, admin, users], requests: [ping, ban, listUsers, health, createUser] })
  return { tree, petStore, users, admin, orders, health, listUsers, createUser, ban }
}

function result(fields: Partial<RunResult>): RunResult {
  return { requestId: 'r', iteration: 1, name: '', method: 'GET', url: '', status: 200, statusText: 'OK', timeMs: 10, size: 0, error: '', ...fields }
}

describe('what a run sends', () => {
  it('runs every request of a collection, nested folders included, in the order the sidebar shows', () => {
    const { tree, petStore, health, ban, createUser, listUsers } = workspace()
    const target = runTargetOf(tree, petStore.id)!
    expect(target.requests.map(r => r.id)).toEqual([health.id, ban.id, createUser.id, listUsers.id])
    expect(target.requests.map(r => r.folderPath)).toEqual(['', 'Users / Admin', 'Users', 'Users'])
    expect(target).toMatchObject({ collectionId: petStore.id, folderId: '', name: 'Pet store' })
  })

  it('runs only what is inside a folder, named with its path', () => {
    const { tree, petStore, users, ban, createUser, listUsers } = workspace()
    const target = runTargetOf(tree, users.id)!
    expect(target.requests.map(r => r.name)).toEqual([ban.name, createUser.name, listUsers.name])
    expect(target.requests[1]).toMatchObject({ method: 'POST', url: '{{base}}/users', folderPath: '' })
    expect(target).toMatchObject({ collectionId: petStore.id, folderId: users.id, name: 'Pet store / Users' })
  })

  it('has nothing to run in an empty folder, and no target for a request or a deleted id', () => {
    const { tree, orders, health } = workspace()
    expect(runTargetOf(tree, orders.id)?.requests).toEqual([])
    expect(runTargetOf(tree, health.id)).toBeNull()
    expect(runTargetOf(tree, 'gone')).toBeNull()
  })

  it('sends the selected requests once per iteration, in order', () => {
    const steps = [...runSteps(['a', 'b', 'c'], 2)]
    expect(steps.map(s => `${s.iteration}:${s.requestId}:${s.position}`)).toEqual(['1:a:1', '1:b:2', '1:c:3', '2:a:1', '2:b:2', '2:c:3'])
    expect(progressLine(steps[4], 2, 3)).toBe('Iteration 2 of 2 · request 2 of 3')
  })
})

describe('the runner settings', () => {
  it('accepts 1 to 1000 iterations and a delay of 0 to 60000 ms', () => {
    expect(runSettingsProblems({ iterations: 1, delayMs: 0 })).toEqual({})
    expect(runSettingsProblems({ iterations: 1000, delayMs: 60_000 })).toEqual({})
  })

  it('says what is wrong with iterations or a delay out of range', () => {
    expect(runSettingsProblems({ iterations: 0, delayMs: -1 })).toEqual({
      iterations: 'Iterations must be a whole number from 1 to 1000.',
      delayMs: 'The delay must be a whole number of milliseconds from 0 to 60000.',
    })
    expect(runSettingsProblems({ iterations: 1001, delayMs: 60_001 })).toHaveProperty('iterations')
    expect(runSettingsProblems({ iterations: 2.5, delayMs: Number.NaN })).toHaveProperty('delayMs')
  })
})

describe('the URL a run keeps', () => {
  it('masks secret variables, and values built from them, but not the others', () => {
    const scopes = [
      scope('environment', [{ key: 'base', value: 'https://api.test' }, { key: 'key', value: 's3cret', secret: true }, { key: 'auth', value: 'k-{{key}}' }]),
    ]
    const sent = buildPreparedRequest(snapshot({ url: '{{base}}/users?key={{key}}&auth={{auth}}' }), { scopes, ancestorsAuth: [], defaults: { timeoutMs: 1000 } })
    const kept = buildPreparedRequest(snapshot({ url: '{{base}}/users?key={{key}}&auth={{auth}}' }), { scopes: maskSecrets(scopes), ancestorsAuth: [], defaults: { timeoutMs: 1000 } })
    expect(sent.url).toContain('s3cret')
    expect(kept.url).not.toContain('s3cret')
    expect(decodeURIComponent(kept.url)).toBe(`https://api.test/users?key=${MASKED_SECRET}&auth=k-${MASKED_SECRET}`)
  })

  it('keeps the dynamic values that were sent', () => {
    const { first, again } = repeatableDynamics()
    const build = (dynamic: typeof first) => buildPreparedRequest(snapshot({ url: 'https://api.test/{{$guid}}' }), { scopes: [], ancestorsAuth: [], defaults: { timeoutMs: 1000 }, dynamic }).url
    expect(build(again())).not.toBe('')
    const sent = build(first)
    expect(build(again())).toBe(sent)
  })
})

describe('the summary of a run', () => {
  it('counts answers by class, failures to send, and averages the answered response times', () => {
    const results = [
      result({ status: 200, timeMs: 10 }),
      result({ status: 302, timeMs: 20 }),
      result({ status: 404, timeMs: 30 }),
      result({ status: 500, timeMs: 60 }),
      result({ status: 0, timeMs: 5000, error: 'Connection refused.' }),
    ]
    expect(summarizeRun(results, 1000, 4500)).toEqual({ total: 5, passed: 2, errored: 2, failed: 1, durationMs: 3500, averageResponseMs: 30 })
    expect(results.map(classifyResult)).toEqual(['success', 'redirect', 'client-or-server-error', 'client-or-server-error', 'failed'])
  })

  it('has no average when nothing answered', () => {
    expect(summarizeRun([], 5, 5)).toMatchObject({ total: 0, averageResponseMs: 0, durationMs: 0 })
  })

  it('runs again the requests a complete run sent, and everything after a run that stopped early', () => {
    const results = [result({ requestId: 'a' }), result({ requestId: 'c' }), result({ requestId: 'a', iteration: 2 })]
    expect(requestsToRunAgain(results, true)).toEqual(['a', 'c'])
    expect(requestsToRunAgain(results, false)).toBeNull()
  })
})
