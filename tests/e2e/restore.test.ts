/**
 * Signing in on a fresh browser restores everything from the server: the
 * progress bar shows documents and items of the total, the personal
 * workspace is usable at once, and afterwards the other workspace is on the
 * device too — it opens with the server stopped.
 */
import type { Page } from 'playwright-core'
import type { Device } from './support/browser'
import type { PigeonServer } from '../support/pigeonServer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeAll, openServerAndTwoDevices } from './support/browser'
import { createCollection, newUsername, signIn, signOutFromMenu, signUp, statusReads, treeItem, visible } from './support/people'

let server: PigeonServer
let laptop: Device
let phone: Device

const username = newUsername('restore')

interface SeenBar { text: string | null, now: string | null, max: string | null }

/** Remembers every state of the restore bar from now on, however briefly it is on screen. */
async function watchRestoreBar(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: Array<{ text: string | null, now: string | null, max: string | null }> = []
    ;(window as unknown as { seenRestoreBar: typeof seen }).seenRestoreBar = seen
    new MutationObserver(() => {
      const bar = document.querySelector('[role="progressbar"][aria-label="Restoring your workspaces"]')
      if (bar)
        seen.push({ text: bar.getAttribute('aria-valuetext'), now: bar.getAttribute('aria-valuenow'), max: bar.getAttribute('aria-valuemax') })
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true })
  })
}

function seenRestoreBar(page: Page): Promise<SeenBar[]> {
  return page.evaluate(() => (window as unknown as { seenRestoreBar: SeenBar[] }).seenRestoreBar)
}

async function newWorkspace(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: /^Workspace: / }).click()
  await page.getByRole('menuitem', { name: 'New workspace…' }).click()
  await page.getByRole('textbox', { name: 'Workspace name' }).fill(name)
  await page.getByRole('button', { name: 'Create workspace' }).click()
  await visible(page.getByRole('button', { name: `Workspace: ${name}` }))
}

beforeAll(async () => {
  ({ server, laptop, phone } = await openServerAndTwoDevices())
})

afterAll(() => closeAll([laptop, phone], server))

describe('first sign-in on a device', () => {
  it('sign in again restores everything with the progress bar', async () => {
    const a = laptop.page
    await a.goto(server.url)
    await signUp(a, username)
    await statusReads(a, /In sync/)
    await createCollection(a, 'Personal API')
    await newWorkspace(a, 'Team API')
    await createCollection(a, 'Shared API')
    await statusReads(a, /In sync/)

    const b = phone.page
    await b.goto(server.url)
    await statusReads(b, /Scratch Pad — not synced/)
    await watchRestoreBar(b)
    await signIn(b, username)

    // Usable as soon as the personal workspace is there.
    await visible(treeItem(b, 'Personal API'))
    // The bar was on screen with the progress in words, and goes once everything is here.
    await expect.poll(async () => (await seenRestoreBar(b)).length, { timeout: 10_000 }).toBeGreaterThan(0)
    await b.getByRole('progressbar', { name: 'Restoring your workspaces' }).waitFor({ state: 'detached', timeout: 20_000 })
    await statusReads(b, /In sync/)
    const seen = await seenRestoreBar(b)
    expect(seen[0].text).toMatch(/^Restoring your workspaces: [0-6] of 6 documents, [\d,]+( of [\d,]+)? items$/)
    expect(seen.every(bar => Number(bar.now) <= Number(bar.max))).toBe(true)
    expect(seen.some(bar => /of 6 documents, [\d,]+ of [\d,]+ items/.test(bar.text ?? ''))).toBe(true)

    // The team workspace came down too: it opens with the server gone.
    await server.stop()
    await statusReads(b, /Connecting|Offline|Error/)
    await b.getByRole('button', { name: /^Workspace: / }).click()
    await b.getByRole('menuitem', { name: 'Team API' }).click()
    await visible(b.getByRole('button', { name: 'Workspace: Team API' }))
    await visible(treeItem(b, 'Shared API'))
    server = await server.restart()
  })

  it('signs out on the same browser (deleting its copy), and signing in again restores everything with the bar', async () => {
    const b = phone.page
    await statusReads(b, /In sync/, 30_000)
    await signOutFromMenu(b, username)
    await statusReads(b, /Scratch Pad — not synced/)
    await expect.poll(async () => (await b.evaluate(() => indexedDB.databases())).filter(d => d.name?.startsWith('pigeon-user-')).length, { timeout: 10_000 }).toBe(0)

    await watchRestoreBar(b)
    await signIn(b, username)
    await expect.poll(async () => (await seenRestoreBar(b)).length, { timeout: 10_000 }).toBeGreaterThan(0)
    await b.getByRole('progressbar', { name: 'Restoring your workspaces' }).waitFor({ state: 'detached', timeout: 20_000 })
    await statusReads(b, /In sync/)
    await b.getByRole('button', { name: /^Workspace: / }).click()
    await b.getByRole('menuitem', { name: 'Team API' }).click()
    await visible(treeItem(b, 'Shared API'))
  })
})
