import type { Ref } from 'vue'
import { onScopeDispose, ref } from 'vue'

/** Whether a CSS media query matches now, updated as the window changes. */
export function useMediaQuery(query: string, win: Window = window): Ref<boolean> {
  const list = win.matchMedia(query)
  const matches = ref(list.matches)
  const onChange = (event: MediaQueryListEvent): void => { matches.value = event.matches }
  list.addEventListener('change', onChange)
  onScopeDispose(() => list.removeEventListener('change', onChange))
  return matches
}
