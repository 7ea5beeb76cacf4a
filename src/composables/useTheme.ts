import type { Ref } from 'vue'
import { watchEffect } from 'vue'

export type ThemeChoice = 'system' | 'light' | 'dark'

/**
 * Keeps <html data-theme> in step with the chosen theme. "system" removes the
 * attribute so the prefers-color-scheme rules of theme.css apply; null (the
 * choice is still loading) leaves the remembered theme in place.
 */
export function useTheme(choice: Ref<ThemeChoice | null>, root: HTMLElement = document.documentElement, storage: Storage = localStorage): void {
  watchEffect(() => {
    if (choice.value === null)
      return
    applyTheme(choice.value, root)
    storage.setItem(THEME_KEY, choice.value)
  })
}

const THEME_KEY = 'pigeon:theme'

/**
 * Applies the theme last chosen on this device before the app mounts, so a
 * forced dark theme does not flash light while settings load from IndexedDB.
 */
export function applyRememberedTheme(root: HTMLElement = document.documentElement, storage: Storage = localStorage): void {
  const remembered = storage.getItem(THEME_KEY)
  if (remembered === 'light' || remembered === 'dark' || remembered === 'system')
    applyTheme(remembered, root)
}

function applyTheme(choice: ThemeChoice, root: HTMLElement): void {
  if (choice === 'system')
    delete root.dataset.theme
  else
    root.dataset.theme = choice
}
