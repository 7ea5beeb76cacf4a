/**
 * Sending a tab's request through the one sending path
 * (./requestSending.ts: variables, inherited auth, the agent chosen in
 * Settings), and keeping the response per tab — in memory and in IndexedDB,
 * never in the synced document. Each send is recorded in History.
 */
import type { RequestSnapshot, ResponseSummary } from '../domain/model'
import type { AgentResponse, PreparedRequest, SendErrorKind } from '../domain/prepared'
import type { SendContext } from './requestSending'
import { defineStore } from 'pinia'
import { markRaw, ref, toRef } from 'vue'
import { getResponse, putResponse } from '../db/local'
import { HISTORY_BODY_LIMIT } from '../domain/model'
import { SendError } from '../domain/prepared'
import { decodeText, truncateBody } from '../domain/response'
import { useHistoryStore } from './history'
import { errorMessage, useNotificationsStore } from './notifications'
import { useRequestSendingStore } from './requestSending'
import { snapshotOf, useTabsStore } from './tabs'
import { useWorkspacesStore } from './workspaces'

/** The response side of a tab: nothing yet, in flight, answered, or failed with a reason. */
export type TabResponse =
  | { state: 'sending', startedAt: number }
  | { state: 'done', response: AgentResponse, receivedAt: number }
  | { state: 'error', kind: SendErrorKind, title: string, message: string, at: number }

const ERROR_TITLES: Record<SendErrorKind, string> = {
  invalid_url: 'The URL is not valid',
  dns: 'Host not found',
  refused: 'Connection refused',
  tls: 'Secure connection failed',
  timeout: 'The request timed out',
  cors: 'Blocked by the browser (CORS)',
  offline: 'You are offline',
  aborted: 'Request cancelled',
  too_large: 'The response is too large',
  forbidden_target: 'Target not allowed',
  redirects: 'Too many redirects',
  invalid_body: 'The body is not valid',
  unknown: 'Could not send the request',
}

export const useSendStore = defineStore('send', () => {
  const tabs = useTabsStore()
  const sending = useRequestSendingStore()
  const history = useHistoryStore()
  const workspaces = useWorkspacesStore()
  const notifications = useNotificationsStore()

  const responses = ref<Record<string, TabResponse>>({})
  /** Where the Pigeon server is for the server agent (shared with the runner: see requestSending.ts). */
  const agentBaseUrl = toRef(sending, 'agentBaseUrl')
  const controllers = new Map<string, AbortController>()
  const restored = new Set<string>()

  function responseFor(tabId: string): TabResponse | null {
    return responses.value[tabId] ?? null
  }

  function isSending(tabId: string): boolean {
    return responses.value[tabId]?.state === 'sending'
  }

  /** The variable scopes and ancestor auth a tab's request resolves against. */
  async function contextOf(tabId: string): Promise<SendContext> {
    const tab = tabs.tabById(tabId)
    return sending.contextOf({ requestId: tab?.requestId ?? null, collectionId: tab?.collectionId ?? null })
  }

  /** What would be sent for a tab now (variables resolved, auth applied); throws SendError when it cannot be built. */
  async function prepare(tabId: string): Promise<PreparedRequest> {
    const tab = tabs.tabById(tabId)
    if (!tab)
      throw new SendError('unknown', 'This tab is no longer open.')
    return sending.prepare(tab.draft, await contextOf(tabId))
  }

  /** Sends a tab's request (Ctrl/Cmd+Enter); the outcome lands in `responses[tabId]`. */
  async function send(tabId: string): Promise<TabResponse | null> {
    const tab = tabs.tabById(tabId)
    if (!tab || isSending(tabId))
      return responseFor(tabId)
    const snapshot = snapshotOf(tab.draft)
    const requestId = tab.kind === 'request' ? tab.requestId : null
    const controller = new AbortController()
    controllers.set(tabId, controller)
    const startedAt = Date.now()
    responses.value[tabId] = { state: 'sending', startedAt }
    let outcome: TabResponse
    try {
      const prepared = await prepare(tabId)
      const response = await sending.sendPrepared(prepared, controller.signal)
      outcome = { state: 'done', response: markRaw(response), receivedAt: Date.now() }
    }
    catch (error) {
      const kind: SendErrorKind = error instanceof SendError ? error.kind : 'unknown'
      const message = error instanceof Error ? error.message : String(error)
      outcome = { state: 'error', kind, title: ERROR_TITLES[kind], message, at: Date.now() }
    }
    finally {
      controllers.delete(tabId)
    }
    // A tab closed while sending has nowhere to show its response.
    if (!tabs.tabById(tabId))
      return null
    responses.value[tabId] = outcome
    if (!(outcome.state === 'error' && outcome.kind === 'aborted'))
      await record(tabId, requestId, snapshot, outcome, startedAt)
    return outcome
  }

  async function record(tabId: string, requestId: string | null, request: RequestSnapshot, outcome: TabResponse, startedAt: number): Promise<void> {
    const db = workspaces.db
    const workspaceId = workspaces.activeWorkspaceId
    try {
      if (outcome.state === 'done' && db && workspaceId)
        await putResponse(db, workspaceId, tabId, outcome.response)
      await history.record({ requestId: requestId ?? '', request, response: summarize(outcome, startedAt) })
    }
    catch (error) {
      notifications.notify({ kind: 'error', message: `The response is shown, but Pigeon could not keep it in History: ${errorMessage(error)}` })
    }
  }

  /** Cancels a tab's request in flight. */
  function cancel(tabId: string): void {
    controllers.get(tabId)?.abort()
  }

  /** Brings back the last response of a tab after a reload (once per tab). */
  async function restore(tabId: string): Promise<void> {
    const db = workspaces.db
    if (restored.has(tabId) || responses.value[tabId] || !db)
      return
    restored.add(tabId)
    const response = await getResponse(db, tabId)
    if (response && !responses.value[tabId])
      responses.value[tabId] = { state: 'done', response: markRaw(response), receivedAt: Date.now() }
  }

  /** Forgets the response of a closed tab. */
  function forget(tabId: string): void {
    cancel(tabId)
    delete responses.value[tabId]
  }

  return { responses, agentBaseUrl, responseFor, isSending, prepare, send, cancel, restore, forget, contextOf }
})

/** A bounded summary of an outcome, as History keeps it. */
export function summarize(outcome: TabResponse, startedAt: number): ResponseSummary {
  if (outcome.state === 'done') {
    const { response } = outcome
    const contentType = response.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? null
    const { body, truncated } = truncateBody(decodeText(response.body.subarray(0, HISTORY_BODY_LIMIT * 2), contentType), HISTORY_BODY_LIMIT)
    return {
      status: response.status,
      statusText: response.statusText,
      timeMs: response.timeMs,
      size: response.size,
      headers: response.headers.map(([key, value]) => ({ key, value })),
      body,
      bodyTruncated: truncated || response.body.byteLength > HISTORY_BODY_LIMIT * 2,
      error: '',
    }
  }
  const error = outcome.state === 'error' ? outcome.message : ''
  return { status: 0, statusText: '', timeMs: Date.now() - startedAt, size: 0, headers: [], body: '', bodyTruncated: false, error }
}
