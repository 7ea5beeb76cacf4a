/**
 * App settings on this device (never synced): the agent, the default
 * timeout, the theme, and the sidebar's layout. Persisted in the local
 * settings table through src/db/local.ts.
 */
import type { ThemeChoice } from '../composables/useTheme'
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import { getSetting, setSetting } from '../db/local'
import { useWorkspacesStore } from './workspaces'

export type AgentChoice = 'auto' | 'browser' | 'server'
export type SidebarSection = 'collections' | 'environments' | 'history' | 'runs' | 'presets'

export const AGENT_CHOICES: ReadonlyArray<{ value: AgentChoice, label: string, explanation: string }> = [
  { value: 'auto', label: 'Auto', explanation: 'Uses the Pigeon server when it can be reached, and the browser when it cannot.' },
  { value: 'browser', label: 'Browser', explanation: 'Sends from this page with fetch: works offline, but only for targets that allow CORS.' },
  { value: 'server', label: 'Server proxy', explanation: 'The Pigeon server sends the request: no CORS limits, and a timing breakdown.' },
]

export const SIDEBAR_MIN_WIDTH = 220
export const SIDEBAR_MAX_WIDTH = 560
const DEFAULTS = {
  agent: 'auto' as AgentChoice,
  defaultTimeoutMs: 30_000,
  theme: 'system' as ThemeChoice,
  sidebarCollapsed: false,
  sidebarWidth: 300,
  sidebarSection: 'collections' as SidebarSection,
}

export const useSettingsStore = defineStore('settings', () => {
  const agent = ref<AgentChoice>(DEFAULTS.agent)
  const defaultTimeoutMs = ref(DEFAULTS.defaultTimeoutMs)
  const theme = ref<ThemeChoice>(DEFAULTS.theme)
  const sidebarCollapsed = ref(DEFAULTS.sidebarCollapsed)
  const sidebarWidth = ref(DEFAULTS.sidebarWidth)
  const sidebarSection = ref<SidebarSection>(DEFAULTS.sidebarSection)

  const fields = { agent, defaultTimeoutMs, theme, sidebarCollapsed, sidebarWidth, sidebarSection }
  const loaded = ref(false)

  /** Settings as stored; values of the wrong type are ignored (defaults stay). */
  const ready: Promise<void> = (async () => {
    const db = useWorkspacesStore().db
    // Read together: the theme waits for them at start-up.
    await Promise.all(Object.entries(fields).map(async ([key, field]) => {
      const value = await getSetting<unknown>(db, `settings.${key}`, undefined)
      if (value !== undefined && typeof value === typeof (DEFAULTS as Record<string, unknown>)[key])
        (field as { value: unknown }).value = value
    }))
    sidebarWidth.value = clampSidebarWidth(sidebarWidth.value)
    loaded.value = true
    for (const [key, field] of Object.entries(fields))
      watch(field, value => void setSetting(db, `settings.${key}`, value))
  })()

  return { agent, defaultTimeoutMs, theme, sidebarCollapsed, sidebarWidth, sidebarSection, loaded, ready }
})

/** A sidebar width within the bounds the layout allows. */
export function clampSidebarWidth(width: number): number {
  return Math.round(Math.min(SIDEBAR_MAX_WIDTH, Math.max(SIDEBAR_MIN_WIDTH, width)))
}
