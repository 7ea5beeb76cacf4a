import type { ShallowRef } from 'vue'
import { onMounted, shallowRef } from 'vue'
import { useAutosave } from './useAutosave'

interface AutosavedDraft<T> {
  /** The record being edited; null until it has loaded. */
  draft: ShallowRef<T | null>
  /** Applies an edit to the draft and saves it shortly after edits stop. */
  change: (patch: Partial<T>) => void
  /** Saves now if anything changed. */
  flush: () => Promise<void>
}

/**
 * A settings dialog's copy of one record: loaded once when the dialog opens,
 * edited in place, and saved through `write` as the person types and when the
 * dialog goes away (see useAutosave).
 */
export function useAutosavedDraft<T extends object>(
  load: () => Promise<T | null>,
  write: (draft: T) => Promise<void>,
  failure: string,
): AutosavedDraft<T> {
  const draft: ShallowRef<T | null> = shallowRef(null)
  const autosave = useAutosave(async () => {
    if (draft.value)
      await write(draft.value)
  }, () => draft.value !== null, failure)

  onMounted(async () => {
    draft.value = await load()
  })

  function change(patch: Partial<T>): void {
    if (!draft.value)
      return
    draft.value = { ...draft.value, ...patch }
    autosave.changed()
  }

  return { draft, change, flush: autosave.flush }
}
