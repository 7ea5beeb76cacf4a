/**
 * The Auto agent: the Server agent when a Pigeon server is there to proxy
 * (no CORS, full timings), otherwise the Browser agent (offline, static
 * hosting, signed out of a public server).
 */
import type { AgentResponse, PreparedRequest } from '../domain/prepared'
import type { AgentOptions } from './browserAgent'
import { sendWithBrowser } from './browserAgent'
import { sendWithServer, ServerAgentUnavailableError } from './serverAgent'

const PROBE_TIMEOUT_MS = 1_500
/** Long enough not to probe before every send, short enough to notice a server that came back. */
const PROBE_CACHE_MS = 10_000

const probes = new Map<string, { usable: boolean, at: number }>()

/** Whether the Pigeon server at `baseUrl` answers /healthz like a Pigeon server; cached briefly. */
export async function isServerAgentUsable(baseUrl = '', now = Date.now()): Promise<boolean> {
  const cached = probes.get(baseUrl)
  if (cached && now - cached.at < PROBE_CACHE_MS)
    return cached.usable
  let usable = false
  try {
    const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS), cache: 'no-store' })
    // A static host answers every path with index.html; only Pigeon answers { ok: true }.
    usable = response.ok && ((await response.json()) as { ok?: unknown }).ok === true
  }
  catch {
    usable = false
  }
  probes.set(baseUrl, { usable, at: now })
  return usable
}

/** Forgets cached probe answers (tests; after the user changes the server address). */
export function forgetServerProbes(): void {
  probes.clear()
}

/** Sends with the server when it can proxy for this user, else with the browser. */
export async function sendWithAuto(prepared: PreparedRequest, options: AgentOptions): Promise<AgentResponse> {
  const baseUrl = options.baseUrl ?? ''
  if (!(await isServerAgentUsable(baseUrl)))
    return sendWithBrowser(prepared, options)
  try {
    return await sendWithServer(prepared, options)
  }
  catch (err) {
    if (!(err instanceof ServerAgentUnavailableError))
      throw err
    probes.set(baseUrl, { usable: false, at: Date.now() })
    if (!err.retryable)
      throw err
    return sendWithBrowser(prepared, options)
  }
}
