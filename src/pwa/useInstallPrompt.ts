/**
 * The browser's offer to install Pigeon as an app. Chromium fires
 * `beforeinstallprompt` when the app is installable; we keep the event and
 * show our own Install button, which replays it. Once installed (or when
 * already running as the installed app) the button goes away.
 */
import type { Ref } from 'vue'
import { readonly, ref } from 'vue'

/** Chromium's install prompt event (not in TypeScript's DOM library). */
interface BeforeInstallPromptEvent extends Event {
  prompt: () => Promise<void>
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>
}

export interface UseInstallPromptReturn {
  /** The browser offers installation and Pigeon is not installed. */
  canInstall: Readonly<Ref<boolean>>
  /** Running as the installed app (standalone window), or installed during this visit. */
  installed: Readonly<Ref<boolean>>
  install: () => Promise<void>
}

const canInstall = ref(false)
const installed = ref(false)
let deferredPrompt: BeforeInstallPromptEvent | null = null
let started = false

/** Starts listening for the browser's install offer; later calls do nothing. */
export function startInstallPrompt(win: Window = window): void {
  if (started)
    return
  started = true
  const standalone = win.matchMedia('(display-mode: standalone)')
  installed.value = standalone.matches
  standalone.addEventListener('change', (event) => {
    installed.value = event.matches
    if (event.matches)
      canInstall.value = false
  })
  win.addEventListener('beforeinstallprompt', (event) => {
    // Keep the browser's own mini-infobar away; our button offers the same.
    event.preventDefault()
    deferredPrompt = event as BeforeInstallPromptEvent
    canInstall.value = !installed.value
  })
  win.addEventListener('appinstalled', () => {
    deferredPrompt = null
    canInstall.value = false
    installed.value = true
  })
}

/** Shows the browser's install dialog; the button hides once the user has decided. */
export async function install(): Promise<void> {
  const prompt = deferredPrompt
  if (!prompt)
    return
  // A prompt event can only be used once.
  deferredPrompt = null
  canInstall.value = false
  await prompt.prompt()
  const choice = await prompt.userChoice
  if (choice.outcome === 'accepted')
    installed.value = true
}

/** Install state and action, shared by every component that uses it. */
export function useInstallPrompt(): UseInstallPromptReturn {
  return { canInstall: readonly(canInstall), installed: readonly(installed), install }
}
