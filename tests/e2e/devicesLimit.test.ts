/**
 * One account on four browsers (four persistent Chromium profiles): three
 * sign in, the fourth is refused with the other three listed, and choosing
 * "Sign out that device and continue" signs it in while the device it chose
 * is told in words that its session has ended.
 */
import type { Page } from 'playwright-core'
import type { Device } from './support/browser'
import type { PigeonServer } from '../support/pigeonServer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPigeonServer } from '../support/pigeonServer'
import { openDevice } from './support/browser'
import { newUsername, PASSWORD, signUp, statusReads, visible } from './support/people'

let server: PigeonServer
const devices: Device[] = []
const username = newUsername('four')

/** Signs in through the sign-in dialog, naming this device so the refusal can tell the devices apart. */
async function signInAs(page: Page, deviceName: string): Promise<void> {
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: 'Sign in to Pigeon' })
  await dialog.getByRole('textbox', { name: 'Email or username' }).fill(username)
  await dialog.getByLabel('Password', { exact: true }).fill(PASSWORD)
  await dialog.getByRole('textbox', { name: 'This device\'s name' }).fill(deviceName)
  await dialog.getByRole('button', { name: 'Sign in', exact: true }).click()
}

beforeAll(async () => {
  server = await startPigeonServer()
  for (let i = 0; i < 4; i++)
    devices.push(await openDevice({ viewport: { width: 1100, height: 760 } }))
})

afterAll(async () => {
  for (const device of devices)
    await device.close().catch(() => undefined)
  await server?.stop()
})

describe('the device limit', () => {
  it('refuses a fourth device until one of the other three is signed out, and that one is told its session ended', async () => {
    const [laptop, phone, tablet, desktop] = devices.map(device => device.page)
    await Promise.all(devices.map(device => device.page.goto(server.url)))

    await signUp(laptop, username)
    await statusReads(laptop, /In sync/)
    await signInAs(phone, 'Phone')
    await statusReads(phone, /In sync/)
    await signInAs(tablet, 'Tablet')
    await statusReads(tablet, /In sync/)

    await signInAs(desktop, 'Desktop')
    const refusal = desktop.getByRole('dialog', { name: 'Too many devices' })
    await visible(refusal)
    await expect(refusal.textContent()).resolves.toMatch(/signed in on 3 devices/)
    expect(await refusal.getByRole('radio').count()).toBe(3)
    await visible(refusal.getByRole('radio', { name: /Phone/ }))
    await visible(refusal.getByRole('radio', { name: /Tablet/ }))
    // Still signed out: the Scratch Pad is what the refused device shows.
    await statusReads(desktop, /Scratch Pad — not synced/)

    await refusal.getByRole('radio', { name: /Tablet/ }).check()
    await refusal.getByRole('button', { name: 'Sign out that device and continue' }).click()
    await refusal.waitFor({ state: 'detached', timeout: 10_000 })
    await visible(desktop.getByRole('button', { name: `Account: ${username}` }))
    await statusReads(desktop, /In sync/)

    // The tablet learns it from its sync socket, without reloading: said in words, with a way back in.
    await visible(tablet.getByText(/Your session on this device has ended/), 15_000)
    await visible(tablet.getByRole('banner').getByRole('button', { name: 'Sign in', exact: true }))
    await statusReads(tablet, /Scratch Pad — not synced/)
    // The other two stay signed in and in sync.
    await statusReads(laptop, /In sync/)
    await statusReads(phone, /In sync/)
  })
})
