/**
 * Sync benchmark (not a test): one server process on loopback, many
 * WebsocketProvider clients across many documents, a steady rate of small
 * edits. Prints update → other-client latency (p50/p99), acks/s, server RSS
 * and CPU, for Pigeon (durable: every update committed to SQLite before it is
 * broadcast and acked) and for the reference y-websocket v2 server
 * (in-memory), and their ratio.
 *
 *   npx tsx bench/sync/run.ts
 *   BENCH_CLIENTS=1000 BENCH_DOCS=100 BENCH_RATE=200 BENCH_SECONDS=20 npx tsx bench/sync/run.ts
 */
import type { ChildProcess } from 'node:child_process'
import type { SyncClient } from '../../tests/support/syncClient.js'
import type { ProcessSample } from './processStats.js'
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import path from 'node:path'
import { startPigeonServer } from '../../tests/support/pigeonServer.js'
import { connectSyncClient } from '../../tests/support/syncClient.js'
import { createWorkspace, signUp } from '../../tests/integration/sync/accounts.js'
import { cpuPercent, sampleProcess } from './processStats.js'

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1000)
const DOCS = Number(process.env.BENCH_DOCS ?? 100)
/** Edits per second across all clients. */
const RATE = Number(process.env.BENCH_RATE ?? 200)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20)
const root = path.resolve(import.meta.dirname, '..', '..')

interface Target {
  name: string
  url: string
  pid: number
  documents: string[]
  cookie?: string
  /** Whether the server answers Pigeon's ack requests. */
  acks: boolean
  stop: () => Promise<void>
}

interface Result {
  name: string
  edits: number
  deliveries: number
  p50: number
  p99: number
  acksPerSecond: number | null
  ackP99: number | null
  rssMiB: number
  cpu: number
}

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : Number.NaN
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

async function startPigeon(): Promise<Target> {
  const server = await startPigeonServer({ env: { SYNC_MAX_SOCKETS_PER_SESSION: String(CLIENTS + 10), SYNC_MAX_PRE_AUTH_MESSAGES: '1000' } })
  const account = await signUp(server.url, 'bench')
  const documents = [`ws/${account.personalWorkspaceId}`]
  while (documents.length < DOCS)
    documents.push(`ws/${await createWorkspace(server.url, account, `Bench ${documents.length}`)}`)
  return { name: 'pigeon (durable)', url: server.url, pid: server.process.pid!, documents, cookie: account.cookie, acks: !process.env.BENCH_NO_ACKS, stop: () => server.stop() }
}

async function startReference(): Promise<Target> {
  const port = await freePort()
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'node_modules/y-websocket-v2/bin/server.cjs')], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('running at') && resolve())
    child.once('exit', code => reject(new Error(`The reference server exited with ${code}.`)))
  })
  const documents = Array.from({ length: DOCS }, (_, i) => `bench-${i}`)
  return {
    name: 'y-websocket v2 (memory)',
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    documents,
    acks: false,
    stop: async () => {
      const exited = new Promise(resolve => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    },
  }
}

async function measure(target: Target): Promise<Result> {
  const latencies: number[] = []
  const ackLatencies: number[] = []
  const clients: SyncClient[] = []
  console.log(`${target.name}: connecting ${CLIENTS} clients to ${target.documents.length} documents…`)
  for (let i = 0; i < CLIENTS; i += 50) {
    const batch = Array.from({ length: Math.min(50, CLIENTS - i) }, (_, j) =>
      connectSyncClient(target.url, target.documents[(i + j) % target.documents.length], { cookie: target.cookie }))
    clients.push(...batch)
    await Promise.all(batch.map(c => c.synced(60_000)))
  }
  for (const client of clients) {
    const map = client.doc.getMap<number>('edits')
    map.observe((event) => {
      if (event.transaction.local)
        return
      const now = performance.now()
      for (const key of event.keysChanged)
        latencies.push(now - map.get(key)!)
    })
  }
  await sleep(1000)

  const before = sampleProcess(target.pid)
  let edits = 0
  let acks = 0
  const started = performance.now()
  let due = 0
  while (performance.now() - started < SECONDS * 1000) {
    await sleep(10)
    due = RATE * ((performance.now() - started) / 1000) - edits
    while (due >= 1) {
      due--
      const client = clients[Math.floor(Math.random() * clients.length)]
      const sentAt = performance.now()
      client.doc.getMap<number>('edits').set(`${clients.indexOf(client)}:${edits}`, sentAt)
      edits++
      if (target.acks) {
        client.ack(30_000).then(() => {
          acks++
          ackLatencies.push(performance.now() - sentAt)
        }, () => {})
      }
    }
  }
  const elapsed = (performance.now() - started) / 1000
  await sleep(1000)
  const after: ProcessSample = sampleProcess(target.pid)
  clients.forEach(c => c.destroy())
  latencies.sort((a, b) => a - b)
  ackLatencies.sort((a, b) => a - b)
  return {
    name: target.name,
    edits,
    deliveries: latencies.length,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    acksPerSecond: target.acks ? acks / elapsed : null,
    ackP99: target.acks ? percentile(ackLatencies, 0.99) : null,
    rssMiB: after.rssBytes / 2 ** 20,
    cpu: cpuPercent(before, after),
  }
}

function show(results: Result[]): void {
  const f = (n: number | null, digits = 1): string => n === null ? 'n/a' : n.toFixed(digits)
  console.log(`\n${CLIENTS} clients, ${DOCS} documents, ${RATE} edits/s for ${SECONDS} s, loopback, one process each\n`)
  console.log('server                     edits  deliveries  p50 ms  p99 ms  acks/s  ack p99 ms  RSS MiB  CPU %')
  for (const r of results) {
    console.log(`${r.name.padEnd(25)} ${String(r.edits).padStart(6)} ${String(r.deliveries).padStart(11)} ${f(r.p50).padStart(7)} ${f(r.p99).padStart(7)} ${f(r.acksPerSecond).padStart(7)} ${f(r.ackP99).padStart(11)} ${f(r.rssMiB).padStart(8)} ${f(r.cpu).padStart(6)}`)
  }
  const [ours, reference] = results
  console.log(`\nratio pigeon / reference: p50 ${f(ours.p50 / reference.p50, 2)}×, p99 ${f(ours.p99 / reference.p99, 2)}×, RSS ${f(ours.rssMiB / reference.rssMiB, 2)}×, CPU ${f(ours.cpu / reference.cpu, 2)}×`)
  console.log('(below 1 means pigeon is lower; pigeon commits every update to SQLite with fsync before broadcasting and acking it)')
}

// Each provider adds a process 'exit' listener; a thousand of them are expected here.
process.setMaxListeners(0)
const results: Result[] = []
for (const start of [startPigeon, startReference]) {
  const target = await start()
  try {
    results.push(await measure(target))
  }
  finally {
    await target.stop()
  }
}
show(results)
process.exit(0)
