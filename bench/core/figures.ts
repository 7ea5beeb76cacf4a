/** The figures of a run as table rows, each against issue 2's goal. */
import { median, ms, spread, type TableRow } from './report'
import type { SeedReport } from './seed'
import type { FilterTiming, LoadTiming } from './uiTimings'

const FIRST_ROWS_GOAL_MS = 300
const FILTER_GOAL_MS = 50
const IMPORT_GOAL_RATIO = 3

/** Terms a person might type, from one letter (nearly everything matches) to nothing matching. */
export const FILTER_TERMS = ['e', 'refunds', 'export csv', 'billing/v1/invoices', 'archive', 'no-such-endpoint']

/** Time to the first tree rows over several loads: in the DOM, and painted. */
export function loadRows(label: string, timings: LoadTiming[]): TableRow[] {
  const inDom = timings.map(t => t.firstRowsMs)
  const painted = timings.map(t => t.firstRowsPaintedMs)
  return [
    { measure: `First tree rows in the DOM, ${label}`, figure: spread(inDom), goal: `≤ ${FIRST_ROWS_GOAL_MS} ms`, pass: median(inDom) <= FIRST_ROWS_GOAL_MS },
    { measure: `First tree rows painted, ${label}`, figure: spread(painted), goal: `≤ ${FIRST_ROWS_GOAL_MS} ms`, pass: median(painted) <= FIRST_ROWS_GOAL_MS },
  ]
}

/** Filter times: the median over the terms, then each term, then clearing. */
export function filterRows(timings: FilterTiming[]): TableRow[] {
  const typed = timings.filter(t => t.term !== '')
  const perTerm = FILTER_TERMS.map(term => median(typed.filter(t => t.term === term).map(t => t.changedMs)))
  const perTermPainted = FILTER_TERMS.map(term => median(typed.filter(t => t.term === term).map(t => t.paintedMs)))
  const rows: TableRow[] = [
    { measure: `Filter the tree, rows changed (median of ${FILTER_TERMS.length} terms)`, figure: `${ms(median(perTerm))} (worst term ${ms(Math.max(...perTerm))})`, goal: `≤ ${FILTER_GOAL_MS} ms`, pass: median(perTerm) <= FILTER_GOAL_MS },
    { measure: `Filter the tree, new rows painted (median of ${FILTER_TERMS.length} terms)`, figure: `${ms(median(perTermPainted))} (worst term ${ms(Math.max(...perTermPainted))})`, goal: `≤ ${FILTER_GOAL_MS} ms`, pass: median(perTermPainted) <= FILTER_GOAL_MS },
  ]
  FILTER_TERMS.forEach((term, index) => {
    const shown = typed.find(t => t.term === term)?.rowsShown ?? 0
    rows.push({ measure: `  “${term}” (${shown} rows on screen)`, figure: `${ms(perTerm[index])} / painted ${ms(perTermPainted[index])}`, goal: `≤ ${FILTER_GOAL_MS} ms`, pass: Math.max(perTerm[index], perTermPainted[index]) <= FILTER_GOAL_MS })
  })
  const cleared = timings.filter(t => t.term === '').map(t => t.changedMs)
  rows.push({ measure: '  clearing the filter (whole tree back)', figure: spread(cleared), goal: '', pass: null })
  return rows
}

/** importEntities against a bare bulkPut, and what explains the difference. */
export function importRows(report: Extract<SeedReport, { state: 'done' }>): TableRow[] {
  const { importMs, transactMs, bulkPutMs, reopenMs, treeReadMs, updateBytes } = report.timings
  const ratio = median(importMs) / median(bulkPutMs)
  return [
    { measure: 'Import: importEntities → Y.Doc + Dexie', figure: spread(importMs), goal: '', pass: null },
    { measure: '  of which the Yjs transaction (importEntities returns)', figure: spread(transactMs), goal: '', pass: null },
    { measure: 'Import: bare Dexie bulkPut of the same rows', figure: spread(bulkPutMs), goal: '', pass: null },
    { measure: 'Import: ratio of the medians', figure: `${ratio.toFixed(2)}×`, goal: `≤ ${IMPORT_GOAL_RATIO}×`, pass: ratio <= IMPORT_GOAL_RATIO },
    { measure: '  reopening the imported workspace doc (log → Y.Doc)', figure: spread(reopenMs), goal: '', pass: null },
    { measure: '  reading the sidebar rows from Dexie (3 queries)', figure: spread(treeReadMs), goal: '', pass: null },
    { measure: '  size of the stored Yjs update', figure: `${(updateBytes / 1024 / 1024).toFixed(2)} MiB`, goal: '', pass: null },
  ]
}
