/**
 * The request engineer's tabs store, when it exists. The sidebar opens
 * requests and history entries in tabs through it; until the file lands, the
 * glob is empty and these calls report that tabs are not available yet.
 */
import type { HistoryEntry } from '../../domain/model'

interface TabsStoreLike {
  activeTab?: { requestId: string | null } | null
  openRequest: (requestId: string) => unknown
  openHistoryEntry: (entry: HistoryEntry) => unknown
  closeForDeleted?: (entityIds: string[]) => unknown
}

const modules = import.meta.glob<{ useTabsStore: () => TabsStoreLike }>('../../stores/tabs.ts', { eager: true })
const useTabsStore = modules['../../stores/tabs.ts']?.useTabsStore ?? null

/** Whether opening things in tabs works in this build. */
export const tabsAvailable = useTabsStore !== null

/** Opens a saved request in a tab (or focuses its tab). */
export async function openRequestInTab(requestId: string): Promise<void> {
  await useTabsStore?.().openRequest(requestId)
}

/** Opens a history entry in a new tab. */
export async function openHistoryInTab(entry: HistoryEntry): Promise<void> {
  await useTabsStore?.().openHistoryEntry(entry)
}

/** Closes the tabs of entities that were deleted. */
export async function closeTabsFor(entityIds: string[]): Promise<void> {
  await useTabsStore?.().closeForDeleted?.(entityIds)
}

/** The saved request shown in the active tab, so the tree can highlight it. */
export function activeTabRequestId(): string | null {
  return useTabsStore?.().activeTab?.requestId ?? null
}
