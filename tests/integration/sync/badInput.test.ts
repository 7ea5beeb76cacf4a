import type { PigeonServer } from '../../support/pigeonServer.js'
import type { SyncClient } from '../../support/syncClient.js'
import type { TestAccount } from './accounts.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CLOSE_INVALID_PAYLOAD,
  CLOSE_MESSAGE_TOO_BIG,
  CLOSE_NOT_FOUND,
  CLOSE_POLICY_VIOLATION,
  CLOSE_UNAUTHORIZED,
  CLOSE_UNSUPPORTED_DATA,
} from '../../../src/domain/syncProtocol.js'
import { startPigeonServer } from '../../support/pigeonServer.js'
import { connectSyncClient, waitUntil } from '../../support/syncClient.js'
import { signUp } from './accounts.js'
import { clientFrame, rawUpgrade } from './rawSocket.js'

const MAX_MESSAGE_BYTES = 256 * 1024

let server: PigeonServer
let owner: TestAccount
let bystander: SyncClient

/** A small deterministic generator, so a failing case can be replayed. */
function seededBytes(seed: number, length: number): Uint8Array {
  let state = seed
  return Uint8Array.from({ length }, () => {
    state = (state * 1103515245 + 12345) % 2 ** 31
    return state >>> 16 & 0xFF
  })
}

function headers(account: TestAccount | null): Record<string, string> {
  return { origin: server.url, ...(account ? { cookie: account.cookie } : {}) }
}

beforeAll(async () => {
  server = await startPigeonServer({ env: { MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES) } })
  owner = await signUp(server.url, 'target')
  // Someone working normally on the same document the whole time.
  bystander = connectSyncClient(server.url, `ws/${owner.personalWorkspaceId}`, { cookie: owner.cookie })
  await bystander.synced()
})

afterAll(async () => {
  bystander.destroy()
  // The server must still be alive after everything, then stop cleanly.
  expect(server.process.exitCode).toBeNull()
  await server.stop()
})

describe('bad document names', () => {
  const refusedNames = [
    '',
    'ws/',
    'ws',
    'ws/..',
    'ws/../runs/x',
    'ws/a%00b',
    'ws/a%2Fb',
    'unknown/abc',
    'ws/a/b',
    'history/only-one-id',
    `ws/${'a'.repeat(65)}`,
    `ws/${'a'.repeat(5000)}`,
  ]
  for (const name of refusedNames) {
    it(`refuses ${JSON.stringify(name.length > 40 ? `${name.slice(0, 20)}… (${name.length} chars)` : name)} with 4404`, async () => {
      const answer = await rawUpgrade(server.port, `/sync/${name}`, { headers: headers(owner) })
      expect(answer).toMatchObject({ status: 101, closeCode: CLOSE_NOT_FOUND })
    })
  }

  it('refuses a name with a raw NUL byte or one too long for a request line', async () => {
    for (const path of ['/sync/ws/a\0b', `/sync/ws/${'a'.repeat(70_000)}`]) {
      const answer = await rawUpgrade(server.port, path, { headers: headers(owner) })
      // The HTTP parser rejects these before any upgrade: a plain 4xx, no socket.
      expect(answer.status === 101 ? answer.closeCode : answer.status).toBeGreaterThanOrEqual(400)
    }
  })
})

describe('well-formed frames from a hand-made client', () => {
  it('gets the server\'s sync step 1 on joining and an awareness answer to a query', async () => {
    const answer = await rawUpgrade(server.port, `/sync/runs/${owner.personalWorkspaceId}`, {
      headers: headers(owner),
      frames: [clientFrame(Uint8Array.from([3]))],
      messages: 2,
    })
    expect(answer.messages.map(m => m[0])).toEqual([0, 1])
    expect(answer.messages[1]).toEqual(Buffer.from([1, 1, 0]))
  })
})

describe('malformed frames close only the connection that sent them', () => {
  const cases: Array<[string, Buffer, number]> = [
    ['a text frame', clientFrame(Buffer.from('hello'), 1), CLOSE_UNSUPPORTED_DATA],
    ['an unknown message type', clientFrame(Uint8Array.from([77])), CLOSE_UNSUPPORTED_DATA],
    ['the auth message, which clients never send', clientFrame(Uint8Array.from([2, 0, 0])), CLOSE_UNSUPPORTED_DATA],
    ['an unknown sync sub-message', clientFrame(Uint8Array.from([0, 9, 0])), CLOSE_UNSUPPORTED_DATA],
    ['a truncated varint', clientFrame(Uint8Array.from([0x80])), CLOSE_INVALID_PAYLOAD],
    ['a huge varint', clientFrame(Uint8Array.from(Array.from({ length: 12 }, () => 0xFF))), CLOSE_INVALID_PAYLOAD],
    ['a length past the end of the frame', clientFrame(Uint8Array.from([0, 2, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 1, 2])), CLOSE_INVALID_PAYLOAD],
    ['a truncated update', clientFrame(Uint8Array.from([0, 2, 10, 1, 2, 3])), CLOSE_INVALID_PAYLOAD],
    ['an update that is not Yjs', clientFrame(Uint8Array.from([0, 2, 6, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])), CLOSE_INVALID_PAYLOAD],
    ['a bad state vector', clientFrame(Uint8Array.from([0, 0, 3, 5, 0xFF, 0xFF])), CLOSE_INVALID_PAYLOAD],
    ['awareness that is not JSON', clientFrame(Uint8Array.from([1, 6, 1, 1, 1, 2, 0x7B, 0x7B])), CLOSE_INVALID_PAYLOAD],
    ['an ack request without its id', clientFrame(Uint8Array.from([100])), CLOSE_INVALID_PAYLOAD],
    ['trailing bytes after a message', clientFrame(Uint8Array.from([3, 0])), CLOSE_INVALID_PAYLOAD],
  ]
  for (const [what, frame, code] of cases) {
    it(`closes on ${what} with ${code}`, async () => {
      const answer = await rawUpgrade(server.port, `/sync/ws/${owner.personalWorkspaceId}`, { headers: headers(owner), frames: [frame] })
      expect(answer.closeCode).toBe(code)
    })
  }

  it('closes on random bytes with 1003 or 1007, twenty times over', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const answer = await rawUpgrade(server.port, `/sync/ws/${owner.personalWorkspaceId}`, {
        headers: headers(owner),
        frames: [clientFrame(seededBytes(seed, 1 + seed * 13))],
      })
      expect([CLOSE_UNSUPPORTED_DATA, CLOSE_INVALID_PAYLOAD], `seed ${seed}`).toContain(answer.closeCode)
    }
  })

  it('closes on a frame over the size limit with 1009', async () => {
    const big = new Uint8Array(MAX_MESSAGE_BYTES + 1024)
    const answer = await rawUpgrade(server.port, `/sync/ws/${owner.personalWorkspaceId}`, { headers: headers(owner), frames: [clientFrame(big)] })
    expect(answer.closeCode).toBe(CLOSE_MESSAGE_TOO_BIG)
  })

  it('closes a flood of messages sent before sign-in was checked with 1008', async () => {
    const flood = Array.from({ length: 2000 }, () => clientFrame(Uint8Array.from([3])))
    const signedIn = await rawUpgrade(server.port, `/sync/ws/${owner.personalWorkspaceId}`, { headers: headers(owner), early: flood })
    expect(signedIn.closeCode).toBe(CLOSE_POLICY_VIOLATION)
    const signedOut = await rawUpgrade(server.port, `/sync/ws/${owner.personalWorkspaceId}`, { headers: headers(null), early: flood })
    expect([CLOSE_POLICY_VIOLATION, CLOSE_UNAUTHORIZED]).toContain(signedOut.closeCode)
  })
})

describe('after all that', () => {
  it('the server is healthy and the bystander still syncs', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    expect(bystander.closes).toEqual([])
    bystander.doc.getMap('meta').set('survived', true)
    await bystander.ack()
    const fresh = connectSyncClient(server.url, `ws/${owner.personalWorkspaceId}`, { cookie: owner.cookie })
    await fresh.synced()
    await waitUntil(() => fresh.doc.getMap('meta').get('survived') === true, 'a fresh client sees the bystander\'s edit')
    fresh.destroy()
  })
})
