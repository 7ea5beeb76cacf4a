/**
 * What a person does in Pigeon's UI, shared by the browser tests: sign up,
 * sign in, sign out from the account menu, create a collection, and read the
 * sync state in words.
 */
import type { Locator, Page } from 'playwright-core'
import { expect } from 'vitest'

export const PASSWORD = 'correct horse battery staple'

/** A fresh username for one test file (letters and digits, unique per run). */
export function newUsername(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`
}

export const visible = (locator: Locator, timeout = 10_000): Promise<void> => locator.waitFor({ state: 'visible', timeout })
export const syncStatus = (page: Page): Locator => page.getByRole('status', { name: 'Sync status' })
export const treeItem = (page: Page, name: string): Locator => page.getByRole('treeitem', { name, exact: true })

/** Waits until the sync status reads `text` (the state in words). */
export async function statusReads(page: Page, text: RegExp, timeout = 15_000): Promise<void> {
  await expect.poll(() => syncStatus(page).innerText(), { timeout, interval: 100 }).toMatch(text)
}

/** The top bar's Sign in button (a notification may offer one too, e.g. after a session ended). */
export const topBarSignIn = (page: Page): Locator => page.getByRole('banner').getByRole('button', { name: 'Sign in', exact: true })

export async function signUp(page: Page, username: string, password = PASSWORD): Promise<void> {
  await topBarSignIn(page).click()
  await page.getByRole('dialog', { name: 'Sign in to Pigeon' }).getByRole('button', { name: 'Create an account' }).click()
  const dialog = page.getByRole('dialog', { name: 'Create a Pigeon account' })
  await dialog.getByRole('textbox', { name: 'Email' }).fill(`${username}@example.com`)
  await dialog.getByRole('textbox', { name: 'Username' }).fill(username)
  await dialog.getByLabel('Password', { exact: true }).fill(password)
  await dialog.getByRole('button', { name: 'Create account' }).click()
  await dialog.waitFor({ state: 'detached', timeout: 10_000 })
}

/** Fills in the sign-in dialog and submits it; returns the dialog (it closes unless the server refused). */
export async function submitSignIn(page: Page, username: string, password = PASSWORD): Promise<Locator> {
  await topBarSignIn(page).click()
  const dialog = page.getByRole('dialog', { name: 'Sign in to Pigeon' })
  await dialog.getByRole('textbox', { name: 'Email or username' }).fill(username)
  await dialog.getByLabel('Password', { exact: true }).fill(password)
  await dialog.getByRole('button', { name: 'Sign in', exact: true }).click()
  return dialog
}

export async function signIn(page: Page, username: string, password = PASSWORD): Promise<void> {
  const dialog = await submitSignIn(page, username, password)
  await dialog.waitFor({ state: 'detached', timeout: 10_000 })
}

export async function signOutFromMenu(page: Page, username: string): Promise<void> {
  await page.getByRole('button', { name: `Account: ${username}` }).click()
  await page.getByRole('menuitem', { name: 'Sign out' }).click()
}

export async function createCollection(page: Page, name: string): Promise<void> {
  // The empty sidebar offers "Create collection"; once there is one, the header's "New collection".
  await page.getByRole('button', { name: /^(Create|New) collection$/ }).first().click()
  const box = page.getByRole('textbox', { name: /^New name for/ })
  await box.fill(name)
  await box.press('Enter')
  await box.waitFor({ state: 'detached' })
  await visible(treeItem(page, name))
}
