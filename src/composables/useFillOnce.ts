import type { Ref } from 'vue'
import { nextTick, ref, watch } from 'vue'

/**
 * Fills an editor's draft from `source` once, the first time it finds
 * something, and never again: later live updates must not fight the cursor.
 * A just-created item reaches the live list a moment after its editor opens,
 * so the first look may find nothing. The returned flag says whether it has filled.
 */
export function useFillOnce<T>(source: () => T | null | undefined, fill: (found: T) => void): Ref<boolean> {
  const ready = ref(false)
  const stop = watch(source, (found) => {
    if (found === null || found === undefined || ready.value)
      return
    fill(found)
    ready.value = true
    void nextTick(() => stop())
  }, { immediate: true })
  return ready
}
