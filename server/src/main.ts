/** Entry point: `npm start` runs this one process (app + API + proxy + sync). */
import { createApp } from './app.js'
import { loadConfig } from './config.js'
import { log } from './log.js'

const config = loadConfig()
const app = createApp(config)
const { port } = await app.listen()
// Tests and scripts wait for this exact line on stdout.
process.stdout.write(`Pigeon is running at http://${config.host === '127.0.0.1' ? 'localhost' : config.host}:${port}\n`)

let stopping = false
async function shutdown(signal: string): Promise<void> {
  if (stopping)
    return
  stopping = true
  log.info('shutdown', { signal })
  const force = setTimeout(() => process.exit(1), 10_000)
  force.unref()
  await app.close()
  process.exit(0)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
