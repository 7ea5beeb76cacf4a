/**
 * Sending recovery mail. With SMTP_URL set, nodemailer delivers it; without,
 * the message is written as an .eml file to DATA_DIR/outbox/ and its path is
 * logged, so a self-hoster (and the tests) can read it.
 */
import type { Logger } from '../log.js'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import nodemailer from 'nodemailer'

export interface MailMessage {
  to: string
  subject: string
  text: string
}

export interface Mailer {
  send: (message: MailMessage) => Promise<void>
}

/** Delivers through the SMTP server at `smtpUrl` (smtp:// or smtps://). */
export function createSmtpMailer(smtpUrl: string, from: string, log: Logger): Mailer {
  const transport = nodemailer.createTransport(smtpUrl)
  return {
    send: async (message) => {
      const info = await transport.sendMail({ from, ...message })
      log.info('mail_sent', { messageId: info.messageId })
    },
  }
}

/** Writes each message as DATA_DIR/outbox/<time>-<id>.eml (a complete MIME message). */
export function createOutboxMailer(outboxDir: string, from: string, log: Logger): Mailer {
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' })
  return {
    send: async (message) => {
      const info = await builder.sendMail({ from, ...message })
      await mkdir(outboxDir, { recursive: true })
      const file = path.join(outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`)
      await writeFile(file, info.message as Buffer, { mode: 0o600 })
      log.info('mail_outbox', { path: file })
    },
  }
}

/** SMTP when configured, else the outbox folder. */
export function createMailer(options: { smtpUrl: string, from: string, dataDir: string, log: Logger }): Mailer {
  return options.smtpUrl
    ? createSmtpMailer(options.smtpUrl, options.from, options.log)
    : createOutboxMailer(path.join(options.dataDir, 'outbox'), options.from, options.log)
}
