/**
 * The sidebar as a person uses it, in Chromium: workspaces, collections,
 * folders and requests (create, rename, duplicate, move, delete and undo,
 * filter), environments, and everything still there after a reload.
 */
import type { Locator, Page } from 'playwright-core'
import type { Device } from './support/browser'
import type { PigeonServer } from '../support/pigeonServer'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPigeonServer, tempDir } from '../support/pigeonServer'
import { openDevice } from './support/browser'

let server: PigeonServer
let device: Device
let page: Page

beforeAll(async () => {
  server = await startPigeonServer()
  device = await openDevice()
  page = device.page
})

afterAll(async () => {
  await device?.close()
  await server?.stop()
})

const visible = (locator: Locator): Promise<void> => locator.waitFor({ state: 'visible', timeout: 10_000 })
const gone = (locator: Locator): Promise<void> => locator.waitFor({ state: 'detached', timeout: 10_000 })
const treeItem = (name: string): Locator => page.getByRole('treeitem', { name, exact: true })

/** Types a name into the tree's inline rename box and confirms it. */
async function nameIt(name: string): Promise<void> {
  const box = page.getByRole('textbox', { name: /^New name for/ })
  await box.fill(name)
  await box.press('Enter')
  await gone(box)
  await visible(page.locator(`[role="treeitem"][aria-label$="${name}"]`).first())
}

async function rowAction(rowName: string, action: string): Promise<void> {
  await page.getByRole('button', { name: `More actions for ${rowName}`, exact: true }).click()
  await page.getByRole('menuitem', { name: action, exact: true }).click()
}

async function treeNames(): Promise<string[]> {
  return page.getByRole('treeitem').evaluateAll(items => items.map(item => item.getAttribute('aria-label') ?? ''))
}

describe('sidebar', () => {
  it('organises requests in a workspace, and keeps everything after a reload', async () => {
    await page.goto(server.url)

    // A new workspace.
    await page.getByRole('button', { name: 'Workspace: Scratch Pad' }).click()
    await page.getByRole('menuitem', { name: 'New workspace…' }).click()
    await page.getByRole('textbox', { name: 'Workspace name' }).fill('Pet shop')
    await page.getByRole('button', { name: 'Create workspace' }).click()
    await visible(page.getByRole('button', { name: 'Workspace: Pet shop' }))

    // A collection, a folder with a nested folder, and requests.
    await page.getByRole('button', { name: 'Create collection' }).click()
    await nameIt('Pets API')
    await rowAction('Pets API', 'Add folder')
    await nameIt('Dogs')
    await rowAction('Dogs', 'Add folder')
    await nameIt('Puppies')
    await rowAction('Dogs', 'Add request')
    await nameIt('List dogs')
    await rowAction('Puppies', 'Add request')
    await nameIt('Adopt puppy')
    expect(await treeNames()).toEqual(['Pets API', 'Dogs', 'Puppies', 'GET Adopt puppy', 'GET List dogs'])
    expect(await treeItem('GET Adopt puppy').getAttribute('aria-level')).toBe('4')

    // Rename with F2, from the keyboard.
    await treeItem('GET List dogs').click()
    await page.keyboard.press('F2')
    await nameIt('List all dogs')
    await visible(treeItem('GET List all dogs'))

    // Duplicate, then move the copy up to the collection with the Move to… dialog.
    await rowAction('List all dogs', 'Duplicate')
    await visible(treeItem('GET List all dogs Copy'))
    await rowAction('List all dogs Copy', 'Move to…')
    const dialog = page.getByRole('dialog', { name: 'Move “List all dogs Copy”' })
    await dialog.getByRole('searchbox', { name: 'Find a collection or folder' }).fill('pets')
    await dialog.getByRole('option', { name: 'Pets API' }).click()
    await dialog.getByRole('button', { name: 'Move', exact: true }).click()
    await gone(dialog)
    await page.waitForFunction(() => document.querySelector('[aria-label="GET List all dogs Copy"]')?.getAttribute('aria-level') === '2')
    expect(await treeNames()).toEqual(['Pets API', 'Dogs', 'Puppies', 'GET Adopt puppy', 'GET List all dogs', 'GET List all dogs Copy'])

    // Delete a folder, then undo: the folder comes back with its request.
    await rowAction('Puppies', 'Delete')
    await gone(treeItem('GET Adopt puppy'))
    await visible(page.getByText('Deleted “Puppies”'))
    await page.getByRole('button', { name: 'Undo' }).click()
    await visible(treeItem('GET Adopt puppy'))
    expect(await treeNames()).toEqual(['Pets API', 'Dogs', 'Puppies', 'GET Adopt puppy', 'GET List all dogs', 'GET List all dogs Copy'])

    // Filter by name and by URL.
    const filter = page.getByRole('searchbox', { name: 'Filter collections' })
    await filter.fill('adopt')
    await gone(treeItem('GET List all dogs'))
    expect(await treeNames()).toEqual(['Pets API', 'Dogs', 'Puppies', 'GET Adopt puppy'])
    await filter.fill('no such thing')
    await visible(page.getByText('No requests or folders match “no such thing”.'))
    await filter.fill('')
    await visible(treeItem('GET List all dogs'))

    // An environment with a plain and a secret variable, made the active one.
    await page.getByRole('tab', { name: 'Environments' }).click()
    await page.getByRole('button', { name: 'Create environment' }).click()
    const editor = page.getByRole('dialog', { name: /^Environment:/ })
    await editor.getByRole('textbox', { name: 'Name', exact: true }).fill('Staging')
    await editor.getByRole('textbox', { name: 'New environment variable name' }).fill('baseUrl')
    await editor.getByRole('textbox', { name: 'Environment variable 1 shared value' }).fill('https://staging.pets.test')
    await editor.getByRole('textbox', { name: 'New environment variable name' }).fill('token')
    await editor.getByRole('textbox', { name: 'Environment variable 2 shared value' }).fill('s3cret')
    await editor.getByRole('combobox', { name: 'Environment variable 2 type' }).selectOption('secret')
    const secret = editor.getByLabel('Environment variable 2 shared value')
    expect(await secret.getAttribute('type')).toBe('password')
    await editor.getByRole('button', { name: 'Show value of token' }).click()
    expect(await secret.getAttribute('type')).toBe('text')
    await editor.getByLabel('Environment variable 2 current value').fill('my-own-token')
    await editor.getByRole('button', { name: 'Done' }).click()
    await gone(editor)
    await page.getByRole('combobox', { name: 'Environment' }).selectOption({ label: 'Staging' })
    await visible(page.getByText('Active', { exact: true }))

    // Collapse the sidebar; it stays collapsed after the reload.
    await page.getByRole('button', { name: 'Hide sidebar' }).click()
    await gone(page.getByRole('tablist', { name: 'Sidebar sections' }))

    await page.reload()
    await visible(page.getByRole('button', { name: 'Workspace: Pet shop' }))
    const toggle = page.getByRole('button', { name: 'Show sidebar' })
    await visible(toggle)
    expect(await toggle.getAttribute('aria-expanded')).toBe('false')
    await toggle.click()
    expect(await page.getByRole('button', { name: 'Hide sidebar' }).getAttribute('aria-expanded')).toBe('true')
    await page.waitForFunction(() => (document.querySelector('select[aria-label="Environment"]') as HTMLSelectElement | null)?.selectedOptions[0]?.text === 'Staging')

    await page.getByRole('button', { name: 'Edit environment Staging' }).click()
    const reopened = page.getByRole('dialog', { name: 'Environment: Staging' })
    expect(await reopened.getByLabel('Environment variable 1 shared value').inputValue()).toBe('https://staging.pets.test')
    expect(await reopened.getByLabel('Environment variable 2 current value').inputValue()).toBe('my-own-token')
    expect(await reopened.getByLabel('Environment variable 2 type').inputValue()).toBe('secret')
    await page.keyboard.press('Escape')
    await gone(reopened)

    // The tree is there as it was left (open folders too), and the keyboard walks it.
    await page.getByRole('tab', { name: 'Collections' }).click()
    await visible(treeItem('GET Adopt puppy'))
    expect(await treeNames()).toEqual(['Pets API', 'Dogs', 'Puppies', 'GET Adopt puppy', 'GET List all dogs', 'GET List all dogs Copy'])
    await treeItem('GET List all dogs').click()
    const focused = (): Promise<string | null | undefined> => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))
    await page.keyboard.press('ArrowUp')
    expect(await focused()).toBe('GET Adopt puppy')
    await page.keyboard.press('ArrowLeft')
    expect(await focused()).toBe('Puppies')
    await page.keyboard.press('ArrowLeft')
    await gone(treeItem('GET Adopt puppy'))
    expect(await treeItem('Puppies').getAttribute('aria-expanded')).toBe('false')
    await page.keyboard.press('ArrowRight')
    await visible(treeItem('GET Adopt puppy'))
    await page.keyboard.press('Home')
    expect(await focused()).toBe('Pets API')
    await page.keyboard.press('End')
    expect(await focused()).toBe('GET List all dogs Copy')
  })

  it('moves a request into a folder by drag and drop, and reorders it before a sibling', async () => {
    await treeItem('GET List all dogs Copy').dragTo(treeItem('Puppies'))
    await page.waitForFunction(() => document.querySelector('[aria-label="GET List all dogs Copy"]')?.getAttribute('aria-level') === '4')
    const target = treeItem('GET Adopt puppy')
    await treeItem('GET List all dogs Copy').dragTo(target, { targetPosition: { x: 40, y: 3 } })
    await page.waitForFunction(() => {
      const names = [...document.querySelectorAll('[role="treeitem"]')].map(item => item.getAttribute('aria-label'))
      return names.indexOf('GET List all dogs Copy') === names.indexOf('GET Adopt puppy') - 1
    })
    expect(await treeNames()).toEqual(['Pets API', 'Dogs', 'Puppies', 'GET List all dogs Copy', 'GET Adopt puppy', 'GET List all dogs'])
  })

  it('opens a request from the tree in a tab', async () => {
    await treeItem('GET Adopt puppy').click()
    await visible(page.getByRole('tab', { name: /Adopt puppy/ }))
  })

  it('imports a Postman collection and environment, and says why a wrong file is refused', async () => {
    const folder = tempDir('pigeon-import-')
    const file = (name: string, content: unknown): string => {
      const filePath = path.join(folder, name)
      writeFileSync(filePath, typeof content === 'string' ? content : JSON.stringify(content))
      return filePath
    }
    const importInput = page.locator('input[type="file"]')
    await importInput.setInputFiles(file('store.postman_collection.json', {
      info: { name: 'Store API', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
      item: [{ name: 'Orders', item: [{ name: 'Get order', request: { method: 'GET', url: '{{baseUrl}}/orders/1' } }] }],
    }))
    await visible(page.getByText('Imported “Store API”: 1 request in 1 folder.'))
    await visible(treeItem('Store API'))

    await importInput.setInputFiles(file('store.postman_environment.json', {
      name: 'Store local',
      values: [{ key: 'baseUrl', value: 'http://localhost:3000', type: 'default', enabled: true }],
      _postman_variable_scope: 'environment',
    }))
    await visible(page.getByText('Imported the environment “Store local”.'))
    await page.getByRole('combobox', { name: 'Environment' }).selectOption({ label: 'Store local' })

    await importInput.setInputFiles(file('notes.json', '{"hello": "world"}'))
    await visible(page.getByRole('alert').filter({ hasText: '“notes.json” was not imported.' }))
  })

  it('edits a collection\'s description and variables in its settings, from the right-click menu', async () => {
    await treeItem('Pets API').click({ button: 'right' })
    await page.getByRole('menu', { name: 'Actions for Pets API' }).getByRole('menuitem', { name: 'Settings…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Collection: Pets API' })
    await dialog.getByRole('textbox', { name: 'Description' }).fill('Everything about pets.')
    await dialog.getByRole('tab', { name: 'Variables' }).click()
    await dialog.getByRole('textbox', { name: 'New collection variable name' }).fill('apiVersion')
    await dialog.getByRole('textbox', { name: 'Collection variable 1 shared value' }).fill('v2')
    await dialog.getByRole('button', { name: 'Done' }).click()
    await gone(dialog)

    await rowAction('Pets API', 'Settings…')
    expect(await dialog.getByRole('textbox', { name: 'Description' }).inputValue()).toBe('Everything about pets.')
    await dialog.getByRole('tab', { name: 'Variables' }).click()
    expect(await dialog.getByRole('textbox', { name: 'Collection variable 1 name' }).inputValue()).toBe('apiVersion')
    await page.keyboard.press('Escape')
    await gone(dialog)
  })

  it('creates a header preset with a header', async () => {
    await page.getByRole('tab', { name: 'Presets' }).click()
    await page.getByRole('button', { name: 'Create preset' }).click()
    const dialog = page.getByRole('dialog', { name: /^Header preset:/ })
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('JSON')
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).press('Tab')
    await page.keyboard.type('Accept')
    await dialog.getByRole('button', { name: 'Done' }).click()
    await gone(dialog)
    await visible(page.getByRole('button', { name: 'Edit preset JSON' }))
    await visible(page.getByText('Accept', { exact: true }))
    await page.getByRole('tab', { name: 'Collections' }).click()
  })

  it('deletes a collection only after asking', async () => {
    await page.getByRole('button', { name: 'New collection' }).click()
    await nameIt('Old API')
    await rowAction('Old API', 'Delete')
    const confirm = page.getByRole('dialog', { name: 'Delete collection?' })
    await confirm.getByRole('button', { name: 'Cancel' }).click()
    await visible(treeItem('Old API'))
    await rowAction('Old API', 'Delete')
    await confirm.getByRole('button', { name: 'Delete collection' }).click()
    await gone(treeItem('Old API'))
  })

  it('keeps the agent, timeout and a forced dark theme chosen in Settings after a reload', async () => {
    await page.getByRole('button', { name: 'Settings' }).click()
    const settings = page.getByRole('dialog', { name: 'Settings' })
    await settings.getByRole('radio', { name: /^Server proxy/ }).check()
    await settings.getByRole('textbox', { name: 'Default timeout (seconds)' }).fill('12')
    await settings.getByRole('combobox', { name: 'Theme' }).selectOption('dark')
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
    await settings.getByRole('button', { name: 'Done' }).click()

    await page.reload()
    await visible(page.getByRole('button', { name: 'Workspace: Pet shop' }))
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
    await page.getByRole('button', { name: 'Settings' }).click()
    expect(await settings.getByRole('radio', { name: /^Server proxy/ }).isChecked()).toBe(true)
    expect(await settings.getByRole('textbox', { name: 'Default timeout (seconds)' }).inputValue()).toBe('12')
    await settings.getByRole('combobox', { name: 'Theme' }).selectOption('system')
    await page.keyboard.press('Escape')
    await gone(settings)
  })

  it('opens a row\'s menu from the keyboard, and resizes the sidebar with its handle', async () => {
    await treeItem('Pets API').focus()
    await page.keyboard.press('Shift+F10')
    const menu = page.getByRole('menu', { name: 'Actions for Pets API' })
    await visible(menu)
    await page.keyboard.press('ArrowDown')
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Add folder')
    await page.keyboard.press('Escape')
    await gone(menu)
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Pets API')

    const handle = page.getByRole('separator', { name: 'Resize sidebar' })
    const before = Number(await handle.getAttribute('aria-valuenow'))
    const box = (await handle.boundingBox())!
    await page.mouse.move(box.x + box.width / 2, box.y + 200)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width / 2 + 80, box.y + 200, { steps: 4 })
    await page.mouse.up()
    expect(Number(await handle.getAttribute('aria-valuenow'))).toBe(before + 80)
    await handle.focus()
    await page.keyboard.press('ArrowLeft')
    expect(Number(await handle.getAttribute('aria-valuenow'))).toBe(before + 70)
    const sidebarWidth = (): Promise<number> => page.getByRole('complementary', { name: 'Sidebar' }).evaluate(el => el.getBoundingClientRect().width)
    expect(await sidebarWidth()).toBe(before + 70)
    await page.waitForTimeout(300)
    await page.reload()
    await visible(treeItem('Pets API'))
    expect(await sidebarWidth()).toBe(before + 70)
  })

  it('works in a narrow window, with the sidebar as a drawer', async () => {
    await page.setViewportSize({ width: 400, height: 800 })
    await page.reload()
    await visible(page.getByRole('button', { name: 'Workspace: Pet shop' }))
    await page.getByRole('button', { name: 'Show sidebar' }).click()
    await visible(treeItem('Pets API'))
    await page.keyboard.press('Escape')
    await gone(treeItem('Pets API'))
    await page.setViewportSize({ width: 1280, height: 800 })
  })
})
