/**
 * Tells the user when the device's storage refuses a write (typically: the
 * storage quota is full). The workspace and history documents keep unstored
 * changes in memory and report each failed write (src/db/quota.ts makes it a
 * sentence); this shows that sentence as an error toast with "Try again".
 * Nothing already stored is touched by a failed write.
 */
import { watch } from 'vue'
import { useNotificationsStore } from '../stores/notifications'
import { useWorkspacesStore } from '../stores/workspaces'

/** The part of a document handle this needs (src/sync DocHandle). */
interface ReportsStorageErrors {
  onError: (listener: (error: Error) => void) => () => void
  retry: () => Promise<void>
}

/** Starts showing storage failures of the open workspace; stops with the calling component's scope. */
export function useStorageFailureNotices(): void {
  const workspaces = useWorkspacesStore()
  const notifications = useNotificationsStore()
  let visibleToastId: string | null = null

  function report(handle: ReportsStorageErrors, error: Error): void {
    // A burst of failed writes is one problem for the user: one toast at a time.
    if (visibleToastId && notifications.notifications.some(n => n.id === visibleToastId))
      return
    visibleToastId = notifications.notify({
      kind: 'error',
      message: error.message,
      action: { label: 'Try again', run: () => handle.retry() },
      durationMs: 0,
    })
  }

  watch(
    () => [workspaces.handle, workspaces.historyHandle, workspaces.runsHandle] as Array<ReportsStorageErrors | null>,
    (handles, _previous, onCleanup) => {
      const stops = handles
        .filter((handle): handle is ReportsStorageErrors => handle !== null)
        .map(handle => handle.onError(error => report(handle, error)))
      onCleanup(() => stops.forEach(stop => stop()))
    },
    { immediate: true },
  )
}
