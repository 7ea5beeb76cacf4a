/**
 * Issue 2's acceptance test, as a person uses Pigeon in Chromium: build a
 * request with `{{baseUrl}}` from an environment, send it to a real local
 * server, look at the JSON, keep it as an example, find it in History, and
 * after a reload find every piece of it again.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { closedPort } from '../support/closedPort'
import { openAppWithTarget } from './support/appWithTarget'

const app = openAppWithTarget()
let page: Page

beforeAll(() => {
  page = app.page
})

async function openSidebarSection(name: 'Collections' | 'Environments' | 'History' | 'Presets'): Promise<void> {
  await page.getByRole('tab', { name }).click()
}

/** Creates something in the collection tree through a row's menu, and names it. */
async function addInTree(parentName: string, action: 'Add folder' | 'Add request', defaultName: string, name: string): Promise<void> {
  await page.getByRole('button', { name: `More actions for ${parentName}` }).click()
  await page.getByRole('menuitem', { name: action }).click()
  const rename = page.getByRole('textbox', { name: `New name for ${defaultName}` })
  await rename.fill(name)
  await rename.press('Enter')
  await page.getByRole('treeitem', { name: new RegExp(`${name}$`) }).waitFor()
}

/** Unfolds a collection or folder in the tree, if it is folded. */
async function expand(name: string): Promise<void> {
  const item = page.getByRole('treeitem', { name })
  if (await item.getAttribute('aria-expanded') === 'false')
    await item.click()
  await expect.poll(() => item.getAttribute('aria-expanded')).toBe('true')
}

async function sendAndWait(): Promise<void> {
  await page.getByRole('button', { name: 'Send', exact: true }).click()
  await page.getByRole('button', { name: 'Send', exact: true }).waitFor()
}

describe('the request builder', () => {
  it('builds a request with {{baseUrl}}, sends it, keeps an example and history, and finds it all after a reload', async () => {
    // An environment with baseUrl pointing at the local target server, picked in the top bar.
    await openSidebarSection('Environments')
    await page.getByRole('button', { name: 'New environment' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('Local')
    await dialog.getByRole('textbox', { name: 'New environment variable name' }).fill('baseUrl')
    await dialog.getByRole('textbox', { name: 'Environment variable 1 shared value' }).fill(app.target.url)
    await dialog.getByRole('button', { name: 'Done' }).click()
    await page.getByRole('combobox', { name: 'Environment' }).selectOption({ label: 'Local' })

    // A collection, a folder in it, and a request in the folder.
    await openSidebarSection('Collections')
    await page.getByRole('button', { name: 'New collection' }).first().click()
    const collectionName = page.getByRole('textbox', { name: 'New name for New Collection' })
    await collectionName.fill('Pigeon API')
    await collectionName.press('Enter')
    await addInTree('Pigeon API', 'Add folder', 'New Folder', 'Users')
    await addInTree('Users', 'Add request', 'New Request', 'Get sample')
    await page.getByRole('treeitem', { name: 'GET Get sample' }).click()

    // The URL uses the variable: it is marked as resolved and hovering shows where it comes from.
    const url = page.getByRole('textbox', { name: 'Request URL' })
    await url.fill('{{baseUrl}}/json?page=1')
    await expect.poll(() => page.getByRole('textbox', { name: 'Param 1 key' }).inputValue()).toBe('page')
    const box = await url.boundingBox()
    await page.mouse.move(box!.x + 40, box!.y + box!.height / 2)
    await expect.poll(() => page.getByRole('tooltip').textContent()).toContain('Environment: Local')
    expect(await page.getByRole('navigation', { name: 'Location' }).textContent()).toContain('Pigeon API')

    await sendAndWait()
    await page.getByLabel('Status 200 OK').waitFor()
    const body = page.getByRole('textbox', { name: 'Response body' })
    await expect.poll(() => body.textContent()).toContain('"name": "Pigeon"')

    // Save the request (Ctrl+S), then keep the response as an example.
    await page.keyboard.press('Control+s')
    await expect.poll(() => page.getByRole('img', { name: 'Unsaved changes' }).count()).toBe(0)
    await page.getByRole('button', { name: 'Save as example' }).click()
    const exampleDialog = page.getByRole('dialog', { name: 'Save as example' })
    await exampleDialog.getByRole('textbox', { name: 'Example name' }).fill('Sample JSON')
    await exampleDialog.getByRole('button', { name: 'Save example' }).click()
    await page.getByRole('button', { name: 'Examples' }).click()
    await page.getByRole('region', { name: 'Examples' }).getByRole('button', { name: 'Open example Sample JSON' }).waitFor()
    await page.keyboard.press('Escape')

    // The send is in History.
    await openSidebarSection('History')
    await page.getByRole('button', { name: /^Open GET \{\{baseUrl\}\}\/json\?page=1/ }).waitFor()

    // After a reload everything is still there.
    await page.reload()
    await page.getByRole('tab', { name: 'Get sample' }).waitFor()
    expect(await page.getByRole('combobox', { name: 'Environment' }).locator('option:checked').textContent()).toContain('Local')
    await page.getByRole('button', { name: /^Open GET \{\{baseUrl\}\}\/json\?page=1/ }).waitFor()
    await openSidebarSection('Collections')
    await expand('Pigeon API')
    await expand('Users')
    await page.getByRole('treeitem', { name: 'GET Get sample' }).waitFor()
    expect(await page.getByRole('textbox', { name: 'Request URL' }).inputValue()).toBe('{{baseUrl}}/json?page=1')
    await page.getByRole('button', { name: 'Examples' }).click()
    await page.getByRole('region', { name: 'Examples' }).getByRole('button', { name: 'Open example Sample JSON' }).click()
    await page.getByRole('tab', { name: 'Sample JSON' }).waitFor()
    await page.getByLabel('Status 200 OK').waitFor()
  })

  it('says in words why a request could not be sent', async () => {
    await page.getByRole('button', { name: 'New request' }).first().click()
    const url = page.getByRole('textbox', { name: 'Request URL' })

    await url.fill('http://exa mple.com/')
    await sendAndWait()
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/not a valid URL/)

    // Ctrl+Enter sends, like the Send button.
    await url.fill(`http://127.0.0.1:${await closedPort()}/`)
    await url.press('Control+Enter')
    await page.getByRole('button', { name: 'Retry' }).waitFor()
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/refused the connection/)
    await page.getByRole('button', { name: 'Retry' }).waitFor()
  })

  it('saves a new tab into a collection through the Save dialog', async () => {
    await page.getByRole('button', { name: 'New request' }).first().click()
    await page.getByRole('textbox', { name: 'Request URL' }).fill('{{baseUrl}}/echo')
    await page.keyboard.press('Control+s')
    const dialog = page.getByRole('dialog', { name: 'Save request' })
    await dialog.getByRole('textbox', { name: 'Request name' }).fill('Echo it')
    await dialog.getByRole('listbox', { name: 'Save to' }).selectOption({ label: 'Pigeon API' })
    await dialog.getByRole('button', { name: 'Save', exact: true }).click()
    await page.getByRole('treeitem', { name: 'GET Echo it' }).waitFor()
    await page.getByRole('tab', { name: 'Echo it' }).waitFor()
    await expect.poll(() => page.getByRole('tab', { name: 'Echo it' }).getByRole('img', { name: 'Unsaved changes' }).count()).toBe(0)
    await page.getByRole('navigation', { name: 'Location' }).getByText('Pigeon API').waitFor()
  })

  it('completes a {{variable}} while typing the URL', async () => {
    await page.getByRole('button', { name: 'New request' }).first().click()
    const url = page.getByRole('textbox', { name: 'Request URL' })
    await url.click()
    await url.pressSequentially('{{base')
    await page.getByRole('option', { name: /baseUrl/ }).waitFor()
    await url.press('Enter')
    await url.pressSequentially('/json')
    expect(await url.inputValue()).toBe('{{baseUrl}}/json')
  })

  it('opens several tabs, closes one with a middle click, and resizes the split with the keyboard', async () => {
    const tabs = page.getByRole('tablist', { name: 'Open requests' }).getByRole('tab')
    const before = await tabs.count()
    await page.getByRole('button', { name: 'New request' }).first().click()
    await page.getByRole('button', { name: 'New request' }).first().click()
    await expect.poll(() => tabs.count()).toBe(before + 2)
    await tabs.last().click({ button: 'middle' })
    await expect.poll(() => tabs.count()).toBe(before + 1)
    await tabs.last().click({ button: 'right' })
    await page.getByRole('menuitem', { name: 'Duplicate tab' }).click()
    await expect.poll(() => tabs.count()).toBe(before + 2)
    await page.getByRole('tab', { name: 'Untitled Request Copy' }).waitFor()

    const separator = page.getByRole('separator', { name: 'Resize request and response' })
    const start = Number(await separator.getAttribute('aria-valuenow'))
    await separator.focus()
    await page.keyboard.press('ArrowUp')
    await expect.poll(async () => Number(await separator.getAttribute('aria-valuenow'))).toBe(start - 5)
  })

  it('previews HTML in a frame without scripts, and images', async () => {
    await page.getByRole('button', { name: 'New request' }).first().click()
    const url = page.getByRole('textbox', { name: 'Request URL' })
    await url.fill(`${app.target.url}/html`)
    await sendAndWait()
    await page.getByRole('radio', { name: 'Preview' }).click()
    const frame = page.getByTitle('HTML preview')
    expect(await frame.getAttribute('sandbox')).toBe('')
    await url.fill(`${app.target.url}/image.png`)
    await sendAndWait()
    await page.getByRole('img', { name: 'Image returned by the server' }).waitFor()
  })

  it('formats a big JSON response without blocking the page', async () => {
    await page.getByRole('button', { name: 'New request' }).first().click()
    await page.getByRole('combobox', { name: 'Method' }).selectOption('POST')
    await page.getByRole('textbox', { name: 'Request URL' }).fill(`${app.target.url}/echo`)
    await page.getByRole('tab', { name: 'Body' }).first().click()
    await page.getByRole('radio', { name: 'raw', exact: true }).check()
    await page.getByRole('combobox', { name: 'Raw body language' }).selectOption('text')
    await page.getByRole('textbox', { name: 'Request body' }).click()
    await page.keyboard.insertText('x'.repeat(400 * 1024))
    await sendAndWait()
    await page.getByLabel('Status 200 OK').waitFor()
    // The echo is one line of JSON; formatted, it has "key": value lines.
    await expect.poll(() => page.getByRole('textbox', { name: 'Response body' }).textContent(), { timeout: 15_000 }).toContain('"method": "POST"')
  })

  it('shows a 30 MiB response without freezing the page', async () => {
    await page.getByRole('button', { name: 'New request' }).first().click()
    await page.getByRole('textbox', { name: 'Request URL' }).fill(`${app.target.url}/bytes/${30 * 1024 * 1024}`)
    await sendAndWait()
    await page.getByText('Large response: shown without highlighting').waitFor({ timeout: 30_000 })
    // The page still answers right away: switching sections and back is instant.
    const started = Date.now()
    await page.getByRole('tablist', { name: 'Response sections' }).getByRole('tab', { name: 'Headers' }).click()
    await page.getByRole('table').filter({ hasText: 'content-length' }).first().waitFor()
    await page.getByRole('tablist', { name: 'Response sections' }).getByRole('tab', { name: 'Body' }).click()
    await page.getByRole('document', { name: 'Response body' }).waitFor()
    expect(Date.now() - started).toBeLessThan(3000)
  })

  it('keeps an unsaved tab across a reload and a browser restart', async () => {
    await page.getByRole('button', { name: 'New request' }).first().click()
    await page.getByRole('textbox', { name: 'Request URL' }).fill(`${app.target.url}/echo?draft=yes`)
    await page.getByRole('textbox', { name: 'Request name' }).fill('Draft request')
    await page.getByRole('textbox', { name: 'Request name' }).press('Enter')
    // Tabs are written a moment after typing stops.
    await page.waitForTimeout(600)
    await page.reload()
    await page.getByRole('tab', { name: /Draft request/ }).click()
    expect(await page.getByRole('textbox', { name: 'Request URL' }).inputValue()).toBe(`${app.target.url}/echo?draft=yes`)
    await page.getByRole('tab', { name: /Draft request/ }).getByRole('img', { name: 'Unsaved changes' }).waitFor()

    // And across closing the browser and opening it again.
    app.device = await app.device.restart()
    page = app.device.page
    page.setDefaultTimeout(30_000)
    await page.goto(app.pigeon.url)
    await page.getByRole('tab', { name: /Draft request/ }).click()
    expect(await page.getByRole('textbox', { name: 'Request URL' }).inputValue()).toBe(`${app.target.url}/echo?draft=yes`)

    // Closing it asks first; "Don't save" closes it.
    await page.getByRole('button', { name: 'Close Draft request' }).click()
    await page.getByRole('dialog', { name: 'Save changes?' }).getByRole('button', { name: 'Don\'t save' }).click()
    await expect.poll(() => page.getByRole('tab', { name: /Draft request/ }).count()).toBe(0)
  })

  it('reopens a sent request from History in a new tab', async () => {
    await openSidebarSection('History')
    await page.getByRole('button', { name: /^Open GET \{\{baseUrl\}\}\/json\?page=1/ }).first().click()
    await expect.poll(() => page.getByRole('textbox', { name: 'Request URL' }).inputValue()).toBe('{{baseUrl}}/json?page=1')
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await page.getByLabel('Status 200 OK').waitFor()
  })
})
