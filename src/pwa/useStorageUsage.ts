/**
 * How much of the device's storage Pigeon uses, how much it may use, and
 * whether the browser keeps it persistently (never evicts it to free space).
 */
import type { Ref } from 'vue'
import { readonly, ref } from 'vue'

export interface StorageEstimateFigures {
  usage: number
  quota: number
}

/** granted: never evicted; notGranted: may be evicted under storage pressure; unsupported: the browser cannot tell. */
export type Persistence = 'granted' | 'notGranted' | 'unsupported'

export interface UseStorageUsageReturn {
  estimate: Readonly<Ref<StorageEstimateFigures | null>>
  persistence: Readonly<Ref<Persistence>>
  refresh: () => Promise<void>
  requestPersistence: () => Promise<Persistence>
}

/** localStorage key: the automatic request was made on this device (so a browser that prompts asks only once). */
const ASKED_KEY = 'pigeon.persistentStorageAsked'

const estimate = ref<StorageEstimateFigures | null>(null)
const persistence = ref<Persistence>('unsupported')

function storageManager(): StorageManager | null {
  return typeof navigator !== 'undefined' && navigator.storage ? navigator.storage : null
}

/** Reads usage, quota and persistence again. */
export async function refresh(): Promise<void> {
  const storage = storageManager()
  if (!storage)
    return
  if (storage.estimate) {
    const figures = await storage.estimate()
    estimate.value = { usage: figures.usage ?? 0, quota: figures.quota ?? 0 }
  }
  if (storage.persisted)
    persistence.value = (await storage.persisted()) ? 'granted' : 'notGranted'
}

/** Asks the browser to keep Pigeon's data persistently; resolves to the answer. */
export async function requestPersistence(): Promise<Persistence> {
  const storage = storageManager()
  if (!storage?.persist)
    return 'unsupported'
  persistence.value = (await storage.persist()) ? 'granted' : 'notGranted'
  return persistence.value
}

/** At startup: ask for persistent storage once per device, unless it is already granted. */
export async function requestPersistenceOnce(local: Storage = window.localStorage): Promise<void> {
  await refresh()
  if (persistence.value !== 'notGranted' || local.getItem(ASKED_KEY))
    return
  local.setItem(ASKED_KEY, new Date().toISOString())
  await requestPersistence()
}

/** Storage figures and actions, shared by every component that uses them. */
export function useStorageUsage(): UseStorageUsageReturn {
  return { estimate: readonly(estimate), persistence: readonly(persistence), refresh, requestPersistence }
}
