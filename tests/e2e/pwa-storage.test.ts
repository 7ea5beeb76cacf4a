/**
 * Settings › Storage on this device: how much Pigeon stores, how much it
 * may, whether the browser keeps it persistently, and the way to ask for it.
 */
import { describe, expect, it } from 'vitest'
import { useServedApp } from './pwaSupport'

describe('storage on this device', () => {
  const app = useServedApp()

  it('shows storage use, quota and persistence in Settings, and asks for persistence on request', async () => {
    const { page } = app.device
    await page.getByRole('button', { name: 'Settings' }).click()
    const settings = page.getByRole('dialog')
    await settings.getByText(/used of .* available to Pigeon on this device/).waitFor()
    expect(Number(await settings.getByRole('meter', { name: 'Storage used' }).getAttribute('value'))).toBeGreaterThan(0)

    const persisted = await page.evaluate(() => navigator.storage.persisted())
    if (persisted) {
      await settings.getByText('Persistent: the browser will not clear Pigeon\'s data to free space.').waitFor()
      return
    }
    await settings.getByText(/^Not persistent: the browser may clear Pigeon's data/).waitFor()
    await settings.getByRole('button', { name: 'Keep data persistently' }).click()
    const answer = settings.getByRole('status')
    await answer.waitFor()
    const grantedNow = await page.evaluate(() => navigator.storage.persisted())
    expect(await answer.innerText()).toMatch(grantedNow ? /^Granted/ : /did not grant persistent storage/)
  })

  it('asked for persistent storage once, by itself, at startup', async () => {
    const asked = await app.device.page.evaluate(() => localStorage.getItem('pigeon.persistentStorageAsked'))
    const persisted = await app.device.page.evaluate(() => navigator.storage.persisted())
    // Either the browser granted it (nothing to remember) or the automatic request was made and remembered.
    expect(persisted || asked !== null).toBe(true)
  })
})
