/**
 * Presence, as a person sees it: one account on a laptop and a phone. When
 * the phone opens a request, the laptop shows a small avatar next to the
 * workspace and on its own tab of that request, saying who and what; when
 * the phone closes, the avatars go away.
 */
import type { Device } from './support/browser'
import type { PigeonServer } from '../support/pigeonServer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeAll, openServerAndTwoDevices } from './support/browser'
import { createCollection, newUsername, signIn, signUp, statusReads, treeItem, visible } from './support/people'

let server: PigeonServer
let laptop: Device
let phone: Device

const username = newUsername('pres')

beforeAll(async () => {
  ({ server, laptop, phone } = await openServerAndTwoDevices())
})

afterAll(() => closeAll([laptop, phone], server))

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
