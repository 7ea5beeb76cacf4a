import type { PigeonServer } from '../../support/pigeonServer'
import type { SmtpSink } from './smtpSink'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPigeonServer } from '../../support/pigeonServer'
import { startSmtpSink } from './smtpSink'
import { Device, resetCodeIn, signedUpUser } from './support'

let sink: SmtpSink
let server: PigeonServer

beforeAll(async () => {
  sink = await startSmtpSink()
  server = await startPigeonServer({ env: { TRUST_PROXY: '1', SMTP_URL: `smtp://127.0.0.1:${sink.port}`, MAIL_FROM: 'Pigeon <pigeon@example.com>' } })
})
afterAll(async () => {
  await server?.stop()
  await sink?.close()
})

async function mailTo(email: string): Promise<string> {
  const deadline = Date.now() + 5000
  while (Date.now() < deadline) {
    const mail = sink.received.find(m => m.to.some(to => to.includes(email)))
    if (mail)
      return mail.data.replace(/=\r?\n/g, '')
    await new Promise(resolve => setTimeout(resolve, 25))
  }
  throw new Error(`No mail to ${email} reached the SMTP server.`)
}

describe('recovery mail over SMTP', () => {
  it('sends the reset code through SMTP_URL, and not to the outbox', async () => {
    const { account } = await signedUpUser(server.url)
    expect((await new Device(server.url).post('/api/auth/forgot-password', { login: account.email })).status).toBe(202)
    const mail = await mailTo(account.email)
    expect(mail).toContain('From: Pigeon <pigeon@example.com>')
    expect(mail).toContain('Subject: Reset your Pigeon password')
    expect(existsSync(path.join(server.dataDir, 'outbox'))).toBe(false)

    const reset = await new Device(server.url).post('/api/auth/reset-password', { token: resetCodeIn(mail), password: 'a new password here' })
    expect(reset.status).toBe(200)
    expect((await new Device(server.url).signIn(account.username, 'a new password here')).status).toBe(200)
  })
})
