/**
 * The benchmark's sign-in: through the dialog, timed in the page's own clock
 * from the click on "Sign in" to usable (the first tree rows are on screen),
 * to every request's sidebar row stored (counted in the page's IndexedDB
 * every 50 ms), and to In sync (the status reads In sync and the restore is done: the bar
 * is gone and the store set the `pigeon:restored` mark).
 */
import type { Page } from 'playwright-core'

export interface RestoreTimes {
  usableMs: number
  /** Until every request's sidebar row was stored. */
  wholeTreeMs: number
  inSyncMs: number
}

/** Signs in through the dialog and times, in the page's own clock, from the click to usable and to In sync. */
export async function signInAndTime(page: Page, username: string, password: string, requests: number): Promise<RestoreTimes> {
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: 'Sign in to Pigeon' })
  await dialog.getByRole('textbox', { name: 'Email or username' }).fill(username)
  await dialog.getByLabel('Password', { exact: true }).fill(password)
  const submit = dialog.getByRole('button', { name: 'Sign in', exact: true })
  await submit.evaluate(button => button.addEventListener('click', (event) => {
    (window as unknown as { signInAt: number }).signInAt = event.timeStamp
  }, { capture: true }))
  await submit.click()

  const wholeTreeAt = whenSidebarHolds(page, requests)
  const usableAt = await page.waitForFunction(() => document.querySelector('[role="treeitem"]') ? performance.now() : null, undefined, { polling: 'raf', timeout: 60_000 })
  const inSyncAt = await page.waitForFunction(() => {
    const status = document.querySelector('[role="status"][aria-label="Sync status"]')?.textContent ?? ''
    const barGone = !document.querySelector('[role="progressbar"][aria-label="Restoring your workspaces"]')
    return status.includes('In sync') && barGone && performance.getEntriesByName('pigeon:restored').length > 0 ? performance.now() : null
  }, undefined, { polling: 20, timeout: 120_000 })
  const signInAt = await page.evaluate(() => (window as unknown as { signInAt: number }).signInAt)
  if (process.env.RESTORE_BENCH_MARKS) {
    const marks = await page.evaluate(() => performance.getEntriesByType('mark').map(mark => [mark.name, mark.startTime] as const))
    console.log(marks.filter(([, at]) => at >= signInAt).map(([name, at]) => `${(at - signInAt).toFixed(0).padStart(6)} ms  ${name}`).join('\n'))
  }
  // waitForFunction resolves only on a truthy value, so both are numbers here.
  return {
    usableMs: Number(await usableAt.jsonValue()) - signInAt,
    wholeTreeMs: await wholeTreeAt - signInAt,
    inSyncMs: Number(await inSyncAt.jsonValue()) - signInAt,
  }
}

/** The page's time when its sidebar rows first add up to `requests`, counted every 50 ms. */
async function whenSidebarHolds(page: Page, requests: number): Promise<number> {
  const giveUpAt = Date.now() + 120_000
  while (Date.now() < giveUpAt) {
    const { rows, at } = await page.evaluate(countSidebarRows)
    if (rows >= requests)
      return at
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  throw new Error(`The sidebar did not hold ${requests} requests within 2 minutes.`)
}

/**
 * In the page: the sidebar rows (`requestTree`) of every database, and when
 * they were counted. Connections stay open between counts (opening one each
 * time made a count lag the rows by a second while the app wrote).
 */
async function countSidebarRows(): Promise<{ rows: number, at: number }> {
  const open = ((window as unknown as { benchConnections?: Map<string, IDBDatabase> }).benchConnections ??= new Map())
  let rows = 0
  for (const { name } of await indexedDB.databases()) {
    if (!name)
      continue
    let db = open.get(name)
    if (!db) {
      db = await new Promise<IDBDatabase | undefined>((resolve) => {
        const opening = indexedDB.open(name)
        opening.onerror = () => resolve(undefined)
        opening.onsuccess = () => resolve(opening.result)
      })
      if (!db || !db.objectStoreNames.contains('requestTree')) {
        db?.close()
        continue
      }
      // Never in the app's way: a version change closes this connection.
      db.onversionchange = () => {
        db!.close()
        open.delete(name)
      }
      open.set(name, db)
    }
    const store = db.transaction('requestTree').objectStore('requestTree')
    rows += await new Promise<number>((resolve) => {
      const counting = store.count()
      counting.onsuccess = () => resolve(counting.result)
      counting.onerror = () => resolve(0)
    })
  }
  return { rows, at: performance.now() }
}
