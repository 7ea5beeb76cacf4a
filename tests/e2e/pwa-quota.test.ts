/**
 * A full device: when storage refuses a save, the user is told in words,
 * what was saved before is intact, and "Try again" stores the change once
 * there is room.
 *
 * Filling a real disk is out of reach in a test, and headless Chromium does
 * not apply CDP quota overrides to IndexedDB; so the page's IndexedDB is made
 * to refuse writes with the error a full disk gives (QuotaExceededError).
 * Everything above it — Dexie, the update log, the document handle, the
 * notice — is the app's real code.
 */
import { describe, expect, it } from 'vitest'
import { addSavedRequest, createCollection, expectRequestUrl, fillStorage, freeSpace, useServedApp, waitUntilStored } from './pwaSupport'

const STORAGE_FULL = /storage is full/i

describe('saving when the device storage is full', () => {
  const app = useServedApp('each')

  it('says the storage is full, and stores the change after "Try again" once there is room', async () => {
    const { page } = app.device
    await createCollection(page, 'Saved before the disk filled')
    await addSavedRequest(page, 'Saved before the disk filled', 'Health', 'http://localhost:9/health')
    await page.reload()
    await expectRequestUrl(page, 'Saved before the disk filled', 'Health', 'http://localhost:9/health')

    await fillStorage(page)
    const urlInput = page.getByRole('textbox', { name: 'Request URL' })
    await urlInput.fill('http://localhost:9/health?verbose=1')
    await urlInput.press('Control+s')
    // The saved request's change waits in memory, with a way to store it later.
    const notice = page.getByRole('alert').filter({ hasText: STORAGE_FULL }).filter({ has: page.getByRole('button', { name: 'Try again' }) })
    await notice.waitFor()

    await freeSpace(page)
    await notice.getByRole('button', { name: 'Try again' }).click()
    await notice.waitFor({ state: 'detached' })
    await waitUntilStored(page, 'Health', 'http://localhost:9/health?verbose=1')

    await page.reload()
    await expectRequestUrl(page, 'Saved before the disk filled', 'Health', 'http://localhost:9/health?verbose=1')
  })

  it('keeps everything saved before the storage filled up', async () => {
    const { page } = app.device
    await createCollection(page, 'Kept safe')
    await addSavedRequest(page, 'Kept safe', 'Orders', 'http://localhost:9/orders')
    // Stored for good (it is there after a reload) before the storage fills up.
    await page.reload()
    await expectRequestUrl(page, 'Kept safe', 'Orders', 'http://localhost:9/orders')

    await fillStorage(page)
    const urlInput = page.getByRole('textbox', { name: 'Request URL' })
    await urlInput.fill('http://localhost:9/orders?never-stored=1')
    await urlInput.press('Control+s')
    await page.getByText(STORAGE_FULL).first().waitFor()

    // The refused change was never stored; the browser restarts on what was.
    app.device = await app.device.restart()
    await app.device.page.goto(app.server.url)
    await expectRequestUrl(app.device.page, 'Kept safe', 'Orders', 'http://localhost:9/orders')
  })
})
