/**
 * Starts everything that makes Pigeon an installable, offline app: the
 * service worker and its updates, the install offer, connectivity, and the
 * request for persistent storage. Safe to call more than once.
 */
import { startConnectivity } from './useConnectivity'
import { startInstallPrompt } from './useInstallPrompt'
import { startServiceWorker } from './useAppUpdate'
import { requestPersistenceOnce } from './useStorageUsage'

export function startPwa(): void {
  startInstallPrompt()
  startConnectivity()
  void startServiceWorker()
  requestPersistenceOnce().catch((err: unknown) => {
    // Without persistence the app works the same; the browser may only evict data under storage pressure.
    console.warn('Asking for persistent storage failed.', err)
  })
}
