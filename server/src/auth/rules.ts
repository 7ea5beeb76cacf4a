/**
 * The rules for what a user types at sign-up, each failure a sentence that
 * says what to change. Email and username are compared lowercase.
 */

export const USERNAME_RULE = 'A username has 3 to 32 characters: lowercase letters, digits, and _ . -'
export const MIN_PASSWORD_LENGTH = 10
const MAX_PASSWORD_LENGTH = 1024

export function normalizeLogin(value: string): string {
  return value.trim().toLowerCase()
}

/** Null when the username is acceptable, else what is wrong with it. */
export function usernameProblem(username: string): string | null {
  if (!/^[a-z0-9_.-]{3,32}$/.test(username))
    return `"${username.slice(0, 40)}" cannot be a username. ${USERNAME_RULE}.`
  return null
}

/** Null when the email looks deliverable, else what is wrong with it. */
export function emailProblem(email: string): string | null {
  if (email.length > 254 || !/^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/.test(email))
    return 'That email address does not look right. Use the form name@example.com.'
  return null
}

/** Null when the password is acceptable, else what is wrong with it. */
export function passwordProblem(password: string, { username, email }: { username?: string, email?: string } = {}): string | null {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `The password is too short. Use at least ${MIN_PASSWORD_LENGTH} characters.`
  if (password.length > MAX_PASSWORD_LENGTH)
    return `The password is too long. Use at most ${MAX_PASSWORD_LENGTH} characters.`
  if (new Set(password).size === 1)
    return 'The password repeats one character. Use a mix of characters, or a few words.'
  const lower = password.toLowerCase()
  if ((username && lower === username) || (email && lower === email))
    return 'The password must not be your username or email address.'
  return null
}

