/**
 * Whether the network and the Pigeon server can be reached, so the app can
 * say in words what works right now. Everything local (collections, tabs,
 * environments, history, sending to hosts on this machine) works in every
 * state; what needs the network is sending to other hosts, and what needs the
 * server is the server agent and sync.
 */
import type { Ref } from 'vue'
import { readonly, ref } from 'vue'

/** online: all good; offline: the browser has no network; serverUnreachable: network yes, Pigeon's server no. */
export type Connectivity = 'online' | 'offline' | 'serverUnreachable'

export interface UseConnectivityReturn {
  connectivity: Readonly<Ref<Connectivity>>
  /** Probe the server now (after a failed call, or when the user asks). */
  checkServer: () => Promise<void>
}

const HEALTH_URL = '/healthz'
const PROBE_TIMEOUT_MS = 5_000
/** While the server is away, look for it often; while it answers, rarely. */
const PROBE_UNREACHABLE_EVERY_MS = 15_000
const PROBE_ONLINE_EVERY_MS = 120_000

const connectivity = ref<Connectivity>(typeof navigator !== 'undefined' && !navigator.onLine ? 'offline' : 'online')
let started = false
let probeTimer: number | undefined

/** True when the Pigeon server answers its health check. */
async function serverAnswers(): Promise<boolean> {
  try {
    const response = await fetch(HEALTH_URL, { cache: 'no-store', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) })
    return response.ok
  }
  catch {
    // A network error or a timeout is the answer we are probing for.
    return false
  }
}

function scheduleProbe(): void {
  window.clearTimeout(probeTimer)
  const delay = connectivity.value === 'serverUnreachable' ? PROBE_UNREACHABLE_EVERY_MS : PROBE_ONLINE_EVERY_MS
  probeTimer = window.setTimeout(() => void checkServer(), delay)
}

/** Probes the server and updates the state; does nothing while the browser is offline. */
export async function checkServer(): Promise<void> {
  if (!navigator.onLine) {
    connectivity.value = 'offline'
    return
  }
  const answers = await serverAnswers()
  // The browser may have gone offline while we waited.
  if (!navigator.onLine)
    connectivity.value = 'offline'
  else
    connectivity.value = answers ? 'online' : 'serverUnreachable'
  scheduleProbe()
}

/** Starts following the browser's online state and probing the server; later calls do nothing. */
export function startConnectivity(win: Window = window): void {
  if (started)
    return
  started = true
  win.addEventListener('offline', () => {
    window.clearTimeout(probeTimer)
    connectivity.value = 'offline'
  })
  win.addEventListener('online', () => void checkServer())
  win.document.addEventListener('visibilitychange', () => {
    if (win.document.visibilityState === 'visible' && connectivity.value !== 'offline')
      void checkServer()
  })
  void checkServer()
}

/** Connectivity state, shared by every component that uses it. */
export function useConnectivity(): UseConnectivityReturn {
  return { connectivity: readonly(connectivity), checkServer }
}
