/** A device's name, the same rule on the device that names it and on the server that stores it. */
export const DEVICE_NAME_MAX = 100

/** A device name as stored: trimmed, control characters removed, at most 100 characters. */
export function cleanDeviceName(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replace(/[\u0000-\u001F\u007F]/g, ' ').trim().slice(0, DEVICE_NAME_MAX)
}
