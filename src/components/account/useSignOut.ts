import { useNotificationsStore } from '../../stores/notifications'
import { useSyncStore } from '../../stores/sync'
import { messageOf } from './accountText'

/**
 * Signing out, and what the person is told about it: the same words whether
 * it starts from the account menu, the settings section or the
 * unsynced-changes dialog, so the three cannot drift apart.
 */
export function useSignOut(): {
  signOut: () => Promise<void>
  saySignedOut: () => void
  sayCouldNotSignOut: (error: unknown) => void
} {
  const sync = useSyncStore()
  const notifications = useNotificationsStore()

  function saySignedOut(): void {
    notifications.notify({ kind: 'success', message: 'You are signed out, and this account\'s data is removed from this device.' })
  }

  function sayCouldNotSignOut(error: unknown): void {
    notifications.notify({ kind: 'error', message: `Could not sign out: ${messageOf(error)}` })
  }

  async function signOut(): Promise<void> {
    try {
      // With unsynced changes the sign-out dialog asks first (it is shown by the account menu).
      if ((await sync.signOut()) === 'signed-out')
        saySignedOut()
    }
    catch (error) {
      sayCouldNotSignOut(error)
    }
  }

  return { signOut, saySignedOut, sayCouldNotSignOut }
}
