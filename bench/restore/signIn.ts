/**
 * The benchmark's sign-in: through the dialog, timed in the page's own clock
 * from the click on "Sign in" to usable (the first tree rows are on screen),
 * to every request's sidebar row stored, and to In sync (the status reads In sync and the restore is done: the bar
 * is gone and the store set the `pigeon:restored` mark).
 */
import type { Page } from 'playwright-core'

export interface RestoreTimes {
  usableMs: number
  /** Until every request's sidebar row was stored (the `pigeon:tree-rows-stored` mark of a staged write), when the app marks it. */
  wholeTreeMs: number | null
  inSyncMs: number
}

/** Signs in through the dialog and times, in the page's own clock, from the click to usable and to In sync. */
export async function signInAndTime(page: Page, username: string, password: string): Promise<RestoreTimes> {
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: 'Sign in to Pigeon' })
  await dialog.getByRole('textbox', { name: 'Email or username' }).fill(username)
  await dialog.getByLabel('Password', { exact: true }).fill(password)
  const submit = dialog.getByRole('button', { name: 'Sign in', exact: true })
  await submit.evaluate(button => button.addEventListener('click', (event) => {
    (window as unknown as { signInAt: number }).signInAt = event.timeStamp
  }, { capture: true }))
  await submit.click()

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
  const wholeTreeAt = await page.evaluate(() => performance.getEntriesByName('pigeon:tree-rows-stored')[0]?.startTime ?? null)
  // waitForFunction resolves only on a truthy value, so both are numbers here.
  return {
    usableMs: Number(await usableAt.jsonValue()) - signInAt,
    wholeTreeMs: wholeTreeAt === null ? null : wholeTreeAt - signInAt,
    inSyncMs: Number(await inSyncAt.jsonValue()) - signInAt,
  }
}
