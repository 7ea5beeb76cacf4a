/**
 * The collection runner's pure side: which requests a collection or folder
 * runs (in the order the sidebar shows them), the bounds of its settings,
 * the stored form of a sent request, secret masking for stored URLs, and the
 * summary of results. The execution itself is src/stores/runner.ts.
 */
import type { RunResult } from './model'
import type { DynamicContext } from './variables'
import type { VariableScope } from './scopes'
import type { TreeNode } from './tree'
import { RUN_MAX_ITERATIONS } from './model'

export const RUN_MIN_ITERATIONS = 1
export const RUN_MAX_DELAY_MS = 60_000
/** What a secret variable's value becomes in a stored URL. */
export const MASKED_SECRET = '•••'

/** A request a run can send, as the runner dialog lists it. */
export interface RunnableRequest {
  id: string
  name: string
  method: string
  url: string
  /** The folders between the run's target and the request, e.g. `Users / Admin` ('' when directly inside). */
  folderPath: string
}

/** What a run is started on: a collection or one of its folders. */
export interface RunTarget {
  collectionId: string
  /** '' when the whole collection runs. */
  folderId: string
  /** `Collection` or `Collection / Folder / Sub-folder`. */
  name: string
  requests: RunnableRequest[]
}

/**
 * The collection or folder `targetId` with every request inside it, nested
 * folders included, depth first in sidebar order; null when it is not a
 * collection or folder of `tree` (deleted, or a request id).
 */
export function runTargetOf(tree: readonly TreeNode[], targetId: string): RunTarget | null {
  const path = pathTo(tree, targetId)
  const node = path?.at(-1)
  if (!path || !node || node.kind === 'request')
    return null
  const requests: RunnableRequest[] = []
  const visit = (children: readonly TreeNode[], folders: string[]): void => {
    for (const child of children) {
      if (child.kind === 'request')
        requests.push({ id: child.id, name: child.name, method: child.method ?? 'GET', url: child.url ?? '', folderPath: folders.join(' / ') })
      else
        visit(child.children, [...folders, child.name])
    }
  }
  visit(node.children, [])
  return {
    collectionId: node.collectionId,
    folderId: node.kind === 'folder' ? node.id : '',
    name: path.map(step => step.name).join(' / '),
    requests,
  }
}

/** The nodes from a root down to `id`, or null when it is not in the tree. */
function pathTo(nodes: readonly TreeNode[], id: string): TreeNode[] | null {
  for (const node of nodes) {
    if (node.id === id)
      return [node]
    if (node.kind !== 'request') {
      const below = pathTo(node.children, id)
      if (below)
        return [node, ...below]
    }
  }
  return null
}

/** Settings a person types into the runner dialog. */
export interface RunLimitsInput {
  iterations: number
  delayMs: number
}

/** A sentence per field out of bounds (none when the settings can run). */
export interface RunSettingsProblems {
  iterations?: string
  delayMs?: string
}

/** Checks iterations (1–1000) and the delay (0–60000 ms), whole numbers. */
export function runSettingsProblems(input: RunLimitsInput): RunSettingsProblems {
  const problems: RunSettingsProblems = {}
  if (!Number.isInteger(input.iterations) || input.iterations < RUN_MIN_ITERATIONS || input.iterations > RUN_MAX_ITERATIONS)
    problems.iterations = `Iterations must be a whole number from ${RUN_MIN_ITERATIONS} to ${RUN_MAX_ITERATIONS}.`
  if (!Number.isInteger(input.delayMs) || input.delayMs < 0 || input.delayMs > RUN_MAX_DELAY_MS)
    problems.delayMs = `The delay must be a whole number of milliseconds from 0 to ${RUN_MAX_DELAY_MS}.`
  return problems
}

/** One step of a run: which request, in which iteration, and where that is in the run (all 1-based). */
export interface RunStep {
  requestId: string
  iteration: number
  /** Position of the request within its iteration. */
  position: number
}

/** Every step of a run in order: each iteration sends the selected requests in the order given. */
export function* runSteps(requestIds: readonly string[], iterations: number): Generator<RunStep> {
  for (let iteration = 1; iteration <= iterations; iteration++) {
    for (let index = 0; index < requestIds.length; index++)
      yield { requestId: requestIds[index], iteration, position: index + 1 }
  }
}

/** "Iteration 2 of 5 · request 3 of 12" */
export function progressLine(step: Pick<RunStep, 'iteration' | 'position'>, iterations: number, requestsPerIteration: number): string {
  return `Iteration ${step.iteration} of ${iterations} · request ${step.position} of ${requestsPerIteration}`
}

/**
 * The same scopes with every secret value replaced by `•••`, for building the
 * URL a run stores: runs sync to other devices and teammates, and a secret's
 * value must never travel in clear that way (a value built from a secret is
 * masked too, since it resolves through these scopes).
 */
export function maskSecrets(scopes: readonly VariableScope[]): VariableScope[] {
  return scopes.map(scope => ({
    ...scope,
    values: scope.values.map(value => value.secret ? { ...value, value: MASKED_SECRET } : value),
  }))
}

/**
 * A pair of dynamic-variable sources that give the same values: the request
 * is built once to send and once with secrets masked to store, and
 * `{{$guid}}` in the stored URL must be the one that was sent.
 */
export function repeatableDynamics(now = Date.now(), random: () => number = Math.random): { first: DynamicContext, again: () => DynamicContext } {
  const drawn: number[] = []
  const first: DynamicContext = {
    now: () => now,
    random: () => {
      const value = random()
      drawn.push(value)
      return value
    },
  }
  const again = (): DynamicContext => {
    let next = 0
    return { now: () => now, random: () => (next < drawn.length ? drawn[next++] : random()) }
  }
  return { first, again }
}

/** What a result counts as in the summary and how it is coloured. */
export type ResultClass = 'success' | 'redirect' | 'client-or-server-error' | 'failed'

export function classifyResult(result: Pick<RunResult, 'status' | 'error'>): ResultClass {
  if (result.error || result.status === 0)
    return 'failed'
  if (result.status < 300)
    return 'success'
  if (result.status < 400)
    return 'redirect'
  return 'client-or-server-error'
}

/** The numbers under a run's results. */
export interface RunSummary {
  /** Requests that ran (answered or not). */
  total: number
  /** Answered with 1xx, 2xx or 3xx. */
  passed: number
  /** Answered with 4xx or 5xx. */
  errored: number
  /** Could not be sent (refused, timed out, invalid URL …). */
  failed: number
  /** Wall-clock time from start to end, delays included. */
  durationMs: number
  /** Mean response time of the requests that were answered; 0 when none were. */
  averageResponseMs: number
}

export function summarizeRun(results: readonly RunResult[], startedAt: number, finishedAt: number): RunSummary {
  let passed = 0
  let errored = 0
  let failed = 0
  let answeredTime = 0
  for (const result of results) {
    const kind = classifyResult(result)
    if (kind === 'failed') {
      failed++
      continue
    }
    answeredTime += result.timeMs
    if (kind === 'client-or-server-error')
      errored++
    else
      passed++
  }
  const answered = passed + errored
  return {
    total: results.length,
    passed,
    errored,
    failed,
    durationMs: Math.max(0, finishedAt - startedAt),
    averageResponseMs: answered ? Math.round(answeredTime / answered) : 0,
  }
}

/** The requests "Run again" checks: those of a finished run, or all when the run did not reach every one. */
export function requestsToRunAgain(results: readonly Pick<RunResult, 'requestId'>[], complete: boolean): string[] | null {
  if (!complete)
    return null
  return [...new Set(results.map(result => result.requestId))]
}
