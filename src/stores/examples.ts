/**
 * Saved examples (responses kept with a request): the examples of the
 * request in the active tab, saving a response as one, renaming, deleting.
 * Examples live in the workspace document, so their body is bounded.
 */
import type { Example } from '../domain/model'
import { defineStore } from 'pinia'
import { computed } from 'vue'
import { useObservable } from '../composables/useObservable'
import { observe } from '../db/live'
import { listExamples } from '../db/queries'
import { newId } from '../domain/ids'
import { EXAMPLE_BODY_LIMIT, Example as ExampleSchema } from '../domain/model'
import { decodeText, truncateBody } from '../domain/response'
import { createEntity, deleteEntity, updateEntity } from '../sync/mutations'
import { useSendStore } from './send'
import { snapshotOf, useTabsStore } from './tabs'
import { useWorkspacesStore } from './workspaces'

export const useExamplesStore = defineStore('examples', () => {
  const workspaces = useWorkspacesStore()
  const tabs = useTabsStore()
  const sending = useSendStore()

  const requestId = computed(() => tabs.activeTab?.requestId ?? null)
  /** Examples of the saved request shown in the active tab, oldest first. */
  const examples = useObservable(() => {
    const id = requestId.value
    const workspaceId = workspaces.activeWorkspaceId
    const db = workspaces.db
    return id && workspaceId && db ? observe(() => listExamples(db, workspaceId, id)) : null
  }, [] as Example[])

  /** The open document to write to (waits while the workspace is opening). */
  function handle() {
    return workspaces.whenOpen()
  }

  /**
   * Saves the response shown in a tab as an example of its saved request.
   * The body is kept up to EXAMPLE_BODY_LIMIT and marked as cut beyond.
   */
  async function saveFromResponse(tabId: string, name?: string): Promise<Example> {
    const tab = tabs.tabById(tabId)
    const outcome = sending.responseFor(tabId)
    if (!tab?.requestId)
      throw new Error('Save the request first: examples belong to a saved request.')
    if (outcome?.state !== 'done')
      throw new Error('Send the request first: there is no response to save.')
    const { response } = outcome
    const contentType = response.headers.find(([key]) => key.toLowerCase() === 'content-type')?.[1] ?? null
    const text = decodeText(response.body.subarray(0, EXAMPLE_BODY_LIMIT * 2), contentType)
    const { body, truncated } = truncateBody(text, EXAMPLE_BODY_LIMIT)
    const now = Date.now()
    const example = ExampleSchema.parse({
      id: newId(),
      createdAt: now,
      updatedAt: now,
      requestId: tab.requestId,
      name: name?.trim() || `${response.status} ${response.statusText}`.trim() || 'Example',
      request: snapshotOf(tab.draft),
      status: response.status,
      statusText: response.statusText,
      headers: response.headers.map(([key, value]) => ({ key, value })),
      body,
      bodyTruncated: truncated || response.body.byteLength > EXAMPLE_BODY_LIMIT * 2,
      timeMs: Math.round(response.timeMs),
      size: response.size,
    })
    const doc = await handle()
    createEntity(doc, 'examples', example)
    await doc.flushed()
    return example
  }

  /** Renames an example. */
  async function rename(exampleId: string, name: string): Promise<void> {
    const trimmed = name.trim()
    if (trimmed === '')
      return
    const doc = await handle()
    updateEntity(doc, 'examples', exampleId, { name: trimmed })
    await doc.flushed()
  }

  /** Deletes an example and closes its tab. */
  async function remove(exampleId: string): Promise<void> {
    const doc = await handle()
    deleteEntity(doc, 'examples', exampleId)
    tabs.closeForDeleted([exampleId])
    await doc.flushed()
  }

  return { examples, requestId, saveFromResponse, rename, remove }
})
