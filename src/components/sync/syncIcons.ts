/** One stroke icon per sync state (24×24 paths), so the state reads at a glance next to its word. */
import type { SyncState } from '../../stores/sync'

export const SYNC_ICONS: Record<SyncState, string> = {
  // A cloud crossed out.
  offline: 'M3 3l18 18M7 18h10.5M19.8 16.3A4 4 0 0 0 17.5 9h-.3A6 6 0 0 0 9 5.3M6 8.4A4.5 4.5 0 0 0 7 18',
  // Two arrows going round: trying to reach the server.
  connecting: 'M20 12a8 8 0 0 0-14-5.3L4 9M4 4v5h5M4 12a8 8 0 0 0 14 5.3l2-2.3M20 20v-5h-5',
  syncing: 'M20 12a8 8 0 0 0-14-5.3L4 9M4 4v5h5M4 12a8 8 0 0 0 14 5.3l2-2.3M20 20v-5h-5',
  // A cloud with a check mark.
  inSync: 'M7 18a4.5 4.5 0 0 1-.5-9A6 6 0 0 1 17.5 9a4.5 4.5 0 0 1 0 9zM9.5 13.5l2 2 3.5-4',
  // A warning triangle.
  error: 'M12 3L2 20h20zM12 10v4M12 17h.01',
}
