/**
 * Signing up, in and out as a person does, in Chromium against the built app
 * and the real server: the account menu in the top bar, the devices page,
 * the fourth-device refusal, password recovery by mail, deleting the account.
 */
import type { Locator, Page } from 'playwright-core'
import type { Device } from './support/browser'
import type { PigeonServer } from '../support/pigeonServer'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAccountsApi, createApiClient } from '../../src/api'
import { cookieJarFetch } from '../integration/accountClient/support'
import { startPigeonServer } from '../support/pigeonServer'
import { openDevice } from './support/browser'

let server: PigeonServer
let device: Device
let page: Page
let counter = 0
const runId = Math.random().toString(36).slice(2, 8)

beforeAll(async () => {
  server = await startPigeonServer()
  device = await openDevice()
  page = device.page
})

afterAll(async () => {
  await device?.close()
  await server?.stop()
})

function newAccount() {
  counter += 1
  const name = `e2e${runId}${counter}`
  return { email: `${name}@example.com`, username: name, password: 'correct horse battery' }
}

const visible = (locator: Locator): Promise<void> => locator.waitFor({ state: 'visible', timeout: 10_000 })
const topBar = (): Locator => page.getByRole('banner')
const signInButton = (): Locator => topBar().getByRole('button', { name: 'Sign in', exact: true })
const accountButton = (username: string): Locator => topBar().getByRole('button', { name: `Account: ${username}`, exact: true })

async function signUp(account: ReturnType<typeof newAccount>): Promise<void> {
  await signInButton().click()
  await page.getByRole('dialog', { name: 'Sign in to Pigeon' }).getByRole('button', { name: 'Create an account' }).click()
  const dialog = page.getByRole('dialog', { name: 'Create a Pigeon account' })
  await dialog.getByLabel('Email').fill(account.email)
  await dialog.getByLabel('Username').fill(account.username)
  await dialog.getByLabel('Password', { exact: true }).fill(account.password)
  await dialog.getByRole('button', { name: 'Create account' }).click()
  await visible(accountButton(account.username))
}

async function signIn(login: string, password: string): Promise<Locator> {
  await signInButton().click()
  const dialog = page.getByRole('dialog', { name: 'Sign in to Pigeon' })
  await dialog.getByLabel('Email or username').fill(login)
  await dialog.getByLabel('Password').fill(password)
  await dialog.getByLabel('Password').press('Enter')
  return dialog
}

async function chooseFromAccountMenu(username: string, item: string): Promise<void> {
  await accountButton(username).click()
  await page.getByRole('menuitem', { name: item }).click()
}

async function createCollection(name: string): Promise<void> {
  await page.getByRole('button', { name: /^(Create|New) collection$/ }).first().click()
  const box = page.getByRole('textbox', { name: /^New name for/ })
  await box.fill(name)
  await box.press('Enter')
  await visible(page.getByRole('treeitem', { name, exact: true }))
}

/** The names of this browser's account databases (`pigeon-user-…`). */
async function accountDatabases(): Promise<string[]> {
  const names = (await page.evaluate(() => indexedDB.databases())).map(d => d.name ?? '')
  return names.filter(name => name.startsWith('pigeon-user-'))
}

async function resetCodeFor(email: string): Promise<string> {
  const outbox = path.join(server.dataDir, 'outbox')
  const deadline = Date.now() + 5000
  while (Date.now() < deadline) {
    const files = await readdir(outbox).catch(() => [] as string[])
    for (const file of files) {
      const text = (await readFile(path.join(outbox, file), 'utf8')).replace(/=\r?\n/g, '')
      const code = text.includes(`To: ${email}`) ? /Reset code: ([\w-]{43})/.exec(text)?.[1] : undefined
      if (code)
        return code
    }
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  throw new Error(`No reset mail to ${email} reached the outbox.`)
}

describe('account', () => {
  it('signs up, names this device, signs out, and signs in again by username after a wrong password', async () => {
    const account = newAccount()
    await page.goto(server.url)
    await signUp(account)

    await chooseFromAccountMenu(account.username, 'Account and devices…')
    const devices = page.getByRole('dialog', { name: 'Account and devices' })
    await visible(devices.getByText('This device', { exact: true }))
    await devices.getByLabel('This device\'s name').fill('Work laptop')
    await devices.getByRole('button', { name: 'Rename' }).click()
    await visible(devices.getByRole('status').filter({ hasText: 'This device is now called "Work laptop".' }))
    await expect(devices.getByRole('listitem').filter({ hasText: 'This device' }).textContent()).resolves.toContain('Work laptop')
    await page.keyboard.press('Escape')

    await page.reload()
    await visible(accountButton(account.username))
    await chooseFromAccountMenu(account.username, 'Sign out')
    await visible(signInButton())

    const dialog = await signIn(account.username, 'not the password')
    await expect(dialog.getByRole('alert').textContent()).resolves.toBe('Wrong email/username or password.')
    await dialog.getByLabel('Password').fill(account.password)
    await dialog.getByRole('button', { name: 'Sign in', exact: true }).click()
    await visible(accountButton(account.username))
    await chooseFromAccountMenu(account.username, 'Sign out')
    await visible(signInButton())
  })

  it('is refused as a fourth device, and continues by signing one of the others out', async () => {
    const account = newAccount()
    for (const [index, name] of ['Phone', 'Tablet', 'Desktop'].entries()) {
      const api = createAccountsApi(createApiClient({ baseUrl: server.url, fetch: cookieJarFetch() }))
      const fields = { deviceId: `e2e-${runId}-${name}`, deviceName: name }
      if (index === 0)
        await api.signUp(account, fields)
      else
        await api.signIn({ login: account.username, password: account.password }, fields)
    }
    await page.goto(server.url)
    await signIn(account.email, account.password)
    const refusal = page.getByRole('dialog', { name: 'Too many devices' })
    await visible(refusal)
    await expect(refusal.textContent()).resolves.toMatch(/signed in on 3 devices/)
    expect(await refusal.getByRole('radio').count()).toBe(3)
    await refusal.getByRole('radio', { name: /Tablet/ }).check()
    await refusal.getByRole('button', { name: 'Sign out that device and continue' }).click()
    await visible(accountButton(account.username))

    await chooseFromAccountMenu(account.username, 'Account and devices…')
    const devices = page.getByRole('dialog', { name: 'Account and devices' })
    await visible(devices.getByText('This device', { exact: true }))
    await expect(devices.getByRole('list').textContent()).resolves.not.toContain('Tablet')
    await devices.getByRole('button', { name: 'Sign out Phone' }).click()
    await devices.getByRole('button', { name: 'Sign out Phone' }).waitFor({ state: 'detached' })
    await devices.getByRole('button', { name: 'Done' }).click()
    await chooseFromAccountMenu(account.username, 'Sign out')
    await visible(signInButton())
  })

  it('sets a new password with the code from the mail and signs in with it', async () => {
    const account = newAccount()
    await createAccountsApi(createApiClient({ baseUrl: server.url, fetch: cookieJarFetch() })).signUp(account, { deviceId: `e2e-${runId}-r`, deviceName: 'Other' })
    await page.goto(server.url)
    await signInButton().click()
    await page.getByRole('button', { name: 'Forgot password?' }).click()
    const ask = page.getByRole('dialog', { name: 'Forgot your password?' })
    await ask.getByLabel('Email or username').fill(account.username)
    await ask.getByRole('button', { name: 'Send reset code' }).click()
    const reset = page.getByRole('dialog', { name: 'Set a new password' })
    await visible(reset.getByRole('status').filter({ hasText: 'reset code is on its way' }))
    await reset.getByLabel('Reset code').fill(await resetCodeFor(account.email))
    await reset.getByLabel('New password').fill('a brand new password')
    await reset.getByRole('button', { name: 'Set new password' }).click()
    await visible(reset.getByRole('status').filter({ hasText: 'Sign in with the new password' }))
    await reset.getByRole('button', { name: 'Sign in', exact: true }).click()

    const dialog = page.getByRole('dialog', { name: 'Sign in to Pigeon' })
    await dialog.getByLabel('Email or username').fill(account.email)
    await dialog.getByLabel('Password').fill('a brand new password')
    await dialog.getByRole('button', { name: 'Sign in', exact: true }).click()
    await visible(accountButton(account.username))
    await chooseFromAccountMenu(account.username, 'Sign out')
    await visible(signInButton())
  })

  /** Signs up, makes a collection while offline, and asks to sign out: the question about unsynced changes opens. */
  async function signOutWithAnOfflineChange(collectionName: string) {
    const account = newAccount()
    await page.goto(server.url)
    const earlier = await accountDatabases()
    await signUp(account)
    await visible(page.getByRole('status', { name: 'Sync status' }).getByText('In sync'))
    const [mine] = (await accountDatabases()).filter(name => !earlier.includes(name))
    expect(mine).toMatch(/^pigeon-user-/)
    await device.context.setOffline(true)
    await createCollection(collectionName)

    await chooseFromAccountMenu(account.username, 'Sign out')
    const dialog = page.getByRole('dialog', { name: 'Sign out with unsynced changes?' })
    await visible(dialog)
    return { mine, dialog }
  }

  it('waits for sync before signing out with a change made offline, then removes the account\'s data from this device', async () => {
    const { mine, dialog } = await signOutWithAnOfflineChange('Written offline')
    await dialog.getByRole('button', { name: 'Wait for sync' }).click()
    await visible(dialog.getByText(/server cannot be reached/))
    await device.context.setOffline(false)
    await visible(signInButton())
    await dialog.waitFor({ state: 'detached' })
    await expect.poll(accountDatabases, { timeout: 10_000 }).not.toContain(mine)
  })

  it('exports unsynced changes to a file, then signs out', async () => {
    const { mine, dialog } = await signOutWithAnOfflineChange('Only in the export')
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Export and sign out' }).click(),
    ])
    const file = await readFile(await download.path(), 'utf8')
    expect(file).toContain('Only in the export')
    // Signing out needs the server: offline it is refused in words, and nothing is deleted.
    // (Going online before the refusal came would let that first try through.)
    await visible(dialog.getByRole('alert').filter({ hasText: 'You are still signed in and nothing was deleted' }))
    expect(await accountDatabases()).toContain(mine)
    // Back online it goes through.
    await device.context.setOffline(false)
    await dialog.getByRole('button', { name: 'Discard and sign out' }).click()
    await visible(signInButton())
    await expect.poll(accountDatabases, { timeout: 10_000 }).not.toContain(mine)
  })

  it('deletes the account only with the right password', async () => {
    const account = newAccount()
    await page.goto(server.url)
    await signUp(account)
    await chooseFromAccountMenu(account.username, 'Delete account…')
    const dialog = page.getByRole('dialog', { name: 'Delete your account' })
    await expect(dialog.textContent()).resolves.toContain('This cannot be undone.')
    await dialog.getByLabel('Password').fill('not my password')
    await dialog.getByRole('button', { name: 'Delete my account' }).click()
    await visible(dialog.getByText('That password is not right, so your account was not deleted.'))
    await dialog.getByLabel('Password').fill(account.password)
    await dialog.getByRole('button', { name: 'Delete my account' }).click()
    await visible(signInButton())

    const error = await createAccountsApi(createApiClient({ baseUrl: server.url, fetch: cookieJarFetch() }))
      .signIn({ login: account.username, password: account.password }, { deviceId: 'after-delete', deviceName: 'Check' })
      .catch((e: unknown) => e as Error)
    expect((error as Error).message).toBe('Wrong email/username or password.')
  })
})
