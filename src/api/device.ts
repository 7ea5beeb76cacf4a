/**
 * This browser profile's device identity: an id made once and kept locally
 * (never synced: it is what tells this install apart from the others), and a
 * name the user can change, by default "Chrome on Linux".
 */
import { newId } from '../domain/ids'
import { cleanDeviceName } from '../domain/deviceName'
import { browserOnSystem } from '../domain/userAgent'

export { cleanDeviceName }

/** The part of Web Storage used here, so tests can pass an in-memory one. */
export interface KeyValueStorage {
  getItem: (key: string) => string | null
  setItem: (key: string, value: string) => void
  removeItem: (key: string) => void
}

const DEVICE_ID_KEY = 'pigeon.device.id'
const DEVICE_NAME_KEY = 'pigeon.device.name'
const DEVICE_ID_PATTERN = /^[\w-]{1,100}$/

/**
 * A friendly default device name from a User-Agent, like "Chrome on Linux":
 * no version, since the name is kept while the browser updates itself.
 */
export function defaultDeviceName(userAgent: string): string {
  return browserOnSystem(userAgent, { withVersion: false, unknownBrowser: 'Browser' })
}

export interface DeviceIdentity {
  /** Made on first use and kept for the life of the browser profile. */
  readonly deviceId: string
  /** What the user called this device, or the default from the User-Agent. */
  deviceName: () => string
  /** Keeps a new name locally; an empty name goes back to the default. */
  setDeviceName: (name: string) => void
}

/** The device identity kept in `storage` (localStorage in the app). */
export function deviceIdentity(storage: KeyValueStorage, userAgent: string): DeviceIdentity {
  let deviceId = storage.getItem(DEVICE_ID_KEY)
  if (!deviceId || !DEVICE_ID_PATTERN.test(deviceId)) {
    deviceId = newId()
    storage.setItem(DEVICE_ID_KEY, deviceId)
  }
  return {
    deviceId,
    deviceName: () => storage.getItem(DEVICE_NAME_KEY) || defaultDeviceName(userAgent),
    setDeviceName: (name) => {
      const cleaned = cleanDeviceName(name)
      if (cleaned)
        storage.setItem(DEVICE_NAME_KEY, cleaned)
      else
        storage.removeItem(DEVICE_NAME_KEY)
    },
  }
}

/** A storage that lives only in memory: for tests, and for browsers that refuse localStorage. */
export function memoryStorage(): KeyValueStorage {
  const values = new Map<string, string>()
  return {
    getItem: key => values.get(key) ?? null,
    setItem: (key, value) => { values.set(key, value) },
    removeItem: (key) => { values.delete(key) },
  }
}

/** The browser's localStorage, or memory when it is unavailable (private modes, tests). */
export function browserStorage(): KeyValueStorage {
  try {
    const storage = globalThis.localStorage
    if (storage) {
      const probe = 'pigeon.probe'
      storage.setItem(probe, '1')
      storage.removeItem(probe)
      return storage
    }
  }
  catch {
    // Storage disabled by the browser: fall through to memory.
  }
  return memoryStorage()
}
