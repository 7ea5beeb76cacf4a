import { describe, expect, it } from 'vitest'
import { groupHistoryByDay, searchHistory } from '../../../src/domain/history'

function sent(at: Date, fields: { name?: string, method?: string, url?: string, status?: number } = {}) {
  return {
    sentAt: at.getTime(),
    request: { name: fields.name ?? '', method: fields.method ?? 'GET', url: fields.url ?? 'https://x.io' },
    response: { status: fields.status ?? 200 },
  }
}

describe('history grouped by day', () => {
  const now = new Date(2026, 10, 27, 15, 0)

  it('puts today and yesterday first, newest entry first', () => {
    const morning = sent(new Date(2026, 10, 27, 9, 0))
    const afternoon = sent(new Date(2026, 10, 27, 14, 0))
    const lateYesterday = sent(new Date(2026, 10, 26, 23, 59))
    const lastWeek = sent(new Date(2026, 10, 20, 12, 0))
    const groups = groupHistoryByDay([lastWeek, morning, lateYesterday, afternoon], now, 'en-US')
    expect(groups.map(group => group.label)).toEqual(['Today', 'Yesterday', 'Friday, November 20, 2026'])
    expect(groups[0].entries).toEqual([afternoon, morning])
    expect(groups[1].entries).toEqual([lateYesterday])
    expect(groups[2].day).toBe(new Date(2026, 10, 20).getTime())
  })

  it('gives nothing for no history', () => {
    expect(groupHistoryByDay([], now)).toEqual([])
  })

  it('says Yesterday just after midnight', () => {
    const groups = groupHistoryByDay([sent(new Date(2026, 10, 26, 23, 0))], new Date(2026, 10, 27, 0, 5))
    expect(groups[0].label).toBe('Yesterday')
  })
})

describe('searching history', () => {
  const login = sent(new Date(), { name: 'Login', method: 'POST', url: 'https://auth.example.com/login', status: 401 })
  const users = sent(new Date(), { name: 'Users', method: 'GET', url: 'https://api.example.com/users', status: 200 })
  const failed = sent(new Date(), { method: 'DELETE', url: 'https://api.example.com/users/1', status: 0 })
  const all = [login, users, failed]

  it('finds entries by URL, method, name or status', () => {
    expect(searchHistory(all, 'auth.example')).toEqual([login])
    expect(searchHistory(all, 'post')).toEqual([login])
    expect(searchHistory(all, 'users')).toEqual([users, failed])
    expect(searchHistory(all, '401')).toEqual([login])
  })

  it('needs every word to match', () => {
    expect(searchHistory(all, 'get users')).toEqual([users])
    expect(searchHistory(all, 'get 404')).toEqual([])
  })

  it('does not match the status 0 of a request that never got an answer', () => {
    expect(searchHistory(all, '0')).toEqual([login, users])
  })

  it('keeps everything for an empty search', () => {
    expect(searchHistory(all, '   ')).toEqual(all)
  })
})
