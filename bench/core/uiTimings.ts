/**
 * The two UI timings, measured in the page: how long after navigation the
 * sidebar shows its first tree rows, and how long the tree takes to show
 * different rows after a filter term is typed into its search box.
 */
import type { Page } from 'playwright-core'

/** What one load of the app took, in ms after navigation start. */
export interface LoadTiming {
  /** The first role=treeitem is in the DOM. */
  firstRowsMs: number
  /** The frame after that one started: the rows have been painted. */
  firstRowsPaintedMs: number
  /** The app's own `pigeon:tree-rendered` mark (whole tree read, rows on screen), when it set one. */
  appMarkMs: number | null
  domContentLoadedMs: number
  /** When the last long task (> 50 ms) before a quiet second ended: the app is responsive from here on. */
  settledMs: number
  /** The longest task of the load: how long the page could not react to input at once. */
  longestTaskMs: number
}

/** A second without long tasks counts as settled. */
const QUIET_MS = 1000

interface LoadWatch {
  firstRows?: { inDom: number, painted?: number }
  longTasks: Array<{ start: number, end: number }>
}

declare global {
  interface Window { pigeonLoadWatch?: LoadWatch }
}

/**
 * Installed before any script of each page: notes when the first tree row
 * appears (performance.now() counts from navigation start), when the frame
 * after it begins, and every long task.
 */
function watchLoad(): void {
  const watch: LoadWatch = { longTasks: [] }
  window.pigeonLoadWatch = watch
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      watch.longTasks.push({ start: entry.startTime, end: entry.startTime + entry.duration })
  }).observe({ type: 'longtask', buffered: true })
  const observer = new MutationObserver(() => {
    if (!document.querySelector('[role="treeitem"]'))
      return
    observer.disconnect()
    const seen: { inDom: number, painted?: number } = { inDom: performance.now() }
    watch.firstRows = seen
    requestAnimationFrame(() => setTimeout(() => { seen.painted = performance.now() }, 0))
  })
  observer.observe(document, { childList: true, subtree: true })
}

/** Prepares `page` so every navigation records its first rows and long tasks. */
export async function recordFirstRows(page: Page): Promise<void> {
  await page.addInitScript(watchLoad)
}

/**
 * Waits until the page has had no long task for a second, so work left over
 * from one load (a big document still loading) never delays the next
 * measurement. Evaluations wait while the page's main thread is busy.
 */
async function waitUntilSettled(page: Page): Promise<void> {
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    const quietFor = await page.evaluate(() => {
      const watch = window.pigeonLoadWatch!
      const lastEnd = Math.max(watch.firstRows?.painted ?? 0, ...watch.longTasks.map(task => task.end))
      return performance.now() - lastEnd
    })
    if (quietFor >= QUIET_MS)
      return
    await new Promise(resolve => setTimeout(resolve, Math.max(50, QUIET_MS - quietFor)))
  }
  throw new Error('The app was still busy 2 minutes after it started.')
}

/** Navigates (or reloads), waits for the first rows and for the app to settle, and returns the timings. */
export async function timeLoad(page: Page, url: string): Promise<LoadTiming> {
  await page.goto(url, { waitUntil: 'commit' })
  await page.waitForFunction(() => window.pigeonLoadWatch?.firstRows?.painted !== undefined, undefined, { timeout: 120_000, polling: 50 })
  await waitUntilSettled(page)
  // The app marks when the whole tree is read; an app without the mark must not hang the benchmark.
  await page.waitForFunction(() => performance.getEntriesByName('pigeon:tree-rendered', 'mark').length > 0, undefined, { timeout: 30_000, polling: 100 })
    .catch(() => undefined)
  return page.evaluate(() => {
    const watch = window.pigeonLoadWatch!
    const mark = performance.getEntriesByName('pigeon:tree-rendered', 'mark')[0]
    const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined
    return {
      firstRowsMs: watch.firstRows!.inDom,
      firstRowsPaintedMs: watch.firstRows!.painted!,
      appMarkMs: mark ? mark.startTime : null,
      domContentLoadedMs: navigation ? navigation.domContentLoadedEventEnd : 0,
      settledMs: Math.max(watch.firstRows!.painted!, ...watch.longTasks.map(task => task.end)),
      longestTaskMs: Math.max(0, ...watch.longTasks.map(task => task.end - task.start)),
    }
  })
}

/** What filtering took for one term, in ms after the input event. */
export interface FilterTiming {
  term: string
  /** The tree's rows in the DOM are different. */
  changedMs: number
  /** The frame after that one started: the new rows have been painted. */
  paintedMs: number
  /** Tree rows in the DOM afterwards (the list is virtual: only those on screen). */
  rowsShown: number
}

/**
 * Sets the filter box to `term` as one input event (like typing its last
 * character, or pasting) and times until the tree's rows differ. Resolves
 * after the next frame, so consecutive terms do not overlap.
 */
export async function timeFilter(page: Page, term: string): Promise<FilterTiming> {
  const timing = await page.evaluate(async (text) => {
    const input = document.querySelector<HTMLInputElement>('input[aria-label="Filter collections"]')
    if (!input)
      throw new Error('The sidebar has no "Filter collections" box.')
    const panel = input.closest('.panel') ?? document.body
    const shown = (): string => {
      const tree = panel.querySelector('[role="tree"]')
      if (!tree)
        return `no tree: ${panel.textContent ?? ''}`
      return [...tree.querySelectorAll<HTMLElement>('[role="treeitem"]')].map(row => row.dataset.id).join(',')
    }
    const before = shown()
    return new Promise<{ changedMs: number, paintedMs: number, rowsShown: number }>((resolve, reject) => {
      let started = 0
      const timer = setTimeout(() => {
        observer.disconnect()
        reject(new Error(`The tree did not change within 10 s after filtering by “${text}”.`))
      }, 10_000)
      const observer = new MutationObserver(() => {
        if (shown() === before)
          return
        const changedMs = performance.now() - started
        observer.disconnect()
        clearTimeout(timer)
        requestAnimationFrame(() => setTimeout(() => resolve({
          changedMs,
          paintedMs: performance.now() - started,
          rowsShown: panel.querySelectorAll('[role="treeitem"]').length,
        }), 0))
      })
      observer.observe(panel, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['data-id'] })
      started = performance.now()
      input.value = text
      input.dispatchEvent(new Event('input', { bubbles: true }))
    })
  }, term)
  return { term, ...timing }
}
