import type { IconName } from './AppIcon.vue'

/** One entry of a popup menu; `separator` draws a line above it. */
export interface MenuItem {
  label: string
  icon?: IconName
  danger?: boolean
  separator?: boolean
  disabled?: boolean
  /** Shown on the right, e.g. "F2". */
  shortcut?: string
  run: () => void
}

/** Where a menu opens: the point of a right-click, or below a trigger button. */
export interface MenuPlacement {
  x: number
  y: number
}

/** Placement just under an element, right-aligned to it when there is room. */
export function placementBelow(element: Element): MenuPlacement {
  const rect = element.getBoundingClientRect()
  return { x: rect.left, y: rect.bottom + 2 }
}
