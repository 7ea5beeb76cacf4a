/**
 * Registers the service worker (workbox-window) and runs the update flow.
 *
 * A new version installs in the background and waits (build/pwa.ts); the app
 * then shows "A new version is available — Reload". Only the user's click
 * activates it (SKIP_WAITING) and reloads, so a page is never reloaded under
 * someone typing. When another window of Pigeon accepted the update, this one
 * is told so and still waits for the user's click.
 */
import { Workbox } from 'workbox-window'
import type { Ref } from 'vue'
import { readonly, ref } from 'vue'
import { runBeforeReloadHooks } from './beforeReload'

/**
 * - current: this page runs the newest version we know of;
 * - available: a new version waits, the user can reload onto it;
 * - applying: the user accepted, the page reloads as soon as the new worker controls it;
 * - appliedElsewhere: another window activated a new version; this page runs the old one.
 */
export type UpdateState = 'current' | 'available' | 'applying' | 'appliedElsewhere'

export interface UseAppUpdateReturn {
  state: Readonly<Ref<UpdateState>>
  /** Why the last "Reload" did not go ahead (a change could not be stored first), or null. */
  blockedReason: Readonly<Ref<string | null>>
  /** True once a service worker controls the page: the app opens without a network. */
  offlineReady: Readonly<Ref<boolean>>
  acceptUpdate: () => Promise<void>
  checkForUpdate: () => Promise<void>
}

const SERVICE_WORKER_URL = '/sw.js'
const CHECK_EVERY_MS = 60 * 60 * 1000
/** If the new worker never takes control after the click, reload anyway: the user asked for it. */
const RELOAD_FALLBACK_MS = 10_000

const state = ref<UpdateState>('current')
const blockedReason = ref<string | null>(null)
const offlineReady = ref(false)
let workbox: Workbox | null = null
let registration: ServiceWorkerRegistration | null = null
let started = false
let reloadRequested = false

function showUpdate(): void {
  if (state.value === 'current')
    state.value = 'available'
}

function watchForWaitingWorker(reg: ServiceWorkerRegistration): void {
  if (reg.waiting && navigator.serviceWorker.controller)
    showUpdate()
  reg.addEventListener('updatefound', () => {
    const worker = reg.installing
    worker?.addEventListener('statechange', () => {
      // "installed" with a controller in place means: a new version waits.
      // A worker that goes "redundant" instead failed to install (an asset
      // did not download); the previous version keeps serving this page.
      if (worker.state === 'installed' && navigator.serviceWorker.controller)
        showUpdate()
    })
  })
}

function onControllerChange(hadController: boolean): void {
  offlineReady.value = true
  if (reloadRequested) {
    window.location.reload()
    return
  }
  // The first worker claiming a fresh page is not an update.
  if (hadController)
    state.value = 'appliedElsewhere'
}

/** Registers the service worker once; later calls do nothing. No-op in the dev server. */
export async function startServiceWorker(): Promise<void> {
  // `import.meta.hot` exists only under the dev server, which builds no service worker.
  // (Not `import.meta.env.PROD`: a build made with NODE_ENV=test, as under vitest, is still a build.)
  if (started || import.meta.hot || !('serviceWorker' in navigator))
    return
  started = true
  let controlled = Boolean(navigator.serviceWorker.controller)
  offlineReady.value = controlled
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    const hadController = controlled
    controlled = true
    onControllerChange(hadController)
  })
  workbox = new Workbox(SERVICE_WORKER_URL, { scope: '/' })
  try {
    registration = (await workbox.register()) ?? null
  }
  catch (err) {
    // The app still works online; offline use waits for a later successful install.
    console.error('Pigeon could not install its offline copy; it will try again on the next visit.', err)
    return
  }
  if (!registration)
    return
  watchForWaitingWorker(registration)
  window.setInterval(() => void checkForUpdate(), CHECK_EVERY_MS)
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible')
      void checkForUpdate()
  })
}

/** Asks the server for a newer service worker; a new version then shows the prompt. */
export async function checkForUpdate(): Promise<void> {
  if (!registration || !navigator.onLine)
    return
  try {
    await registration.update()
  }
  catch (err) {
    // The server is unreachable or sw.js failed: nothing changes for the user; the next check tries again.
    console.warn('Checking for a new version of Pigeon failed; will try again later.', err)
  }
}

/** The user's "Reload": save what must be saved, activate the waiting version, reload onto it. */
export async function acceptUpdate(): Promise<void> {
  if (state.value === 'applying')
    return
  const previous = state.value
  state.value = 'applying'
  blockedReason.value = null
  const failures = await runBeforeReloadHooks()
  if (failures.length > 0) {
    // Reloading now would drop changes that only live in memory: stay, and say why.
    state.value = previous
    blockedReason.value = `Pigeon did not reload, so your latest changes are not lost: ${failures[0].message}`
    return
  }
  // Read only now: another window may have activated the new version meanwhile.
  const waiting = registration?.waiting
  if (!waiting || !workbox) {
    // Already activated (by another window): this page only needs to load the new version.
    window.location.reload()
    return
  }
  reloadRequested = true
  workbox.messageSkipWaiting()
  window.setTimeout(() => window.location.reload(), RELOAD_FALLBACK_MS)
}

/** The update flow's state and actions, shared by every component that uses it. */
export function useAppUpdate(): UseAppUpdateReturn {
  return { state: readonly(state), blockedReason: readonly(blockedReason), offlineReady: readonly(offlineReady), acceptUpdate, checkForUpdate }
}
