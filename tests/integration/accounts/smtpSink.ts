/**
 * A tiny real SMTP server on a loopback port that accepts every message and
 * keeps it, so a test can check what Pigeon sends when SMTP_URL is set. It
 * speaks just enough of RFC 5321 for nodemailer (no TLS, no auth).
 */
import type { AddressInfo, Socket } from 'node:net'
import { createServer } from 'node:net'

export interface ReceivedMail {
  from: string
  to: string[]
  data: string
}

export interface SmtpSink {
  port: number
  received: ReceivedMail[]
  close: () => Promise<void>
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = []
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.setEncoding('utf8')
    let buffer = ''
    let inData = false
    let mail: ReceivedMail = { from: '', to: [], data: '' }
    const reply = (line: string): void => {
      socket.write(`${line}\r\n`)
    }
    reply('220 sink.test ESMTP')
    socket.on('data', (chunk: string) => {
      buffer += chunk
      while (true) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n')
          if (end < 0)
            return
          mail.data = buffer.slice(0, end).replace(/^\.\./gm, '.')
          buffer = buffer.slice(end + 5)
          inData = false
          received.push(mail)
          mail = { from: '', to: [], data: '' }
          reply('250 2.0.0 Queued')
          continue
        }
        const eol = buffer.indexOf('\r\n')
        if (eol < 0)
          return
        const line = buffer.slice(0, eol)
        buffer = buffer.slice(eol + 2)
        const verb = line.slice(0, 4).toUpperCase()
        switch (verb) {
          case 'EHLO':
          case 'HELO':
            reply('250 sink.test')
            break
          case 'MAIL':
            mail.from = line.slice(10).trim()
            reply('250 2.1.0 OK')
            break
          case 'RCPT':
            mail.to.push(line.slice(8).trim())
            reply('250 2.1.5 OK')
            break
          case 'DATA':
            inData = true
            reply('354 End data with <CR><LF>.<CR><LF>')
            break
          case 'QUIT':
            reply('221 2.0.0 Bye')
            socket.end()
            break
          case 'RSET':
          case 'NOOP':
            reply('250 2.0.0 OK')
            break
          default:
            reply('502 5.5.1 Not implemented')
        }
      }
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    received,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets)
        socket.destroy()
      server.close(() => resolve())
    }),
  }
}
