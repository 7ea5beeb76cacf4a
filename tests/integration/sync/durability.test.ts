/**
 * An ack means durable: kill the server with SIGKILL the moment an ack
 * arrives, restart it, and every acked edit must be there. Rounds with random
 * timing, offline edits and concurrent writers; SOAK=1 runs many more.
 *
 * Run with SYNC_UNSAFE_ACK_BEFORE_COMMIT=1 in the environment to see this
 * test fail against a server that acks before it commits.
 */
import type { PigeonServer } from '../../support/pigeonServer.js'
import type { SyncClient } from '../../support/syncClient.js'
import type { TestAccount } from './accounts.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPigeonServer } from '../../support/pigeonServer.js'
import { connectSyncClient } from '../../support/syncClient.js'
import { createWorkspace, signUp } from './accounts.js'

const ROUNDS = process.env.SOAK ? 500 : 50

let server: PigeonServer
let account: TestAccount
let documents: string[]

const randomInt = (max: number): number => Math.floor(Math.random() * max)
const pause = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

interface Writer {
  client: SyncClient
  document: string
  /** Keys written so far, and the ones covered by an ack. */
  written: string[]
}

/** Connects a writer that made `offline` edits before it connected (they travel in its sync step 2). */
function startWriter(round: number, index: number, offline: number): Writer {
  const document = documents[randomInt(documents.length)]
  const client = connectSyncClient(server.url, document, { cookie: account.cookie, connect: false })
  const writer: Writer = { client, document, written: [] }
  for (let i = 0; i < offline; i++)
    write(writer, `r${round}-w${index}-offline${i}`)
  client.provider.connect()
  return writer
}

function write(writer: Writer, key: string): void {
  writer.client.doc.getMap<number>('entries').set(key, Date.now())
  writer.written.push(key)
}

/** Edits online with random pauses, then asks for an ack; resolves with the keys the ack covers. */
async function editAndAck(writer: Writer, round: number, index: number): Promise<string[]> {
  await writer.client.synced()
  const edits = 1 + randomInt(6)
  for (let i = 0; i < edits; i++) {
    write(writer, `r${round}-w${index}-e${i}`)
    if (Math.random() < 0.5)
      await pause(randomInt(4))
  }
  const covered = [...writer.written]
  await writer.client.ack()
  return covered
}

/** Reads every document with a fresh client and returns the keys present. */
async function readAllKeys(): Promise<Set<string>> {
  const readers = documents.map(document => connectSyncClient(server.url, document, { cookie: account.cookie }))
  await Promise.all(readers.map(reader => reader.synced()))
  const keys = new Set(readers.flatMap(reader => [...reader.doc.getMap('entries').keys()]))
  readers.forEach(reader => reader.destroy())
  return keys
}

beforeAll(async () => {
  server = await startPigeonServer()
  account = await signUp(server.url, 'durable')
  documents = [`ws/${account.personalWorkspaceId}`, `ws/${await createWorkspace(server.url, account)}`, `runs/${account.personalWorkspaceId}`]
})

afterAll(async () => {
  await server.stop()
})

describe('durable acks', () => {
  it(`every acked edit survives SIGKILL right after the ack (${ROUNDS} rounds)`, async () => {
    const acked = new Set<string>()
    for (let round = 0; round < ROUNDS; round++) {
      const writers = Array.from({ length: 1 + randomInt(4) }, (_, i) => startWriter(round, i, randomInt(3)))
      let killed = false
      const finished = writers.map((writer, i) => editAndAck(writer, round, i).then(
        (covered) => {
          if (killed)
            return
          covered.forEach(key => acked.add(key))
          // The first ack of the round: crash the server at once, with the other writers still mid-flight.
          killed = true
          server.process.kill('SIGKILL')
          writers.forEach(w => w.client.destroy())
        },
        () => { /* a writer cut off by the crash: its edits were never acked */ },
      ))
      await Promise.all(finished)
      writers.forEach(w => w.client.destroy())
      expect(killed, `round ${round}: no writer got an ack`).toBe(true)

      server = await server.restart('SIGKILL')
      const present = await readAllKeys()
      const lost = [...acked].filter(key => !present.has(key))
      expect(lost, `round ${round}: acked edits missing after SIGKILL and restart`).toEqual([])
      if (round % 10 === 9)
        console.log(`round ${round + 1}: all ${acked.size} acked edits present after SIGKILL and restart`)
    }
  }, ROUNDS * 5_000 + 30_000)
})
