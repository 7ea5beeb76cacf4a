/**
 * The one path from a request to its response, shared by Send and the
 * collection runner: the variable scopes (an environment, the collection's
 * variables, globals, current values applied), the auth inherited from its
 * folders and collection, the request built by src/domain/requestBuilding.ts
 * with the timeout from Settings, and the agent chosen in Settings.
 */
import type { Auth, RequestSnapshot } from '../domain/model'
import type { AgentResponse, PreparedRequest } from '../domain/prepared'
import type { VariableScope } from '../domain/scopes'
import type { DynamicContext } from '../domain/variables'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { send as sendWithAgent } from '../agents/send'
import { getBlob } from '../db/local'
import { buildPreparedRequest } from '../domain/requestBuilding'
import { useCollectionsStore } from './collections'
import { useEnvironmentsStore } from './environments'
import { useSettingsStore } from './settings'
import { useWorkspacesStore } from './workspaces'

/** Where a request sits, for its collection variables and inherited auth (both null for an unsaved request). */
export interface RequestPlace {
  requestId: string | null
  collectionId: string | null
}

/** What a request resolves against. */
export interface SendContext {
  scopes: VariableScope[]
  /** Nearest folder first, the collection last. */
  ancestorsAuth: Auth[]
}

export const useRequestSendingStore = defineStore('requestSending', () => {
  const collections = useCollectionsStore()
  const environments = useEnvironmentsStore()
  const settings = useSettingsStore()
  const workspaces = useWorkspacesStore()

  /** Where the Pigeon server is for the server agent; '' is this page's origin (tests in Node set it). */
  const agentBaseUrl = ref('')

  /**
   * The scopes and ancestor auth of a request at `place`, with the active
   * environment unless `environmentId` names one (null: no environment).
   */
  async function contextOf(place: RequestPlace, environmentId?: string | null): Promise<SendContext> {
    const scopes = [...environments.scopesFor(place.collectionId, environmentId === undefined ? environments.activeEnvironmentId : environmentId)]
    if (!place.requestId)
      return { scopes, ancestorsAuth: [] }
    const ancestors = await collections.ancestorsOf(place.requestId)
    const ancestorsAuth = [...ancestors.folders.map(folder => folder.auth), ...(ancestors.collection ? [ancestors.collection.auth] : [])]
    return { scopes, ancestorsAuth }
  }

  /** What would be sent (variables resolved, auth applied); throws SendError when it cannot be built. */
  function prepare(snapshot: RequestSnapshot, context: SendContext, dynamic?: DynamicContext): PreparedRequest {
    return buildPreparedRequest(snapshot, { ...context, defaults: { timeoutMs: settings.defaultTimeoutMs }, ...(dynamic ? { dynamic } : {}) })
  }

  async function readFile(blobId: string): Promise<Blob | undefined> {
    const db = workspaces.db
    const row = db ? await getBlob(db, blobId) : null
    return row ? new Blob([row.bytes as Uint8Array<ArrayBuffer>], { type: row.type }) : undefined
  }

  /** Sends with the agent chosen in Settings; throws SendError with a sentence when it cannot. */
  function sendPrepared(prepared: PreparedRequest, signal: AbortSignal): Promise<AgentResponse> {
    return sendWithAgent(prepared, { agent: settings.agent, signal, readFile, baseUrl: agentBaseUrl.value })
  }

  return { agentBaseUrl, contextOf, prepare, sendPrepared }
})
