/**
 * Starts the real Pigeon server as a child process, on a free port with its
 * own DATA_DIR, the way `npm start` does (minus the build). Tests stop it
 * with SIGTERM, or SIGKILL to simulate a crash, and can restart it on the
 * same data.
 */
import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..', '..')

export interface PigeonServer {
  url: string
  port: number
  dataDir: string
  process: ChildProcess
  /** Everything the server printed, for assertions on logs. */
  output: () => string
  stop: (signal?: NodeJS.Signals) => Promise<void>
  /** Stop (if running) and start again on the same port and data. */
  restart: (signal?: NodeJS.Signals) => Promise<PigeonServer>
}

export interface StartOptions {
  dataDir?: string
  port?: number
  env?: Record<string, string>
}

export function tempDir(prefix = 'pigeon-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix))
}

export async function startPigeonServer(options: StartOptions = {}): Promise<PigeonServer> {
  const dataDir = options.dataDir ?? tempDir()
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/src/main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(options.port ?? 0),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      PASSWORD_COST_LOG2: '10',
      // Suites sign up many accounts from 127.0.0.1; the rate-limit tests set it back to 1.
      AUTH_RATE_LIMIT_FACTOR: '100',
      ...(process.env.E2E_DIST_DIR ? { STATIC_DIR: path.resolve(root, process.env.E2E_DIST_DIR) } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (d: Buffer) => { output += d.toString() })
  child.stderr!.on('data', (d: Buffer) => { output += d.toString() })

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The server did not start within 30 s:\n${output}`)), 30_000)
    const onData = (): void => {
      const match = /Pigeon is running at http:\/\/[^:]+:(\d+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        child.stdout!.off('data', onData)
        resolve(Number(match[1]))
      }
    }
    child.stdout!.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`The server exited with code ${code} before it started:\n${output}`))
    })
  })

  const server: PigeonServer = {
    url: `http://localhost:${port}`,
    port,
    dataDir,
    process: child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null)
        return
      const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
      child.kill(signal)
      await exited
    },
    restart: async (signal = 'SIGTERM') => {
      await server.stop(signal)
      return startPigeonServer({ ...options, dataDir, port })
    },
  }
  return server
}
