/**
 * The texts of recovery mail. The reset code is given as text to paste into
 * the app, not as a link: a link would be built from the request's Host
 * header, which a stranger asking for a reset could forge.
 */
import type { MailMessage } from './mailer.js'

/** "30 minutes", "1 minute", "20 seconds": how long a code works, in words. */
export function describeDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000)
  if (minutes >= 1)
    return minutes === 1 ? '1 minute' : `${minutes} minutes`
  const seconds = Math.max(1, Math.round(ms / 1000))
  return seconds === 1 ? '1 second' : `${seconds} seconds`
}

export function passwordResetMessage(to: string, username: string, code: string, validFor: string): MailMessage {
  return {
    to,
    subject: 'Reset your Pigeon password',
    text: [
      `Hello ${username},`,
      '',
      'Someone (hopefully you) asked to reset the password of your',
      'Pigeon account. Open Pigeon, choose "Forgot password?", then',
      '"I have a code", and paste this code:',
      '',
      `Reset code: ${code}`,
      '',
      `The code works once, within ${validFor}. Setting a new password`,
      'signs out every device of this account.',
      '',
      'If you did not ask for this, ignore this message: your password',
      'stays as it is.',
    ].join('\n'),
  }
}

export function usernameReminderMessage(to: string, username: string): MailMessage {
  return {
    to,
    subject: 'Your Pigeon username',
    text: [
      'Hello,',
      '',
      'Someone (hopefully you) asked which username belongs to this',
      'email address.',
      '',
      `Username: ${username}`,
      '',
      'You can sign in with this username or with this email address.',
      'If you did not ask for this, ignore this message.',
    ].join('\n'),
  }
}
