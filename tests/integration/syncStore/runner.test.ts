/**
 * The collection runner with the app's real stores in Node, signed in to a
 * real Pigeon server, sending to a real target server: a run of a collection
 * for several iterations, Stop in the middle of a request and in a pause, a
 * request that cannot be sent, and secrets kept out of the stored run.
 */
import 'fake-indexeddb/auto'
import type { TargetServer } from '../../support/targetServer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '../../../src/domain/ids'
import { useEnvironmentsStore } from '../../../src/stores/environments'
import { useHistoryStore } from '../../../src/stores/history'
import { useRunnerStore } from '../../../src/stores/runner'
import { useRunsStore } from '../../../src/stores/runs'
import { useSettingsStore } from '../../../src/stores/settings'
import { useTabsStore } from '../../../src/stores/tabs'
import { startTargetServer } from '../../support/targetServer'
import { eventually } from '../clientSync/devices'
import { serverForAppTests, signUpInApp } from './appOnDevice'
import { closedPort } from '../../support/closedPort'

const { openApp } = serverForAppTests()
/** What the runs send their requests to. */
let target: TargetServer

beforeAll(async () => {
  target = await startTargetServer({ cors: true })
})
afterAll(async () => {
  await target.close()
})

/** The app signed in, its requests sent from this process (the browser agent is Node's fetch here). */
async function signedInApp() {
  const app = openApp()
  await app.workspaces.ready
  await signUpInApp(app)
  const settings = useSettingsStore()
  await settings.ready
  settings.agent = 'browser'
  return { ...app, runner: useRunnerStore(), runs: useRunsStore(), environments: useEnvironmentsStore() }
}

type RunnerApp = Awaited<ReturnType<typeof signedInApp>>

/** A collection with these requests (name, method, URL) directly inside; resolves once the tree shows them. */
async function collectionWith(app: RunnerApp, name: string, requests: Array<[string, string, string]>): Promise<{ collectionId: string, requestIds: string[] }> {
  const collectionId = await app.collections.createCollection(name)
  const requestIds: string[] = []
  for (const [requestName, method, url] of requests)
    requestIds.push(await app.collections.createRequest(collectionId, { name: requestName, method, url }))
  await eventually(() => app.collections.requests.filter(r => r.collectionId === collectionId).length, count => count === requests.length, 'the requests show in the tree')
  return { collectionId, requestIds }
}

describe('running a collection', () => {
  it('sends each request once per iteration, shows each status, and keeps the run in Runs', async () => {
    const app = await signedInApp()
    const { collectionId, requestIds } = await collectionWith(app, 'Pet store', [
      ['List pets', 'GET', `${target.url}/status/200`],
      ['Add pet', 'POST', `${target.url}/status/201`],
      ['Missing pet', 'GET', `${target.url}/status/404`],
    ])

    const saved = await app.runner.start({ targetId: collectionId, requestIds, environmentId: null, iterations: 2, delayMs: 0 })

    expect(app.runner.state).toBe('done')
    expect(app.runner.results.map(r => `${r.iteration} ${r.method} ${r.name} ${r.status}`)).toEqual([
      '1 GET List pets 200',
      '1 POST Add pet 201',
      '1 GET Missing pet 404',
      '2 GET List pets 200',
      '2 POST Add pet 201',
      '2 GET Missing pet 404',
    ])
    expect(app.runner.results[0].url).toBe(`${target.url}/status/200`)
    expect(app.runner.summary).toMatchObject({ total: 6, passed: 4, errored: 2, failed: 0 })
    expect(saved).toMatchObject({ collectionId, folderId: '', name: 'Pet store', iterations: 2, outcome: 'completed' })
    expect(saved!.results).toHaveLength(6)
    const kept = await eventually(() => app.runs.runs, runs => runs.length === 1, 'the run is listed in Runs')
    expect(kept[0]).toMatchObject({ id: saved!.id, outcome: 'completed' })
    expect(kept[0].results.map(r => r.status)).toEqual([200, 201, 404, 200, 201, 404])
  }, 30_000)

  it('runs only the checked requests of a folder', async () => {
    const app = await signedInApp()
    const collectionId = await app.collections.createCollection('Shop')
    const folderId = await app.collections.createFolder(collectionId, 'Orders')
    const first = await app.collections.createRequest(folderId, { name: 'List orders', url: `${target.url}/status/200` })
    await app.collections.createRequest(folderId, { name: 'Not this one', url: `${target.url}/status/500` })
    await app.collections.createRequest(collectionId, { name: 'Outside the folder', url: `${target.url}/status/500` })
    await eventually(() => app.collections.requests.length, count => count === 3, 'the requests show in the tree')

    const saved = await app.runner.start({ targetId: folderId, requestIds: [first], environmentId: null, iterations: 1, delayMs: 0 })

    expect(saved).toMatchObject({ folderId, name: 'Shop / Orders' })
    expect(saved!.results.map(r => r.name)).toEqual(['List orders'])
  }, 30_000)

  it('keeps the results so far when stopped while a request is in flight', async () => {
    const app = await signedInApp()
    const { collectionId, requestIds } = await collectionWith(app, 'Slow API', [
      ['Quick', 'GET', `${target.url}/status/200`],
      ['Slow', 'GET', `${target.url}/delay/20000`],
      ['Never reached', 'GET', `${target.url}/status/200`],
    ])

    const running = app.runner.start({ targetId: collectionId, requestIds, environmentId: null, iterations: 3, delayMs: 0 })
    await eventually(() => app.runner.progress, line => line === 'Iteration 1 of 3 · request 2 of 3', 'the slow request is being sent')
    app.runner.stop()
    const saved = await running

    expect(app.runner.state).toBe('stopped')
    expect(app.runner.results.map(r => r.name)).toEqual(['Quick'])
    expect(saved).toMatchObject({ outcome: 'stopped' })
    expect(saved!.results.map(r => r.name)).toEqual(['Quick'])
  }, 30_000)

  it('stops during the delay between requests without waiting it out', async () => {
    const app = await signedInApp()
    const { collectionId, requestIds } = await collectionWith(app, 'Patient API', [
      ['First', 'GET', `${target.url}/status/200`],
      ['Second', 'GET', `${target.url}/status/200`],
    ])

    const running = app.runner.start({ targetId: collectionId, requestIds, environmentId: null, iterations: 1, delayMs: 60_000 })
    await eventually(() => app.runner.results.length, count => count === 1, 'the first request answered')
    app.runner.stop()
    const saved = await running

    expect(saved).toMatchObject({ outcome: 'stopped', delayMs: 60_000 })
    expect(saved!.results.map(r => r.name)).toEqual(['First'])
  }, 30_000)

  it('records a request that cannot be sent as an error in words, and goes on with the next', async () => {
    const app = await signedInApp()
    const port = await closedPort()
    const { collectionId, requestIds } = await collectionWith(app, 'Flaky API', [
      ['Nobody home', 'GET', `http://127.0.0.1:${port}/`],
      ['Fine', 'GET', `${target.url}/status/200`],
    ])

    const saved = await app.runner.start({ targetId: collectionId, requestIds, environmentId: null, iterations: 1, delayMs: 0 })

    const [failed, fine] = saved!.results
    expect(failed).toMatchObject({ name: 'Nobody home', status: 0 })
    expect(failed.error.length).toBeGreaterThan(10)
    expect(fine).toMatchObject({ name: 'Fine', status: 200, error: '' })
    expect(app.runner.summary).toMatchObject({ passed: 1, failed: 1 })
  }, 30_000)

  it('resolves the chosen environment, and keeps secret values out of the stored URL', async () => {
    const app = await signedInApp()
    const environmentId = await app.environments.create('Staging', [
      { id: newId(), key: 'base', value: target.url, enabled: true, type: 'default' },
      { id: newId(), key: 'apiKey', value: 'hunter2', enabled: true, type: 'secret' },
    ])
    await eventually(() => app.environments.environments.length, count => count === 1, 'the environment loads')
    const { collectionId, requestIds } = await collectionWith(app, 'Keyed API', [['Echo', 'GET', '{{base}}/echo?key={{apiKey}}']])

    const saved = await app.runner.start({ targetId: collectionId, requestIds, environmentId, iterations: 1, delayMs: 0 })

    expect(saved).toMatchObject({ environmentId, environmentName: 'Staging' })
    expect(saved!.results[0].status).toBe(200)
    expect(saved!.results[0].url).not.toContain('hunter2')
    expect(decodeURIComponent(saved!.results[0].url)).toBe(`${target.url}/echo?key=•••`)
  }, 30_000)

  it('sends the saved request, not a tab\'s unsaved draft, and leaves History alone', async () => {
    const app = await signedInApp()
    const tabs = useTabsStore()
    const history = useHistoryStore()
    await tabs.ready
    const { collectionId, requestIds } = await collectionWith(app, 'Drafty API', [['Saved', 'GET', `${target.url}/status/200`]])
    const tab = (await tabs.openRequest(requestIds[0]))!
    tabs.updateDraft(tab.id, { url: `${target.url}/status/500` })

    const saved = await app.runner.start({ targetId: collectionId, requestIds, environmentId: null, iterations: 1, delayMs: 0 })

    expect(saved!.results[0]).toMatchObject({ url: `${target.url}/status/200`, status: 200 })
    expect(history.loaded).toBe(true)
    expect(history.entries).toEqual([])
  }, 30_000)

  it('stops a run when another workspace is opened, and says it was not kept', async () => {
    const app = await signedInApp()
    const { collectionId, requestIds } = await collectionWith(app, 'Long API', [['Slow', 'GET', `${target.url}/delay/20000`]])
    const otherId = await app.workspaces.create('Elsewhere')

    const running = app.runner.start({ targetId: collectionId, requestIds, environmentId: null, iterations: 1, delayMs: 0 })
    await eventually(() => app.runner.progress, line => line === 'Iteration 1 of 1 · request 1 of 1', 'the slow request is being sent')
    await app.workspaces.switchTo(otherId)

    expect(await running).toBeNull()
    expect(app.runner.state).toBe('stopped')
    expect(app.runner.saveProblem).toBe('The run stopped because another workspace was opened, and it was not kept.')
  }, 30_000)

  it('refuses to start with settings out of range, saying what to change', async () => {
    const app = await signedInApp()
    const { collectionId, requestIds } = await collectionWith(app, 'Any API', [['One', 'GET', `${target.url}/status/200`]])
    expect(() => app.runner.start({ targetId: collectionId, requestIds, environmentId: null, iterations: 0, delayMs: 0 })).toThrow('Iterations must be a whole number from 1 to 1000.')
    expect(() => app.runner.start({ targetId: collectionId, requestIds: [], environmentId: null, iterations: 1, delayMs: 0 })).toThrow('Check at least one request to run.')
    const empty = await app.collections.createCollection('Empty')
    await eventually(() => app.collections.collections.length, count => count === 2, 'the empty collection shows')
    expect(() => app.runner.start({ targetId: empty, requestIds: [], environmentId: null, iterations: 1, delayMs: 0 })).toThrow('There are no requests to run here: add a request first.')
  }, 30_000)
})
