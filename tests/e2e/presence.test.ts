/**
 * Presence, as a person sees it: one account on a laptop and a phone. When
 * the phone opens a request, the laptop shows a small avatar next to the
 * workspace and on its own tab of that request, saying who and what; when
 * the phone closes, the avatars go away. With two tabs open on the laptop,
 * the phone still sees one laptop, with what either tab has open, and the
 * tab that does not hold the browser's connection sees the phone too.
 */
import type { Locator, Page } from 'playwright-core'
import type { Device } from './support/browser'
import type { PigeonServer } from '../support/pigeonServer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeAll, openDevice, openServerAndTwoDevices } from './support/browser'
import { createCollection, newUsername, signIn, signUp, statusReads, treeItem, visible } from './support/people'

let server: PigeonServer
let laptop: Device
let phone: Device
/** Devices a test opened for itself. */
const opened: Device[] = []

const username = newUsername('pres')

beforeAll(async () => {
  ({ server, laptop, phone } = await openServerAndTwoDevices())
})

afterAll(() => closeAll([laptop, phone, ...opened], server))

/** Adds a request to a collection through its menu. */
async function addRequest(page: Page, collection: string, name: string): Promise<void> {
  await page.getByRole('button', { name: `More actions for ${collection}`, exact: true }).click()
  await page.getByRole('menuitem', { name: 'Add request', exact: true }).click()
  const box = page.getByRole('textbox', { name: /^New name for/ })
  await box.fill(name)
  await box.press('Enter')
  await box.waitFor({ state: 'detached' })
}

/** Opens a request from the sidebar, unfolding its collection first when it arrived folded. */
async function openRequest(page: Page, collection: string, request: string): Promise<void> {
  await visible(treeItem(page, collection))
  if (!(await treeItem(page, `GET ${request}`).isVisible())) {
    await treeItem(page, collection).click()
    if (!(await treeItem(page, `GET ${request}`).isVisible()))
      await page.keyboard.press('ArrowRight')
  }
  await treeItem(page, `GET ${request}`).click()
  await visible(page.getByRole('tab', { name: new RegExp(request) }))
}

/** The avatars on the page's tab of `request`. */
const avatarsOnTab = (page: Page, request: string): Locator =>
  page.getByRole('tab', { name: new RegExp(request) }).locator('xpath=following-sibling::*[@role="group"][1]')

describe('presence avatars', () => {
  it('shows on the laptop who has a request open on the phone, on the workspace and on the tab, until the phone closes', async () => {
    const a = laptop.page
    const b = phone.page
    await Promise.all([a.goto(server.url), b.goto(server.url)])
    await signUp(a, username)
    await statusReads(a, /In sync/)
    await createCollection(a, 'Orders API')
    await a.getByRole('button', { name: 'More actions for Orders API', exact: true }).click()
    await a.getByRole('menuitem', { name: 'Add request', exact: true }).click()
    const box = a.getByRole('textbox', { name: /^New name for/ })
    await box.fill('Get order')
    await box.press('Enter')
    await box.waitFor({ state: 'detached' })
    await treeItem(a, 'GET Get order').click()
    await visible(a.getByRole('tab', { name: /Get order/ }))

    await signIn(b, username)
    await statusReads(b, /In sync/)
    const onWorkspace = a.getByRole('group', { name: /^Also in this workspace/ })
    // The phone is in the workspace but has nothing open yet.
    await visible(onWorkspace)
    expect(await onWorkspace.getAttribute('aria-label')).toMatch(/you on .+ — in this workspace/)

    // The collection arrives folded on the phone: unfold it, then open the request.
    await treeItem(b, 'Orders API').click()
    if (!(await treeItem(b, 'GET Get order').isVisible()))
      await b.keyboard.press('ArrowRight')
    await treeItem(b, 'GET Get order').click()
    await expect.poll(() => onWorkspace.getAttribute('aria-label'), { timeout: 5_000 }).toMatch(/you on .+ — viewing Get order/)
    const avatar = onWorkspace.getByRole('img')
    expect(await avatar.count()).toBe(1)
    expect(await avatar.getAttribute('title')).toMatch(/^you on .+ — viewing Get order$/)
    expect(await avatar.innerText()).toBe(username[0].toUpperCase())

    const onTab = a.getByRole('group', { name: /^Also viewing this request: you on / })
    await visible(onTab)

    // The phone closes: its avatars leave the laptop.
    await phone.close()
    await onWorkspace.waitFor({ state: 'detached', timeout: 5_000 })
    await onTab.waitFor({ state: 'detached', timeout: 5_000 })
  })
})

describe('presence from two tabs of one browser', () => {
  it('shows the phone one avatar for the laptop with what both its tabs have open, shows the phone in the laptop\'s second tab, and drops a closed tab\'s request', async () => {
    const someone = newUsername('tabs')
    const twoTabs = await openDevice()
    const other = await openDevice()
    opened.push(twoTabs, other)
    const first = twoTabs.page
    await first.goto(server.url)
    await signUp(first, someone)
    await statusReads(first, /In sync/)
    await createCollection(first, 'Orders API')
    await addRequest(first, 'Orders API', 'Get order')
    await addRequest(first, 'Orders API', 'List orders')
    await openRequest(first, 'Orders API', 'Get order')

    // A second tab of the same browser: it follows the first, which holds the connection.
    const second = await twoTabs.context.newPage()
    await second.goto(server.url)
    await statusReads(second, /In sync/)
    await openRequest(second, 'Orders API', 'List orders')

    const b = other.page
    await b.goto(server.url)
    await signIn(b, someone)
    await statusReads(b, /In sync/)
    await openRequest(b, 'Orders API', 'Get order')
    await openRequest(b, 'Orders API', 'List orders')

    // One avatar for the laptop, viewing what either of its tabs has open.
    const onWorkspace = b.getByRole('group', { name: /^Also in this workspace/ })
    await expect.poll(() => onWorkspace.getAttribute('aria-label'), { timeout: 10_000 }).toMatch(/you on .+ — viewing (List orders and Get order|Get order and List orders)$/)
    expect(await onWorkspace.getByRole('img').count()).toBe(1)
    // The second tab's request shows the avatar on the phone's tab of it, and so does the first tab's.
    await visible(avatarsOnTab(b, 'List orders').getByRole('img'))
    await visible(avatarsOnTab(b, 'Get order').getByRole('img'))
    expect(await avatarsOnTab(b, 'List orders').getByRole('img').count()).toBe(1)

    // The laptop's second tab, which has no connection of its own, sees the phone.
    const inSecondTab = second.getByRole('group', { name: /^Also in this workspace/ })
    await expect.poll(() => inSecondTab.getAttribute('aria-label'), { timeout: 10_000 }).toMatch(/you on .+ — viewing /)
    expect(await inSecondTab.getByRole('img').count()).toBe(1)
    await visible(avatarsOnTab(second, 'List orders').getByRole('img'))

    // The second tab closes: what only it had open leaves the phone; the laptop stays, with Get order.
    await second.close()
    await avatarsOnTab(b, 'List orders').getByRole('img').waitFor({ state: 'detached', timeout: 10_000 })
    await expect.poll(() => onWorkspace.getAttribute('aria-label'), { timeout: 10_000 }).toMatch(/you on .+ — viewing Get order$/)
    expect(await onWorkspace.getByRole('img').count()).toBe(1)
    await visible(avatarsOnTab(b, 'Get order').getByRole('img'))
  })
})
