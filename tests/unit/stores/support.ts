/**
 * What the store tests share: opening Pigeon on a fresh (or a named, to
 * simulate a reload) IndexedDB database, and waiting for live reads.
 */
import { createPinia, setActivePinia } from 'pinia'
import { newId } from '../../../src/domain/ids'
import { selectDatabase, useWorkspacesStore } from '../../../src/stores/workspaces'

/** A database name no other test uses. */
export const freshDatabaseName = (): string => `pigeon-test-${newId()}`

/** Waits until `check` passes: live reads of IndexedDB arrive asynchronously. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 3000): Promise<void> {
  const started = Date.now()
  while (!(await check())) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`Timed out waiting until ${what}`)
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}

/** Starts Pigeon's stores on `databaseName` (the same name again is "after a reload") without waiting for anything. */
export function startStores(databaseName: string = freshDatabaseName()): void {
  selectDatabase(databaseName)
  setActivePinia(createPinia())
}

/** Starts Pigeon's stores on `databaseName` and waits until the workspace is open. */
export async function openWorkspace(databaseName: string = freshDatabaseName()) {
  startStores(databaseName)
  const workspaces = useWorkspacesStore()
  await workspaces.ready
  return workspaces
}
