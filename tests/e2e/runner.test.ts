/**
 * The collection runner as a person uses it in Chromium: import a real
 * Postman collection (newman's sandbox-libraries, its postman-echo.com host
 * pointed at a local target server, plus a request to a port nobody listens
 * on), run it from the tree menu for two iterations, read the results,
 * find the run in the Runs panel after a reload, run it again and stop it.
 */
import type { Page } from 'playwright-core'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { closedPort } from '../support/closedPort'
import { tempDir } from '../support/pigeonServer'
import { openAppWithTarget } from './support/appWithTarget'
import { visible } from './support/people'

const CORPUS_COLLECTION = path.resolve(import.meta.dirname, '../../../shared/corpus/newman/sandbox-libraries.postman_collection.json')

const app = openAppWithTarget()
let page: Page

beforeAll(() => {
  page = app.page
})

/** The corpus collection with its requests sent to the local target server, and one request that cannot be sent. */
async function collectionFile(): Promise<string> {
  const collection = JSON.parse(readFileSync(CORPUS_COLLECTION, 'utf8')) as { item: Array<{ name: string, request: unknown }> }
  for (const item of collection.item)
    (item.request as { url: unknown }).url = `${app.target.url}/echo/get`
  collection.item.push({ name: 'Nobody home', request: { method: 'GET', url: `http://127.0.0.1:${await closedPort()}/` } })
  const file = path.join(tempDir('pigeon-runner-'), 'sandbox-libraries.postman_collection.json')
  writeFileSync(file, JSON.stringify(collection))
  return file
}

describe('the collection runner', () => {
  it('runs an imported collection from the tree menu, shows each result, keeps the run in Runs after a reload, and stops it when run again', async () => {
    await page.locator('input[type="file"]').setInputFiles(await collectionFile())
    await visible(page.getByText(/^Imported “sandbox-libraries”: 4 requests/))

    await page.getByRole('button', { name: 'More actions for sandbox-libraries', exact: true }).click()
    await page.getByRole('menuitem', { name: 'Run collection', exact: true }).click()
    const runner = page.getByRole('dialog', { name: 'Run collection: sandbox-libraries' })
    await visible(runner)

    // Every request is listed in tree order, checked.
    const requests = runner.getByRole('checkbox', { name: /^Run GET / })
    expect(await requests.evaluateAll(boxes => boxes.map(box => `${box.getAttribute('aria-label')} ${(box as HTMLInputElement).checked}`))).toEqual([
      'Run GET AJV true',
      'Run GET chai-postman true',
      'Run GET pm api true',
      'Run GET Nobody home true',
    ])

    // Out of range iterations are explained, and Run waits for a number it can use.
    const iterations = runner.getByRole('spinbutton', { name: 'Iterations' })
    await iterations.fill('0')
    await visible(runner.getByText('Iterations must be a whole number from 1 to 1000.'))
    expect(await runner.getByRole('button', { name: 'Run', exact: true }).isDisabled()).toBe(true)
    await iterations.fill('2')
    await runner.getByRole('button', { name: 'Run', exact: true }).click()

    await visible(runner.getByText('Completed. The run is kept in Runs.'))
    const results = runner.getByRole('list', { name: 'Results' }).getByRole('listitem')
    expect(await results.count()).toBe(8)
    const statuses = await runner.locator('.result .status').allInnerTexts()
    expect(statuses.filter(status => status.startsWith('200'))).toHaveLength(6)
    expect(statuses.filter(status => status === 'Failed')).toHaveLength(2)
    expect(await results.nth(0).innerText()).toContain(`${app.target.url}/echo/get`)
    expect((await results.nth(3).innerText()).length).toBeGreaterThan('Nobody home'.length + 20)
    const summary = runner.getByRole('definition')
    expect(await summary.allInnerTexts()).toEqual(expect.arrayContaining(['6', '2']))
    await runner.getByRole('button', { name: 'Done' }).click()

    // The Runs panel lists it, and still does after a reload.
    await page.getByRole('tab', { name: 'Runs' }).click()
    const pastRun = page.getByRole('button', { name: /^Open run sandbox-libraries, Completed, .*, 6 passed · 2 not sent$/ })
    await visible(pastRun)
    await page.reload()
    await visible(pastRun)
    await pastRun.click()
    const details = page.getByRole('dialog', { name: 'Run: sandbox-libraries' })
    await visible(details)
    expect(await details.getByRole('list', { name: 'Results' }).getByRole('listitem').count()).toBe(8)

    // "Run again" opens the runner with the same settings.
    await details.getByRole('button', { name: 'Run again' }).click()
    const again = page.getByRole('dialog', { name: 'Run collection: sandbox-libraries' })
    await visible(again)
    expect(await again.getByRole('spinbutton', { name: 'Iterations' }).inputValue()).toBe('2')

    // With a long delay between requests, Stop ends the run at once and keeps what ran.
    await again.getByRole('spinbutton', { name: 'Delay (ms)' }).fill('60000')
    await again.getByRole('button', { name: 'Run', exact: true }).click()
    await visible(again.getByText('Iteration 1 of 2 · request 2 of 4'))
    await again.getByRole('button', { name: 'Stop' }).click()
    await visible(again.getByText('Stopped. The run is kept in Runs.'))
    expect(await again.getByRole('list', { name: 'Results' }).getByRole('listitem').count()).toBe(1)
    await again.getByRole('button', { name: 'Done' }).click()
    await visible(page.getByRole('button', { name: /^Open run sandbox-libraries, Stopped, .*, 1 passed$/ }))
    expect(await page.getByRole('list', { name: 'Past runs' }).getByRole('listitem').count()).toBe(2)
  }, 90_000)
})
