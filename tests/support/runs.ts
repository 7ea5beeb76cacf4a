/**
 * A finished collection run as the runner would save it, for tests of the
 * runs document and store: `iterations` passes over `requests`, each answered
 * 200 (or failing with `error` when given).
 */
import type { RunInput } from '../../src/sync/runDocs'

export interface FinishedRunOptions {
  collectionId?: string
  name?: string
  startedAt?: number
  iterations?: number
  requests?: string[]
  error?: string
  id?: string
}

export function finishedRun(options: FinishedRunOptions = {}): RunInput {
  const startedAt = options.startedAt ?? Date.now()
  const iterations = options.iterations ?? 1
  const requests = options.requests ?? ['r-list', 'r-create']
  const results = []
  for (let iteration = 1; iteration <= iterations; iteration++) {
    for (const requestId of requests) {
      results.push({
        requestId,
        iteration,
        name: requestId,
        method: 'GET',
        url: `https://api.test/${requestId}`,
        status: options.error ? 0 : 200,
        statusText: options.error ? '' : 'OK',
        timeMs: 12,
        size: 2,
        error: options.error ?? '',
      })
    }
  }
  return {
    ...(options.id ? { id: options.id } : {}),
    collectionId: options.collectionId ?? 'c-pets',
    folderId: '',
    name: options.name ?? 'Pet store',
    environmentId: '',
    environmentName: '',
    iterations,
    delayMs: 0,
    deviceName: 'Laptop',
    startedAt,
    finishedAt: startedAt + 100,
    outcome: 'completed',
    results,
  }
}
