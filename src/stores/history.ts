/**
 * History of sent requests in the active workspace (its own document, the
 * latest 1,000 kept): grouped by day and searchable for the sidebar.
 */
import type { HistoryEntry, RequestSnapshot, ResponseSummary } from '../domain/model'
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { useObservable } from '../composables/useObservable'
import { observe } from '../db/live'
import { listHistory } from '../db/queries'
import { groupHistoryByDay, searchHistory } from '../domain/history'
import { HISTORY_LIMIT } from '../domain/model'
import { addHistoryEntry, clearHistory, deleteHistoryEntry } from '../sync/historyDocs'
import { useWorkspacesStore } from './workspaces'

/** What the send store records for a sent request. */
export interface HistoryRecordInput {
  requestId?: string
  request: RequestSnapshot
  response: ResponseSummary
  /** When it was sent; now when left out. */
  sentAt?: number
}

export const useHistoryStore = defineStore('history', () => {
  const workspaces = useWorkspacesStore()

  const list = useObservable(
    () => workspaces.activeWorkspaceId ? observe(() => listHistory(workspaces.db, workspaces.activeWorkspaceId!, HISTORY_LIMIT)) : null,
    null as HistoryEntry[] | null,
  )
  const entries = computed(() => list.value ?? [])
  const loaded = computed(() => list.value !== null)
  const search = ref('')
  const results = computed(() => searchHistory(entries.value, search.value))
  const groups = computed(() => groupHistoryByDay(results.value))

  /** The open document to write to (waits while the workspace is opening). */
  function handle() {
    return workspaces.whenOpen('history')
  }

  /** Adds a sent request to the history (oldest entries beyond 1,000 are dropped). */
  async function record(input: HistoryRecordInput): Promise<HistoryEntry> {
    return addHistoryEntry(await handle(), {
      requestId: input.requestId ?? '',
      request: input.request,
      response: input.response,
      sentAt: input.sentAt ?? Date.now(),
    })
  }

  /** Deletes one entry. */
  async function remove(id: string): Promise<void> {
    deleteHistoryEntry(await handle(), id)
  }

  /** Deletes every entry of this workspace's history. */
  async function clear(): Promise<void> {
    clearHistory(await handle())
  }

  return { entries, loaded, search, results, groups, record, remove, clear }
})
