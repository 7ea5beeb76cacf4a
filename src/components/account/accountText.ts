/** Small words-and-letters helpers for the account components. */

/** Up to two letters for an avatar: "ada.lovelace" → "AL", "ada" → "AD". */
export function initialsOf(username: string): string {
  const parts = username.split(/[._-]+/).filter(Boolean)
  const letters = parts.length >= 2 ? parts[0][0] + parts[1][0] : username.slice(0, 2)
  return letters.toUpperCase() || '?'
}

/** "just now", "5 minutes ago", "3 hours ago", "2 days ago", or the date. */
export function timeAgo(at: number, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - at) / 1000))
  if (seconds < 60)
    return 'just now'
  const minutes = Math.round(seconds / 60)
  if (minutes < 60)
    return `${minutes} minute${minutes === 1 ? '' : 's'} ago`
  const hours = Math.round(minutes / 60)
  if (hours < 24)
    return `${hours} hour${hours === 1 ? '' : 's'} ago`
  const days = Math.round(hours / 24)
  if (days < 30)
    return `${days} day${days === 1 ? '' : 's'} ago`
  return `on ${new Date(at).toLocaleDateString()}`
}

/** The sentence to show for anything thrown. */
export { errorMessage as messageOf } from '../../stores/notifications'

/** Which form field a server refusal is about (the session store reads the API's codes). */
export { fieldOf } from '../../stores/session'
