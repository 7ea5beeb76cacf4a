/**
 * Phase timings of a fetch from the browser's Resource Timing entries. The
 * browser only fills them in for same-origin targets or targets that send
 * Timing-Allow-Origin; otherwise there is nothing to report.
 */
import type { AgentResponse } from '../domain/prepared'

type Timings = NonNullable<AgentResponse['timings']>

export interface ResourceFacts {
  timings?: Timings
  /** Body bytes on the wire (encoded), when the browser tells. */
  encodedBodySize?: number
}

function span(from: number, to: number): number | undefined {
  return from > 0 && to >= from ? Math.round((to - from) * 100) / 100 : undefined
}

/** Reads the newest Resource Timing entry for `url` that started after `startedAt`. */
export function resourceFacts(url: string, startedAt: number): ResourceFacts {
  if (typeof performance === 'undefined' || typeof performance.getEntriesByName !== 'function')
    return {}
  const entries = performance.getEntriesByName(url, 'resource') as PerformanceResourceTiming[]
  const entry = entries.filter(e => e.startTime >= startedAt - 1).at(-1)
  if (!entry || entry.requestStart === 0)
    return {}
  const tlsStart = entry.secureConnectionStart
  return {
    encodedBodySize: entry.encodedBodySize > 0 ? entry.encodedBodySize : undefined,
    timings: {
      dns: span(entry.domainLookupStart, entry.domainLookupEnd),
      connect: span(entry.connectStart, tlsStart > 0 ? tlsStart : entry.connectEnd),
      tls: tlsStart > 0 ? span(tlsStart, entry.connectEnd) : undefined,
      firstByte: span(entry.requestStart, entry.responseStart),
      download: span(entry.responseStart, entry.responseEnd),
    },
  }
}
