/** The benchmark's printed table: figures, goals and a pass/over mark for each. */

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0)
    return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

export interface TableRow {
  measure: string
  figure: string
  goal: string
  /** null for rows that only explain (no goal). */
  pass: boolean | null
}

export function ms(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(0)} ms` : 'n/a'
}

/** "median 120 ms (min 110, max 160, n=7)" */
export function spread(values: readonly number[]): string {
  if (values.length === 0)
    return 'n/a'
  return `${ms(median(values))} (min ${Math.min(...values).toFixed(0)}, max ${Math.max(...values).toFixed(0)}, n=${values.length})`
}

function mark(pass: boolean | null): string {
  if (pass === null)
    return ''
  return pass ? 'pass' : 'OVER'
}

/** A plain-text table with aligned columns. */
export function formatTable(rows: readonly TableRow[]): string {
  const header = ['measure', 'figure', 'goal', '']
  const cells = rows.map(row => [row.measure, row.figure, row.goal, mark(row.pass)])
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map(line => line[column].length)))
  const line = (values: string[]): string => values.map((value, column) => value.padEnd(widths[column])).join('  ').trimEnd()
  return [line(header), widths.map(width => '-'.repeat(width)).join('  '), ...cells.map(line)].join('\n')
}
