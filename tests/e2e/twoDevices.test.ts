/**
 * One account on two browsers (two persistent Chromium profiles), as a
 * person uses them: sign up on the laptop, sign in on the phone, a new
 * collection shows on both, the sync state says where things stand in
 * words, an edit made while the server is down arrives once it is back,
 * signing out with unsynced changes asks first, and signing out after sync
 * deletes the account's data from the device.
 */
import type { Device } from './support/browser'
import type { PigeonServer } from '../support/pigeonServer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeAll, openServerAndTwoDevices } from './support/browser'
import { createCollection, newUsername, signIn, signOutFromMenu, signUp, statusReads, treeItem, visible } from './support/people'

let server: PigeonServer
let laptop: Device
let phone: Device

const username = newUsername('two')

beforeAll(async () => {
  ({ server, laptop, phone } = await openServerAndTwoDevices())
})

afterAll(() => closeAll([laptop, phone], server))

describe('one account on two devices', () => {
  it('syncs a new collection both ways, says the state in words, and catches up after the server was down', async () => {
    const a = laptop.page
    const b = phone.page
    await Promise.all([a.goto(server.url), b.goto(server.url)])
    await statusReads(a, /Scratch Pad — not synced/)

    await signUp(a, username)
    await visible(a.getByRole('button', { name: /^Workspace: /, exact: false }))
    await statusReads(a, /In sync/)
    await signIn(b, username)
    await statusReads(b, /In sync/)

    await createCollection(a, 'Orders API')
    await visible(treeItem(b, 'Orders API'), 5_000)
    await statusReads(a, /In sync/)
    await statusReads(b, /In sync/)

    // The server goes away: both say so in words instead of "In sync".
    await server.stop()
    await statusReads(a, /Connecting|Offline|Error/)
    await statusReads(b, /Connecting|Offline|Error/)

    await createCollection(a, 'Written while the server was down')
    // The change waits on the laptop, counted.
    await expect.poll(() => a.getByRole('button', { name: /^Sync: / }).getAttribute('aria-label'), { timeout: 5_000 }).toMatch(/changes? not synced/)
    await a.getByRole('button', { name: /^Sync: / }).hover()
    await visible(a.getByRole('tooltip'))
    expect(await a.getByRole('tooltip').innerText()).toMatch(/server|Connecting/)

    server = await server.restart()
    await statusReads(a, /In sync/, 30_000)
    await visible(treeItem(b, 'Written while the server was down'), 30_000)
    await statusReads(b, /In sync/, 30_000)
  })

  it('says Offline while the browser is offline, and opens the account\'s workspace again after a reload', async () => {
    const b = phone.page
    // The browser says it is offline: the status says so at once, and comes back by itself.
    await phone.context.setOffline(true)
    await statusReads(b, /^Offline/)
    await phone.context.setOffline(false)
    await statusReads(b, /In sync/)

    await b.reload()
    await visible(treeItem(b, 'Orders API'))
    await visible(treeItem(b, 'Written while the server was down'))
    await statusReads(b, /In sync/)

  })

  it('asks before signing out on B with unsynced changes, and cancelling keeps everything', async () => {
    const b = phone.page
    await phone.context.setOffline(true)
    await statusReads(b, /^Offline/)
    await createCollection(b, 'Made on the phone offline')

    await signOutFromMenu(b, username)
    const dialog = b.getByRole('dialog', { name: 'Sign out with unsynced changes?' })
    await visible(dialog)
    expect(await dialog.innerText()).toMatch(/\d+ changes? made on this device (has|have) not reached the server yet/)
    await dialog.getByRole('button', { name: 'Wait for sync' }).click()
    await visible(dialog.getByRole('alert'))
    expect(await dialog.getByRole('alert').innerText()).toMatch(/server cannot be reached/)
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await dialog.waitFor({ state: 'detached' })
    await visible(b.getByRole('button', { name: `Account: ${username}` }))

    await phone.context.setOffline(false)
    await statusReads(b, /In sync/, 30_000)
    await visible(treeItem(laptop.page, 'Made on the phone offline'), 15_000)
  })

  it('signs out after sync, back to the Scratch Pad, and deletes B\'s local database of the account', async () => {
    const b = phone.page
    const accountDatabases = async () => (await b.evaluate(() => indexedDB.databases())).map(d => d.name).filter(name => name?.startsWith('pigeon-user-'))
    expect(await accountDatabases()).toHaveLength(1)

    await signOutFromMenu(b, username)
    await statusReads(b, /Scratch Pad — not synced/)
    await visible(b.getByRole('button', { name: 'Workspace: Scratch Pad' }))
    await treeItem(b, 'Orders API').waitFor({ state: 'detached' })
    await expect.poll(accountDatabases, { timeout: 10_000 }).toHaveLength(0)
  })
})

