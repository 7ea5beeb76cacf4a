/**
 * Randomized convergence: four devices (two people, two devices each) edit a
 * shared team workspace at random across every entity kind, their own
 * history and the workspace's collection runs, go offline and online,
 * reload from their own IndexedDB, and live through a server SIGKILL. At
 * the end every device's Y.Docs and Dexie tables are equal (history: per
 * person) and hold every entity and run that was created and not deleted.
 *
 * Seeded: a failure prints `SEED=…`; run again with that SEED to replay the
 * same choices (timing still varies). `SOAK=1` runs many more rounds.
 */
import type { PigeonServer } from '../../support/pigeonServer.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPigeonServer } from '../../support/pigeonServer.js'
import { createWorkspace, invite, signInOnAnotherDevice, signUp } from '../sync/accounts.js'
import { ENTITY_KINDS } from '../../../src/domain/model'
import { kindMap, toPlain } from '../../../src/sync/docSchema'
import { Device, eventually } from './devices'
import { Dice, Ledger, randomEdit, randomHistoryEdit, randomRunEdit, seededRandom } from './randomEdits'

const SEED = Number(process.env.SEED ?? Math.floor(Math.random() * 2 ** 31))
const ROUNDS = process.env.SOAK ? 60 : 8
const KILL_ROUNDS = new Set(process.env.SOAK ? [15, 30, 45] : [4])
// Tiny pieces, each paced: every catch-up after a reconnect or restart goes through
// the server's pieces (stateInPieces.ts) and the client's pacing (syncPacer.ts).
const SERVER_ENV = { SYNC_PIECE_BYTES: '256' }
const PACE_FROM_BYTES = 256

let server: PigeonServer
const devices: Device[] = []
const steps: string[] = []

const pause = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/** A value with object keys sorted, so two equal documents print the same whatever order their keys were set in. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value))
    return value.map(canonical)
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.keys(value).sort().map(key => [key, canonical((value as Record<string, unknown>)[key])]))
  return value
}

function docOf(device: Device): string {
  const plain: Record<string, unknown> = {}
  for (const kind of ENTITY_KINDS)
    plain[kind] = toPlain(kindMap(device.handle.doc, kind))
  if (device.runs)
    plain.runs = toPlain(kindMap(device.runs.handle.doc, 'runs'))
  return JSON.stringify(canonical(plain))
}

/** One random thing a person does on a device: mostly edits, sometimes offline/online or a reload. */
async function act(device: Device, dice: Dice, ledger: Ledger): Promise<void> {
  const roll = dice.next()
  if (roll < 0.75) {
    try {
      const edit = roll < 0.6 || !device.history || !device.runs
        ? randomEdit(device.handle, dice, ledger)
        : roll < 0.67 ? randomHistoryEdit(device.history.handle, dice, ledger) : randomRunEdit(device.runs.handle, dice, ledger)
      steps.push(`${device.name}: ${edit}`)
    }
    catch (error) {
      const message = (error as Error).message
      // Refusals a person can meet (e.g. a folder deleted on another device) are sentences; anything else is a bug.
      if (!/\.$/.test(message))
        throw error
      steps.push(`${device.name}: refused: ${message}`)
    }
    return
  }
  if (roll < 0.87) {
    if (device.remote.provider?.shouldConnect) {
      device.remotes.forEach(remote => remote.disconnect())
      steps.push(`${device.name}: goes offline`)
    }
    else {
      device.remotes.forEach(remote => remote.connect())
      steps.push(`${device.name}: comes back online`)
    }
    return
  }
  if (roll < 0.95) {
    const connect = dice.chance(0.7)
    await device.reload(connect)
    steps.push(`${device.name}: reloads ${connect ? 'online' : 'offline'} with ${device.status.unacked} unacked`)
    return
  }
  await pause(dice.int(40))
}

async function run(seed: number): Promise<void> {
  const dice = new Dice(seededRandom(seed))
  const ledger = new Ledger()
  const ada = await signUp(server.url, 'ada')
  const bob = await signUp(server.url, 'bob')
  const workspaceId = await createWorkspace(server.url, ada, 'Shared API')
  await invite(server.url, ada, workspaceId, bob, 'editor')
  const sessions = [ada, await signInOnAnotherDevice(server.url, ada), bob, await signInOnAnotherDevice(server.url, bob)]
  const names = ['ada-laptop', 'ada-phone', 'bob-laptop', 'bob-tablet']
  for (const [i, session] of sessions.entries()) {
    const device = new Device(names[i], { serverUrl: server.url, userId: session.userId, cookie: session.cookie, workspaceId, kind: 'team', withHistory: true, withRuns: true, paceFromBytes: PACE_FROM_BYTES })
    devices.push(await device.open())
  }

  for (let round = 0; round < ROUNDS; round++) {
    steps.push(`round ${round}`)
    for (const device of devices) {
      const actions = 1 + dice.int(4)
      for (let i = 0; i < actions; i++)
        await act(device, dice, ledger)
      await pause(dice.int(15))
    }
    if (KILL_ROUNDS.has(round)) {
      steps.push('server: SIGKILL')
      await server.stop('SIGKILL')
      for (const device of devices)
        await act(device, dice, ledger)
      server = await startPigeonServer({ dataDir: server.dataDir, port: server.port, env: SERVER_ENV })
      steps.push('server: restarted')
    }
    await pause(dice.int(60))
  }

  steps.push('everyone comes online')
  for (const device of devices) {
    if (!device.remote.provider?.shouldConnect)
      device.remotes.forEach(remote => remote.connect())
  }
  const allRemotes = devices.flatMap(device => device.remotes)
  await Promise.all(allRemotes.map(remote => remote.whenInSync(30_000)))
  await eventually(() => new Set(devices.map(docOf)).size, size => size === 1, 'every device has the same document', 20_000)
  // Each person's history is the same on both of their devices.
  for (const [one, other] of [[devices[0], devices[1]], [devices[2], devices[3]]]) {
    const historyOf = (device: Device): string => JSON.stringify(canonical(toPlain(kindMap(device.history!.handle.doc, 'history'))))
    await eventually(() => historyOf(one) === historyOf(other), same => same, `${one.name} and ${other.name} have the same history`, 20_000)
    expect(await one.historyRows()).toEqual(await other.historyRows())
  }
  await Promise.all(allRemotes.map(remote => remote.whenInSync(30_000)))

  const [first, ...others] = devices
  const tables = await first.tables()
  for (const device of others)
    expect(await device.tables(), `${device.name}'s tables equal ${first.name}'s`).toEqual(tables)
  for (const device of devices) {
    expect(device.status).toMatchObject({ state: 'inSync', unacked: 0 })
    expect(await device.unackedInDexie()).toBe(0)
  }
  // The tables are the projection of the doc: the same ids per kind.
  for (const kind of [...ENTITY_KINDS, 'runs'] as const) {
    const inDoc = [...kindMap(kind === 'runs' ? first.runs!.handle.doc : first.handle.doc, kind).keys()].sort()
    const inTables = (tables[kind] as Array<{ id: string }>).map(row => row.id).sort()
    expect(inTables, `${kind} in the tables match the doc`).toEqual(inDoc)
  }
  const historyIds = new Set((await Promise.all(devices.map(device => device.historyRows()))).flat().map(row => (row as { id: string }).id))
  const missing = [...ledger.mustExist()].filter(([id, kind]) => kind === 'history' ? !historyIds.has(id) : !(tables[kind] as Array<{ id: string }>).some(row => row.id === id))
  expect(missing, 'entities created and never deleted are all there').toEqual([])
  expect(ledger.created.size).toBeGreaterThan(0)
}

beforeAll(async () => {
  server = await startPigeonServer({ env: SERVER_ENV })
})
afterAll(async () => {
  for (const device of devices)
    await device.close().catch(() => undefined)
  await server.stop()
})

describe('randomized convergence', () => {
  it('four devices editing, going offline, reloading and surviving a server crash converge', async () => {
    try {
      await run(SEED)
    }
    catch (error) {
      const replay = `Replay with SEED=${SEED} npx vitest run tests/integration/clientSync/convergence.test.ts`
      console.error(`Randomized convergence failed. ${replay}\nLast steps:\n${steps.slice(-40).join('\n')}`)
      throw new Error(`${(error as Error).message}\n${replay}`)
    }
  }, process.env.SOAK ? 600_000 : 120_000)
})
