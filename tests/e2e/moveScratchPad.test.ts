/**
 * "Move Scratch Pad items into a workspace…" in Chromium: a collection made
 * signed out is copied after sign-up into the personal workspace from the
 * workspace menu, and the Scratch Pad still has it after signing out.
 */
import type { Device } from './support/browser'
import type { PigeonServer } from '../support/pigeonServer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPigeonServer } from '../support/pigeonServer'
import { openDevice } from './support/browser'
import { createCollection, newUsername, signOutFromMenu, signUp, statusReads, treeItem, visible } from './support/people'

let server: PigeonServer
let device: Device
const username = newUsername('move')

beforeAll(async () => {
  server = await startPigeonServer()
  device = await openDevice()
})

afterAll(async () => {
  await device?.close()
  await server?.stop()
})

describe('moving Scratch Pad items into a workspace', () => {
  it('copies a collection made signed out into the personal workspace, and the Scratch Pad keeps it', async () => {
    const page = device.page
    await page.goto(server.url)
    await statusReads(page, /Scratch Pad — not synced/)
    await createCollection(page, 'Made signed out')
    await createCollection(page, 'Left behind')

    await signUp(page, username)
    await statusReads(page, /In sync/)
    await expect(treeItem(page, 'Made signed out').count()).resolves.toBe(0)

    await page.getByRole('button', { name: /^Workspace: / }).click()
    await page.getByRole('menuitem', { name: 'Move Scratch Pad items into a workspace…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Move Scratch Pad items into a workspace' })
    await visible(dialog.getByRole('checkbox', { name: 'Made signed out' }))
    await visible(dialog.getByRole('checkbox', { name: 'Left behind' }))
    await expect(dialog.getByRole('button', { name: 'Copy 0 items' }).isDisabled()).resolves.toBe(true)
    await dialog.getByRole('checkbox', { name: 'Made signed out' }).check()
    await dialog.getByRole('button', { name: 'Copy 1 item' }).click()
    await dialog.waitFor({ state: 'detached', timeout: 10_000 })

    await visible(page.getByText(/^Copied 1 collection into “.+”\. The Scratch Pad keeps its own\.$/))
    await visible(treeItem(page, 'Made signed out'))
    await expect(treeItem(page, 'Left behind').count()).resolves.toBe(0)
    await statusReads(page, /In sync/)

    // Copied, not moved: signed out again, the Scratch Pad has both.
    await signOutFromMenu(page, username)
    await statusReads(page, /Scratch Pad — not synced/)
    await visible(treeItem(page, 'Made signed out'))
    await visible(treeItem(page, 'Left behind'))
  })
})
