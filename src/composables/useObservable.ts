import type { ShallowRef } from 'vue'
import type { LiveRead, LiveSubscription } from '../db/live'
import { onScopeDispose, shallowRef, watch } from 'vue'

export interface UseObservableOptions {
  /** Called when the live read fails; the last good value stays. Default: logs it. */
  onError?: (error: unknown) => void
}

/**
 * Follows a live read (src/db/live.ts `observe`) as a shallowRef. `source`
 * is re-evaluated when the reactive state it reads changes (the active
 * workspace, say): the old subscription ends and a new one starts. Returning
 * null means "nothing to read" and resets to `initial`. Unsubscribes when
 * the calling scope (component or store) is disposed.
 */
export function useObservable<T>(source: () => LiveRead<T> | null, initial: T, options: UseObservableOptions = {}): ShallowRef<T> {
  const value = shallowRef<T>(initial)
  let subscription: LiveSubscription | null = null

  const stop = watch(source, (read) => {
    subscription?.unsubscribe()
    subscription = null
    value.value = initial
    if (read)
      subscription = read.subscribe((next) => { value.value = next }, options.onError)
  }, { immediate: true })

  onScopeDispose(() => {
    stop()
    subscription?.unsubscribe()
  })
  return value
}
