/**
 * One account in two tabs of one browser (one Chromium profile), as a person
 * uses them: edits in either tab show in both and on another device, both
 * top bars say In sync, the browser's update log holds each change once, and
 * the other tab carries on syncing when the first one closes. Presence too:
 * the other device sees the browser as one avatar, both tabs see it, and the
 * tab left open takes over announcing what it has open.
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

const username = newUsername('tabs')

beforeAll(async () => {
  ({ server, laptop, phone } = await openServerAndTwoDevices())
})

afterAll(() => closeAll([laptop, phone], server))

/** Rows of the account database's `updates` table whose bytes appear more than once, and how many rows there are. */
function updateLogOf(page: Page): Promise<{ rows: number, duplicates: number }> {
  return page.evaluate(async () => {
    const databases = await indexedDB.databases()
    const name = databases.map(database => database.name ?? '').find(each => each.startsWith('pigeon-user-'))
    if (!name)
      throw new Error('No account database in this browser.')
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name)
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error)
    })
    const rows = await new Promise<Array<{ docName: string, update: Uint8Array }>>((resolve, reject) => {
      const request = db.transaction('updates').objectStore('updates').getAll()
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error)
    })
    db.close()
    const contents = rows.map(row => `${row.docName}:${Array.from(row.update).join(',')}`)
    return { rows: rows.length, duplicates: contents.length - new Set(contents).size }
  })
}

describe('one account in two tabs of one browser', () => {
  it('shows edits from either tab in both and on another device, says In sync in both, stores each change once, and syncs on after a tab closes', async () => {
    const first = laptop.page
    await first.goto(server.url)
    await signUp(first, username)
    await statusReads(first, /In sync/)
    const second = await laptop.context.newPage()
    await second.goto(server.url)
    await statusReads(second, /In sync/)

    await createCollection(first, 'Made in the first tab')
    await visible(treeItem(second, 'Made in the first tab'), 5_000)
    await createCollection(second, 'Made in the second tab')
    await visible(treeItem(first, 'Made in the second tab'), 5_000)
    await statusReads(first, /In sync/)
    await statusReads(second, /In sync/)

    await phone.page.goto(server.url)
    await signIn(phone.page, username)
    await visible(treeItem(phone.page, 'Made in the first tab'))
    await visible(treeItem(phone.page, 'Made in the second tab'))

    // The phone sees the laptop once, however many tabs it has; both laptop tabs see the phone.
    const phoneSees = phone.page.getByRole('group', { name: /^Also in this workspace/ })
    await visible(phoneSees)
    expect(await phoneSees.getByRole('img').count()).toBe(1)
    for (const tab of [first, second]) {
      const sees = tab.getByRole('group', { name: /^Also in this workspace/ })
      await visible(sees)
      expect(await sees.getByRole('img').count()).toBe(1)
    }

    // One tab holds the browser's connection for each document.
    const leaderLocks = await second.evaluate(async () => (await navigator.locks.query()).held?.filter(lock => lock.name?.endsWith(':leader')).length ?? 0)
    expect(leaderLocks).toBeGreaterThan(0)

    const log = await updateLogOf(first)
    expect(log.rows).toBeGreaterThan(0)
    expect(log.duplicates).toBe(0)

    // The first tab (which took the connection) closes: the second carries on alone.
    await first.close()
    await createCollection(second, 'Made after the first tab closed')
    await visible(treeItem(phone.page, 'Made after the first tab closed'), 15_000)
    await statusReads(second, /In sync/)

    // The tab that took over announces what it has open, and still sees the phone.
    await second.getByRole('button', { name: 'More actions for Made after the first tab closed', exact: true }).click()
    await second.getByRole('menuitem', { name: 'Add request', exact: true }).click()
    const box = second.getByRole('textbox', { name: /^New name for/ })
    await box.fill('Opened after the takeover')
    await box.press('Enter')
    await box.waitFor({ state: 'detached' })
    await treeItem(second, 'GET Opened after the takeover').click()
    await expect.poll(() => phoneSees.getAttribute('aria-label'), { timeout: 15_000 }).toMatch(/— viewing Opened after the takeover$/)
    expect(await phoneSees.getByRole('img').count()).toBe(1)
    const secondSees = second.getByRole('group', { name: /^Also in this workspace/ })
    await visible(secondSees)
    expect(await secondSees.getByRole('img').count()).toBe(1)
    expect((await updateLogOf(second)).duplicates).toBe(0)
  })
})
