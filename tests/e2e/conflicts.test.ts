/**
 * The conflict story of issue 5, in two Chromium profiles of one account:
 * the server goes down; the laptop and the phone both edit the same request
 * (the URL on both, the method on the laptop, a header on the phone) and
 * reload; the server comes back and the laptop syncs first. Both end In sync
 * with the same request, the phone says "1 conflict", and keeping its URL
 * there reaches the laptop. Then the laptop changes a request offline while
 * the phone deletes it: the laptop lists "Deleted on another device", and
 * keeping its version brings the request back on the phone.
 */
import type { Page } from 'playwright-core'
import type { Device } from './support/browser'
import type { PigeonServer } from '../support/pigeonServer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeAll, openServerAndTwoDevices } from './support/browser'
import { createCollection, newUsername, signIn, signUp, statusReads, treeItem, visible } from './support/people'

let server: PigeonServer
let laptop: Device
let phone: Device

const username = newUsername('conflict')
const requestUrl = (page: Page) => page.getByRole('textbox', { name: 'Request URL' })
const conflictsButton = (page: Page) => page.getByRole('button', { name: /^\d+ conflicts?$/ })

/** Adds a request to a collection through the tree's menu and names it. */
async function addRequest(page: Page, collection: string, name: string): Promise<void> {
  await page.getByRole('button', { name: `More actions for ${collection}` }).click()
  await page.getByRole('menuitem', { name: 'Add request' }).click()
  const rename = page.getByRole('textbox', { name: 'New name for New Request' })
  await rename.fill(name)
  await rename.press('Enter')
  await visible(treeItem(page, `GET ${name}`))
}

/** Waits until the sync button says changes wait on this device ("Sync: Connecting, 1 change not synced"). */
async function changesWait(page: Page): Promise<void> {
  await expect.poll(() => page.getByRole('button', { name: /^Sync: / }).getAttribute('aria-label'), { timeout: 10_000 }).toMatch(/changes? not synced/)
}

/** Unfolds a collection in the tree, if it is folded. */
async function expand(page: Page, name: string): Promise<void> {
  const item = treeItem(page, name)
  await visible(item)
  if (await item.getAttribute('aria-expanded') === 'false')
    await item.click()
  await expect.poll(() => item.getAttribute('aria-expanded')).toBe('true')
}

/** Saves the open request (Ctrl+S) and waits until no tab has unsaved changes. */
async function save(page: Page): Promise<void> {
  await page.keyboard.press('Control+s')
  await expect.poll(() => page.getByRole('img', { name: 'Unsaved changes' }).count()).toBe(0)
}

beforeAll(async () => {
  ({ server, laptop, phone } = await openServerAndTwoDevices())
})

afterAll(() => closeAll([laptop, phone], server))

describe('conflicting edits on two devices', () => {
  it('merges different fields, shows the same-field conflict on one device, and converges once it is resolved', async () => {
    const a = laptop.page
    const b = phone.page
    await Promise.all([a.goto(server.url), b.goto(server.url)])
    await signUp(a, username)
    await statusReads(a, /In sync/)
    await signIn(b, username)
    await statusReads(b, /In sync/)

    await createCollection(a, 'Shop')
    await addRequest(a, 'Shop', 'Orders')
    await treeItem(a, 'GET Orders').click()
    await requestUrl(a).fill('https://shop.test/orders')
    await save(a)
    await expand(b, 'Shop')
    await visible(treeItem(b, 'GET Orders'), 10_000)
    await statusReads(a, /In sync/)
    await statusReads(b, /In sync/)
    await treeItem(b, 'GET Orders').click()
    await expect.poll(() => requestUrl(b).inputValue()).toBe('https://shop.test/orders')

    // The server goes down; both edit the same request.
    await server.stop()
    await statusReads(a, /Connecting|Offline|Error/)
    await statusReads(b, /Connecting|Offline|Error/)

    await requestUrl(a).fill('https://shop.test/v2/orders')
    await a.getByRole('combobox', { name: 'Method' }).selectOption('POST')
    await save(a)
    await changesWait(a)

    await requestUrl(b).fill('https://shop.test/orders?all=1')
    await b.getByRole('tab', { name: /^Headers/ }).click()
    await b.getByRole('combobox', { name: 'New header key' }).fill('X-Device')
    await b.getByRole('textbox', { name: 'Header 1 value' }).fill('phone')
    await save(b)
    await changesWait(b)

    // Both reload. The phone stays closed until the laptop has synced, so the laptop's change is saved first.
    await a.reload()
    await changesWait(a)
    await b.goto('about:blank')

    server = await server.restart()
    await statusReads(a, /In sync/, 30_000)
    await b.goto(server.url)
    await statusReads(b, /In sync/, 30_000)
    await statusReads(a, /In sync/, 30_000)

    // The same data on both: the laptop's method, the phone's header, one URL. (A reload shows each
    // open tab's latest saved version: the merged one.)
    await expect.poll(() => treeItem(a, 'POST Orders').count(), { timeout: 10_000 }).toBe(1)
    await expect.poll(() => treeItem(b, 'POST Orders').count(), { timeout: 10_000 }).toBe(1)
    for (const [device, page] of [['phone', b], ['laptop', a]] as const) {
      await page.reload()
      await statusReads(page, /In sync/, 30_000)
      await expand(page, 'Shop')
      await treeItem(page, 'POST Orders').click()
      await expect.poll(() => page.getByRole('combobox', { name: 'Method' }).inputValue(), { message: `the ${device} shows the laptop's method` }).toBe('POST')
      await page.getByRole('tab', { name: /^Headers/ }).click()
      await expect.poll(() => page.getByRole('textbox', { name: 'Header 1 value' }).inputValue({ timeout: 1_000 }).catch(() => 'no header row'), { timeout: 10_000, message: `the ${device} shows the phone's header` }).toBe('phone')
    }
    const mergedUrl = await requestUrl(a).inputValue()
    await expect.poll(() => requestUrl(b).inputValue()).toBe(mergedUrl)
    expect(['https://shop.test/v2/orders', 'https://shop.test/orders?all=1']).toContain(mergedUrl)

    // The phone, whose URL change was not saved on the server when the laptop's arrived, shows the conflict.
    await visible(conflictsButton(b), 10_000)
    expect(await conflictsButton(b).innerText()).toMatch(/^1 conflict$/)
    expect(await conflictsButton(a).count()).toBe(0)

    await conflictsButton(b).click()
    const dialog = b.getByRole('dialog', { name: 'Resolve conflicts' })
    const row = dialog.getByRole('listitem', { name: 'Orders: URL' })
    await visible(row)
    expect(await row.innerText()).toContain('request')
    expect(await row.locator('[data-side="mine"]').innerText()).toBe('https://shop.test/orders?all=1')
    expect(await row.locator('[data-side="theirs"]').innerText()).toBe('https://shop.test/v2/orders')
    expect(await row.innerText()).toMatch(mergedUrl === 'https://shop.test/orders?all=1' ? /In place now: this device/ : /In place now: the other device/)

    await row.getByRole('button', { name: 'Keep mine' }).click()
    await dialog.waitFor({ state: 'detached', timeout: 10_000 })
    expect(await conflictsButton(b).count()).toBe(0)

    // Keeping mine is a normal edit: it syncs, and both hold the phone's URL.
    await statusReads(b, /In sync/)
    await expect.poll(() => requestUrl(a).inputValue(), { timeout: 10_000 }).toBe('https://shop.test/orders?all=1')
    await expect.poll(() => requestUrl(b).inputValue()).toBe('https://shop.test/orders?all=1')
    await statusReads(a, /In sync/)
  })

  it('lists a request changed offline here and deleted on the other device, and keeping mine brings it back there', async () => {
    const a = laptop.page
    const b = phone.page
    await addRequest(a, 'Shop', 'Refunds')
    await treeItem(a, 'GET Refunds').click()
    await requestUrl(a).fill('https://shop.test/refunds')
    await save(a)
    await statusReads(a, /In sync/)
    await visible(treeItem(b, 'GET Refunds'), 10_000)
    await statusReads(b, /In sync/)

    // The server goes down; the laptop changes the request and closes before the server is back.
    await server.stop()
    await statusReads(a, /Connecting|Offline|Error/)
    await statusReads(b, /Connecting|Offline|Error/)
    await requestUrl(a).fill('https://shop.test/v2/refunds')
    await save(a)
    await changesWait(a)
    await a.goto('about:blank')

    // The phone deletes it, and that is saved first.
    server = await server.restart()
    await statusReads(b, /In sync/, 30_000)
    await b.getByRole('button', { name: 'More actions for Refunds', exact: true }).click()
    await b.getByRole('menuitem', { name: 'Delete', exact: true }).click()
    await expect.poll(() => treeItem(b, 'GET Refunds').count(), { timeout: 10_000 }).toBe(0)
    await statusReads(b, /In sync/)

    await a.goto(server.url)
    await statusReads(a, /In sync/, 30_000)
    await visible(conflictsButton(a), 10_000)
    expect(await conflictsButton(a).innerText()).toMatch(/^1 conflict$/)
    await conflictsButton(a).click()
    const dialog = a.getByRole('dialog', { name: 'Resolve conflicts' })
    const row = dialog.getByRole('listitem', { name: 'Refunds: Deleted on another device' })
    await visible(row)
    expect(await row.locator('[data-side="mine"]').innerText()).toContain('Changed here: "Refunds"')
    expect(await row.locator('[data-side="theirs"]').innerText()).toBe('Deleted.')
    expect(await row.innerText()).toMatch(/In place now: deleted/)

    await row.getByRole('button', { name: 'Keep mine' }).click()
    await dialog.waitFor({ state: 'detached', timeout: 10_000 })
    await visible(treeItem(a, 'GET Refunds'), 10_000)

    // Restoring is a normal edit: the phone gets the request back, with the laptop's URL.
    await visible(treeItem(b, 'GET Refunds'), 10_000)
    await treeItem(b, 'GET Refunds').click()
    await expect.poll(() => requestUrl(b).inputValue(), { timeout: 10_000 }).toBe('https://shop.test/v2/refunds')
    await statusReads(a, /In sync/)
  })
})
