/**
 * The collection runner: sends the saved requests of a collection or folder
 * (the checked ones, in sidebar order) for a number of iterations, with a
 * pause between requests, through the same sending path as Send
 * (./requestSending.ts). Results appear as they arrive; Stop aborts the
 * request in flight and the pause, and keeps what ran. The finished or
 * stopped run is saved through the runs store, so it syncs. Runner sends are
 * not recorded in History (as in Postman), and drafts in tabs are ignored:
 * a run sends what is saved. Which Runner dialog is open is ./runnerDialog.ts.
 */
import type { CollectionRun, RequestSnapshot, RunResult } from '../domain/model'
import type { RunStep, RunTarget } from '../domain/runner'
import type { DynamicContext } from '../domain/variables'
import type { SendContext } from './requestSending'
import type { RunInput } from './runs'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import { RUN_RESULTS_LIMIT } from '../domain/model'
import { maskSecrets, progressLine, repeatableDynamics, runSettingsProblems, runSteps, runTargetOf, summarizeRun } from '../domain/runner'
import { useCollectionsStore } from './collections'
import { useEnvironmentsStore } from './environments'
import { errorMessage, useNotificationsStore } from './notifications'
import { useRequestSendingStore } from './requestSending'
import { useRunsStore } from './runs'
import { useSessionStore } from './session'
import { snapshotOf } from './tabs'
import { useWorkspacesStore } from './workspaces'

export type RunnerState = 'idle' | 'running' | 'stopped' | 'done'

/** How a run is set up in the runner dialog. */
export interface RunSettings {
  /** The collection or folder that runs. */
  targetId: string
  /** The checked requests (they run in sidebar order, whatever the order here). */
  requestIds: string[]
  /** null: no environment. */
  environmentId: string | null
  iterations: number
  delayMs: number
}

export const useRunnerStore = defineStore('runner', () => {
  const collections = useCollectionsStore()
  const environments = useEnvironmentsStore()
  const sending = useRequestSendingStore()
  const runs = useRunsStore()
  const workspaces = useWorkspacesStore()
  const notifications = useNotificationsStore()

  const state = ref<RunnerState>('idle')
  /** What the current (or last) run ran, as it was when it started. */
  const target = shallowRef<RunTarget | null>(null)
  const settings = shallowRef<RunSettings | null>(null)
  const environmentName = ref('')
  const step = ref<RunStep | null>(null)
  /** Results so far, in order (a new array per result, so views of it update; shallow, as results never change). */
  const results = shallowRef<RunResult[]>([])
  const startedAt = ref(0)
  const finishedAt = ref(0)
  /** When the latest result arrived: the summary's duration while the run goes on. */
  const lastResultAt = ref(0)
  /** The run as saved when it ended, or null. */
  const savedRun = shallowRef<CollectionRun | null>(null)
  /** Why the ended run could not be kept, in words ('' when it was). */
  const saveProblem = ref('')

  let controller: AbortController | null = null

  const requestsPerIteration = computed(() => settings.value?.requestIds.length ?? 0)
  const progress = computed(() => step.value && settings.value ? progressLine(step.value, settings.value.iterations, requestsPerIteration.value) : '')
  const summary = computed(() => summarizeRun(results.value, startedAt.value, finishedAt.value || lastResultAt.value))

  // A run belongs to the workspace it started in: switching away stops it, unsaved (the runs store writes to the open workspace).
  let runWorkspaceId: string | null = null
  watch(() => workspaces.activeWorkspaceId, (id) => {
    if (state.value === 'running' && id !== runWorkspaceId)
      controller?.abort()
  })

  /**
   * Runs `input` to the end or until Stop, then saves it; resolves to the
   * saved run (null when it could not be kept). Throws a sentence when the
   * run cannot start.
   */
  function start(input: RunSettings): Promise<CollectionRun | null> {
    if (state.value === 'running')
      throw new Error('A run is in progress. Stop it, or wait for it to end, before starting another.')
    const found = runTargetOf(collections.tree, input.targetId)
    if (!found)
      throw new Error('This collection or folder no longer exists; it may have been deleted on another device.')
    const problem = Object.values(runSettingsProblems(input))[0]
    if (problem)
      throw new Error(problem)
    const chosen = new Set(input.requestIds)
    const requestIds = found.requests.map(request => request.id).filter(id => chosen.has(id))
    if (requestIds.length === 0)
      throw new Error(found.requests.length ? 'Check at least one request to run.' : 'There are no requests to run here: add a request first.')
    const environment = input.environmentId ? environments.environments.find(e => e.id === input.environmentId) : undefined
    if (input.environmentId && !environment)
      throw new Error('The chosen environment no longer exists; choose another one.')

    controller = new AbortController()
    runWorkspaceId = workspaces.activeWorkspaceId
    target.value = found
    settings.value = { ...input, requestIds }
    environmentName.value = environment?.name ?? ''
    step.value = null
    results.value = []
    startedAt.value = Date.now()
    finishedAt.value = 0
    lastResultAt.value = startedAt.value
    savedRun.value = null
    saveProblem.value = ''
    state.value = 'running'
    return execute(controller.signal)
  }

  /** Stops the run: the request in flight is cancelled, the results so far are kept and saved. */
  function stop(): void {
    controller?.abort()
  }

  async function execute(signal: AbortSignal): Promise<CollectionRun | null> {
    const run = settings.value!
    for (const next of runSteps(run.requestIds, run.iterations)) {
      // The progress line names the request that comes next, through the pause before it.
      step.value = next
      const first = next.iteration === 1 && next.position === 1
      if (!first && run.delayMs > 0)
        await pause(run.delayMs, signal)
      if (signal.aborted)
        break
      const result = await sendStep(next, run.environmentId, signal)
      // A request cancelled by Stop did not run: it is not a result.
      if (!result)
        break
      results.value = [...results.value, result]
      lastResultAt.value = Date.now()
    }
    finishedAt.value = Date.now()
    state.value = signal.aborted ? 'stopped' : 'done'
    controller = null
    if (workspaces.activeWorkspaceId !== runWorkspaceId) {
      saveProblem.value = 'The run stopped because another workspace was opened, and it was not kept.'
      notifications.notify({ kind: 'error', message: saveProblem.value })
      return null
    }
    return save()
  }

  /** Sends one saved request (what is saved, not a tab's draft); null when Stop cancelled it. Never throws: a failure is a result. */
  async function sendStep(next: RunStep, environmentId: string | null, signal: AbortSignal): Promise<RunResult | null> {
    const listed = target.value?.requests.find(request => request.id === next.requestId)
    const base: RunResult = {
      requestId: next.requestId,
      iteration: next.iteration,
      name: listed?.name ?? '',
      method: listed?.method ?? 'GET',
      url: listed?.url ?? '',
      status: 0,
      statusText: '',
      timeMs: 0,
      size: 0,
      error: '',
    }
    const sentAt = Date.now()
    try {
      const request = await collections.requestById(next.requestId)
      if (!request)
        return { ...base, error: 'This request was deleted before its turn came, so it was not sent.' }
      Object.assign(base, { name: request.name, method: request.method, url: request.url })
      const snapshot = snapshotOf(request)
      const context = await sending.contextOf({ requestId: request.id, collectionId: request.collectionId }, environmentId)
      const dynamics = repeatableDynamics()
      const prepared = sending.prepare(snapshot, context, dynamics.first)
      base.method = prepared.method
      base.url = storedUrl(snapshot, context, dynamics.again())
      const response = await sending.sendPrepared(prepared, signal)
      return { ...base, status: response.status, statusText: response.statusText, timeMs: response.timeMs, size: response.size }
    }
    catch (error) {
      if (signal.aborted)
        return null
      return { ...base, timeMs: Date.now() - sentAt, error: errorMessage(error) }
    }
  }

  /**
   * The URL to store: built again with every secret variable's value masked
   * as `•••`, because runs sync to the person's devices and teammates and a
   * secret must not travel in clear that way. When the masked URL cannot be
   * built, the URL as typed (variables unresolved) is stored instead.
   */
  function storedUrl(snapshot: RequestSnapshot, context: SendContext, dynamic: DynamicContext): string {
    try {
      return sending.prepare(snapshot, { ...context, scopes: maskSecrets(context.scopes) }, dynamic).url
    }
    catch {
      return snapshot.url
    }
  }

  async function save(): Promise<CollectionRun | null> {
    const run = settings.value!
    const ran = target.value!
    const input: RunInput = {
      collectionId: ran.collectionId,
      folderId: ran.folderId,
      name: ran.name,
      environmentId: run.environmentId ?? '',
      environmentName: environmentName.value,
      iterations: run.iterations,
      delayMs: run.delayMs,
      deviceName: useSessionStore().deviceName,
      startedAt: startedAt.value,
      finishedAt: finishedAt.value,
      outcome: state.value === 'stopped' ? 'stopped' : 'completed',
      // A longer run keeps its first results (docs/runs.md, "Limits").
      results: results.value.slice(0, RUN_RESULTS_LIMIT),
    }
    try {
      savedRun.value = await runs.saveRun(input)
      return savedRun.value
    }
    catch (error) {
      saveProblem.value = `The run ended, but Pigeon could not keep it in Runs: ${errorMessage(error)}`
      notifications.notify({ kind: 'error', message: saveProblem.value })
      return null
    }
  }

  return {
    state,
    target,
    settings,
    environmentName,
    step,
    results,
    startedAt,
    finishedAt,
    savedRun,
    saveProblem,
    progress,
    summary,
    start,
    stop,
  }
})

/** Waits `ms`, or less when `signal` aborts (Stop does not wait out the delay). */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve()
      return
    }
    const done = (): void => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done)
  })
}
