/**
 * Runs the import benchmark in Debian's Chromium (real IndexedDB): bundles
 * browserEntry.ts with esbuild, serves it from a loopback port, and calls it
 * through playwright-core.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { build } from 'esbuild'
import { chromium } from 'playwright-core'
import type { ImportBenchResult } from './measure'

const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/** The benchmark's result measured in Chromium. */
export async function measureImportInChromium(runs = 3): Promise<ImportBenchResult> {
  const bundle = await build({
    entryPoints: [path.join(import.meta.dirname, 'browserEntry.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    minify: true,
  })
  const script = bundle.outputFiles[0].text
  const server = createServer((request, response) => {
    if (request.url === '/bench.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' })
      response.end(script)
      return
    }
    response.writeHead(200, { 'content-type': 'text/html' })
    response.end('<!doctype html><title>import bench</title><script type="module" src="/bench.js"></script>')
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS })
  try {
    const page = await browser.newPage()
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
    await page.waitForFunction(() => typeof window.runImportBench === 'function')
    return await page.evaluate(count => window.runImportBench(count), runs)
  }
  finally {
    await browser.close()
    server.close()
  }
}
