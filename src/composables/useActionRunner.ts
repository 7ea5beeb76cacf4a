import { errorMessage, useNotificationsStore } from '../stores/notifications'

/**
 * A runner for what a person starts from a panel (create, rename, delete…):
 * if the action fails, its error shows as a notification instead of being lost.
 */
export function useActionRunner(): (action: () => Promise<unknown>) => Promise<void> {
  const notifications = useNotificationsStore()
  return async (action) => {
    try {
      await action()
    }
    catch (error) {
      notifications.notify({ kind: 'error', message: errorMessage(error) })
    }
  }
}
