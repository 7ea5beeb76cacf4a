/** How the runner's components word and colour results and runs. */
import type { CollectionRun, RunResult } from '../../domain/model'
import type { RunSummary } from '../../domain/runner'
import { classifyResult } from '../../domain/runner'

/** The tone of a result's status: 2xx, 3xx, 4xx, 5xx, or not sent. */
export function statusTone(result: Pick<RunResult, 'status' | 'error'>): 'success' | 'redirect' | 'client-error' | 'server-error' | 'failed' {
  const kind = classifyResult(result)
  if (kind === 'client-or-server-error')
    return result.status >= 500 ? 'server-error' : 'client-error'
  return kind
}

/** "200 OK", or "Failed" when the request could not be sent. */
export function statusLabel(result: Pick<RunResult, 'status' | 'statusText' | 'error'>): string {
  if (classifyResult(result) === 'failed')
    return 'Failed'
  return result.statusText ? `${result.status} ${result.statusText}` : String(result.status)
}

/** "4 passed · 1 failed with 4xx/5xx · 1 not sent" (parts that are 0 left out, except passed). */
export function countsLine(summary: Pick<RunSummary, 'passed' | 'errored' | 'failed'>): string {
  const parts = [`${summary.passed} passed`]
  if (summary.errored)
    parts.push(`${summary.errored} with 4xx/5xx`)
  if (summary.failed)
    parts.push(`${summary.failed} not sent`)
  return parts.join(' · ')
}

const whenFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/** "28 Nov 2026, 10:15" */
export function whenText(at: number): string {
  return whenFormat.format(at)
}

/** "Completed" or "Stopped" */
export function outcomeLabel(run: Pick<CollectionRun, 'outcome'>): string {
  return run.outcome === 'stopped' ? 'Stopped' : 'Completed'
}
