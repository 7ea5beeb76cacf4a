import { describe, expect, it } from 'vitest'
import { defaultDeviceName, deviceIdentity, memoryStorage } from '../../../src/api/device'

const userAgents = {
  chromeLinux: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  edgeWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  safariMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  firefoxAndroid: 'Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0',
  safariIphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
}

describe('the default device name', () => {
  it('names the browser and the system the way people say it', () => {
    expect(defaultDeviceName(userAgents.chromeLinux)).toBe('Chrome on Linux')
    expect(defaultDeviceName(userAgents.edgeWindows)).toBe('Edge on Windows')
    expect(defaultDeviceName(userAgents.safariMac)).toBe('Safari on macOS')
    expect(defaultDeviceName(userAgents.firefoxAndroid)).toBe('Firefox on Android')
    expect(defaultDeviceName(userAgents.safariIphone)).toBe('Safari on iOS')
    expect(defaultDeviceName('')).toBe('Browser')
  })
})

describe('the device identity', () => {
  it('makes a device id once and keeps it for the browser profile', () => {
    const storage = memoryStorage()
    const first = deviceIdentity(storage, userAgents.chromeLinux)
    expect(first.deviceId).toMatch(/^[\w-]{1,100}$/)
    expect(deviceIdentity(storage, userAgents.chromeLinux).deviceId).toBe(first.deviceId)
    expect(deviceIdentity(memoryStorage(), userAgents.chromeLinux).deviceId).not.toBe(first.deviceId)
  })

  it('replaces a stored id the server would refuse', () => {
    const storage = memoryStorage()
    storage.setItem('pigeon.device.id', 'has spaces/and slashes')
    expect(deviceIdentity(storage, '').deviceId).toMatch(/^[\w-]{1,100}$/)
  })

  it('keeps a name the user typed, cleaned, and goes back to the default when it is emptied', () => {
    const storage = memoryStorage()
    const identity = deviceIdentity(storage, userAgents.chromeLinux)
    expect(identity.deviceName()).toBe('Chrome on Linux')
    identity.setDeviceName('  Work\tlaptop  ')
    expect(identity.deviceName()).toBe('Work laptop')
    expect(deviceIdentity(storage, userAgents.chromeLinux).deviceName()).toBe('Work laptop')
    identity.setDeviceName('x'.repeat(150))
    expect(identity.deviceName()).toHaveLength(100)
    identity.setDeviceName('   ')
    expect(identity.deviceName()).toBe('Chrome on Linux')
  })
})
