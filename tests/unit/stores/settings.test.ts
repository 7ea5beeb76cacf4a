import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { getSetting } from '../../../src/db/local'
import { clampSidebarWidth, useSettingsStore } from '../../../src/stores/settings'
import { useWorkspacesStore } from '../../../src/stores/workspaces'
import { freshDatabaseName, startStores, until } from './support'

function openApp(databaseName: string) {
  startStores(databaseName)
  return { workspaces: useWorkspacesStore(), settings: useSettingsStore() }
}

describe('settings store', () => {
  it('keeps the agent, timeout, theme and sidebar layout across a restart', async () => {
    const databaseName = freshDatabaseName()
    const first = openApp(databaseName)
    await first.settings.ready
    expect(first.settings.agent).toBe('auto')
    first.settings.agent = 'server'
    first.settings.defaultTimeoutMs = 5000
    first.settings.theme = 'dark'
    first.settings.sidebarCollapsed = true
    first.settings.sidebarWidth = 360
    await until(async () => await getSetting(first.workspaces.db, 'settings.sidebarWidth', 0) === 360, 'the width is stored')

    const again = openApp(databaseName)
    await again.settings.ready
    expect([again.settings.agent, again.settings.defaultTimeoutMs, again.settings.theme, again.settings.sidebarCollapsed, again.settings.sidebarWidth])
      .toEqual(['server', 5000, 'dark', true, 360])
  })

  it('keeps the sidebar between its narrowest and widest', () => {
    expect(clampSidebarWidth(10)).toBe(220)
    expect(clampSidebarWidth(9999)).toBe(560)
    expect(clampSidebarWidth(301.4)).toBe(301)
  })
})
