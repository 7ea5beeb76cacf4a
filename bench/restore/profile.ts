/**
 * RESTORE_BENCH_PROFILE=1: a CPU profile (Chromium's, over CDP) of the first
 * run, summed by function (self time) and printed, so a slow restore shows
 * where its time goes. Build unminified (RESTORE_BENCH_DIST of a
 * `vite build --minify false`) for readable names.
 */
import type { Page } from 'playwright-core'

interface ProfileNode {
  id: number
  callFrame: { functionName: string, url: string, lineNumber: number }
  children?: number[]
}
interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

/** Runs `work` with the page's CPU profiled; prints the `top` functions by self time. */
export async function profiled<T>(page: Page, work: () => Promise<T>, top = 40): Promise<T> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 })
  await cdp.send('Profiler.start')
  const result = await work()
  const { profile } = await cdp.send('Profiler.stop') as unknown as { profile: CpuProfile }
  const nodes = new Map(profile.nodes.map(node => [node.id, node]))
  const selfMs = new Map<string, number>()
  profile.samples.forEach((id, index) => {
    const frame = nodes.get(id)!.callFrame
    const name = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber + 1}`
    selfMs.set(name, (selfMs.get(name) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000)
  })
  const rows = [...selfMs].sort((a, b) => b[1] - a[1]).slice(0, top)
  console.log('\nCPU self time, top functions:')
  for (const [name, ms] of rows)
    console.log(`${ms.toFixed(0).padStart(7)} ms  ${name}`)
  printInclusive(profile, nodes)
  return result
}

/** Total (self + callees) time of the functions named in RESTORE_BENCH_PROFILE_FUNCS (comma-separated). */
function printInclusive(profile: CpuProfile, nodes: Map<number, ProfileNode>): void {
  const wanted = (process.env.RESTORE_BENCH_PROFILE_FUNCS ?? '').split(',').filter(Boolean)
  if (!wanted.length)
    return
  const parent = new Map<number, number>()
  for (const node of profile.nodes) {
    for (const child of node.children ?? [])
      parent.set(child, node.id)
  }
  const totalMs = new Map<string, number>()
  profile.samples.forEach((id, index) => {
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = nodes.get(at)!.callFrame.functionName
      if (wanted.includes(name))
        seen.add(name)
    }
    for (const name of seen)
      totalMs.set(name, (totalMs.get(name) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000)
  })
  console.log('\nCPU total time (with callees):')
  for (const name of wanted)
    console.log(`${(totalMs.get(name) ?? 0).toFixed(0).padStart(7)} ms  ${name}`)
}

/** Marks each sync socket message the page receives (`ws <document> <bytes>`), for RESTORE_BENCH_MARKS. */
export async function markSocketMessages(page: Page): Promise<void> {
  await page.addInitScript({ content: `(() => {
    const Native = window.WebSocket
    window.WebSocket = class extends Native {
      constructor(url, protocols) {
        super(url, protocols)
        const name = String(url).split('/sync/')[1] || String(url)
        this.addEventListener('message', (event) => {
          const bytes = event.data && (event.data.byteLength ?? event.data.size ?? event.data.length)
          if (bytes > 10000)
            performance.mark('ws ' + decodeURIComponent(name).slice(0, 12) + ' ' + bytes)
        })
      }
    }
  })()` })
}
