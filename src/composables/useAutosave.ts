import { onBeforeUnmount } from 'vue'
import { errorMessage, useNotificationsStore } from '../stores/notifications'

/** How long after the last keystroke an editor dialog saves. */
const AUTOSAVE_DELAY_MS = 400

interface Autosave {
  /** Marks the draft changed and saves shortly after changes stop. */
  changed: () => void
  /** Saves now if anything changed (on Done, on close); the pending timed save is dropped. */
  flush: () => Promise<void>
}

/**
 * Saves an editor dialog's draft as the person types (shortly after they
 * stop), at once on `flush`, and when the dialog goes away. `write` stores the
 * draft; it only runs once `isReady` says the draft has loaded. A failed save
 * shows as a notification starting with `failure` ("The preset was not saved").
 */
export function useAutosave(write: () => Promise<void>, isReady: () => boolean, failure: string): Autosave {
  const notifications = useNotificationsStore()
  let timer: ReturnType<typeof setTimeout> | undefined
  let dirty = false

  function changed(): void {
    dirty = true
    clearTimeout(timer)
    timer = setTimeout(() => void flush(), AUTOSAVE_DELAY_MS)
  }

  async function flush(): Promise<void> {
    clearTimeout(timer)
    if (!dirty || !isReady())
      return
    dirty = false
    try {
      await write()
    }
    catch (error) {
      notifications.notify({ kind: 'error', message: `${failure}: ${errorMessage(error)}` })
    }
  }

  onBeforeUnmount(() => void flush())
  return { changed, flush }
}
