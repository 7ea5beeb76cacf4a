/** CPU time and resident memory of a process, read from /proc (Linux). */
import { readFileSync } from 'node:fs'

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100

export interface ProcessSample {
  /** User + system CPU time in seconds. */
  cpuSeconds: number
  rssBytes: number
  at: number
}

export function sampleProcess(pid: number): ProcessSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name (which may contain spaces) start at field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const cpuTicks = Number(fields[11]) + Number(fields[12])
  const rssKb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0)
  return { cpuSeconds: cpuTicks / TICKS_PER_SECOND, rssBytes: rssKb * 1024, at: performance.now() }
}

/** CPU use between two samples, in percent of one core. */
export function cpuPercent(from: ProcessSample, to: ProcessSample): number {
  return (to.cpuSeconds - from.cpuSeconds) / ((to.at - from.at) / 1000) * 100
}
