/** Small words-and-letters helpers for the account components. */
import { ApiError } from '../../api'

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
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * Which form field a server refusal is about, so the sentence can sit next to
 * it; null puts it in the form's alert.
 */
export function fieldOf<F extends string>(error: unknown, fields: readonly F[]): F | null {
  if (!(error instanceof ApiError))
    return null
  const byCode: Record<string, string> = {
    username_taken: 'username',
    email_taken: 'email',
    wrong_password: 'password',
    invalid_password: 'password',
    invalid_token: 'code',
    invalid_device_name: 'deviceName',
  }
  const coded = byCode[error.code]
  if (coded && (fields as readonly string[]).includes(coded))
    return coded as F
  if (error.code === 'invalid_signup') {
    const text = error.message.toLowerCase()
    return fields.find(field => text.includes(field.toLowerCase())) ?? null
  }
  return null
}
