/**
 * The History sidebar: entries grouped by the day they were sent (in the
 * device's time zone), and a search over what people remember of a request.
 */
import type { HistoryEntry } from './model'

/** The fields of an entry that grouping and search read (full entries fit). */
export type HistoryItem = Pick<HistoryEntry, 'sentAt'> & {
  request: Pick<HistoryEntry['request'], 'name' | 'method' | 'url'>
  response: Pick<HistoryEntry['response'], 'status'>
}

export interface HistoryDay<T> {
  /** 'Today', 'Yesterday' or the date in the user's locale. */
  label: string
  /** Midnight (local time) that starts the day, in ms. */
  day: number
  /** Newest first. */
  entries: T[]
}

function startOfDay(time: number): number {
  const date = new Date(time)
  date.setHours(0, 0, 0, 0)
  return date.getTime()
}

function previousDay(dayStart: number): number {
  // Going back 12 hours then to midnight is right across daylight-saving changes.
  return startOfDay(dayStart - 12 * 60 * 60 * 1000)
}

/** Groups entries by day, newest day and newest entry first. */
export function groupHistoryByDay<T extends Pick<HistoryEntry, 'sentAt'>>(entries: readonly T[], now: number | Date = Date.now(), locale?: string): Array<HistoryDay<T>> {
  const today = startOfDay(typeof now === 'number' ? now : now.getTime())
  const yesterday = previousDay(today)
  const byDay = new Map<number, T[]>()
  for (const entry of entries) {
    const day = startOfDay(entry.sentAt)
    const list = byDay.get(day)
    if (list)
      list.push(entry)
    else
      byDay.set(day, [entry])
  }
  const format = new Intl.DateTimeFormat(locale, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' })
  return [...byDay.entries()]
    .sort(([a], [b]) => b - a)
    .map(([day, list]) => ({
      label: day === today ? 'Today' : day === yesterday ? 'Yesterday' : format.format(day),
      day,
      entries: list.sort((a, b) => b.sentAt - a.sentAt),
    }))
}

/**
 * Entries where every word of `term` appears in the URL, method, name or
 * status code (case-insensitive): "post 404" finds failed POSTs.
 */
export function searchHistory<T extends HistoryItem>(entries: readonly T[], term: string): T[] {
  const words = term.trim().toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0)
    return [...entries]
  return entries.filter((entry) => {
    const haystack = [entry.request.url, entry.request.method, entry.request.name, entry.response.status ? String(entry.response.status) : '']
      .join('\n')
      .toLowerCase()
    return words.every(word => haystack.includes(word))
  })
}
