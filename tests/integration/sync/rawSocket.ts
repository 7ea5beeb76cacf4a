/**
 * A deliberately raw WebSocket client for the bad-input tests: it writes the
 * upgrade request and frames byte by byte (any path, any bytes, frames sent
 * in the same packet as the upgrade), and reports how the server answered.
 */
import { randomBytes } from 'node:crypto'
import net from 'node:net'

export interface RawAnswer {
  /** HTTP status of the upgrade answer (101 when it was accepted). */
  status: number
  /** Close code and reason of the server's close frame, when it sent one. */
  closeCode?: number
  closeReason?: string
  /** Payloads of binary frames the server sent before closing. */
  messages: Buffer[]
}

/** Encodes one masked client frame (opcode 1 = text, 2 = binary). */
export function clientFrame(payload: Uint8Array, opcode = 2): Buffer {
  const length = payload.length
  const header = length < 126
    ? Buffer.from([0x80 | opcode, 0x80 | length])
    : length < 65536
      ? Buffer.from([0x80 | opcode, 0x80 | 126, length >> 8, length & 0xFF])
      : Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | 127]), (() => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(length)); return b })()])
  const mask = randomBytes(4)
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]))
  return Buffer.concat([header, mask, masked])
}

/** Parses the server's (unmasked) frames out of `data`. */
function serverFrames(data: Buffer): Array<{ opcode: number, payload: Buffer }> {
  const frames: Array<{ opcode: number, payload: Buffer }> = []
  let at = 0
  while (at + 2 <= data.length) {
    const opcode = data[at] & 0x0F
    let length = data[at + 1] & 0x7F
    let start = at + 2
    if (length === 126) {
      length = data.readUInt16BE(at + 2)
      start = at + 4
    }
    else if (length === 127) {
      length = Number(data.readBigUInt64BE(at + 2))
      start = at + 10
    }
    if (start + length > data.length)
      break
    frames.push({ opcode, payload: data.subarray(start, start + length) })
    at = start + length
  }
  return frames
}

export interface RawUpgradeOptions {
  headers?: Record<string, string>
  /** Frames written in the same packet as the upgrade request, before any answer. */
  early?: Buffer[]
  /** Frames written once the upgrade is accepted. */
  frames?: Buffer[]
  /** Stop as soon as the server sent this many binary messages (instead of waiting for its close). */
  messages?: number
  timeoutMs?: number
}

/** Sends an upgrade for `path` to the server on `port` and collects the answer until the server closes. */
export function rawUpgrade(port: number, path: string, options: RawUpgradeOptions = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    let received = Buffer.alloc(0)
    let accepted = false
    let settled = false
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`The server neither answered nor closed ${JSON.stringify(path.slice(0, 80))} within ${options.timeoutMs ?? 10_000} ms.`))
    }, options.timeoutMs ?? 10_000)

    const finish = (): void => {
      if (settled)
        return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      const headerEnd = received.indexOf('\r\n\r\n')
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received.toString('latin1'))?.[1] ?? 0)
      const answer: RawAnswer = { status, messages: [] }
      if (status === 101 && headerEnd >= 0) {
        for (const frame of serverFrames(received.subarray(headerEnd + 4))) {
          if (frame.opcode === 0x8 && frame.payload.length >= 2) {
            answer.closeCode = frame.payload.readUInt16BE(0)
            answer.closeReason = frame.payload.subarray(2).toString('utf8')
          }
          else if (frame.opcode === 0x2) {
            answer.messages.push(frame.payload)
          }
        }
      }
      resolve(answer)
    }

    socket.on('connect', () => {
      const headers = {
        'host': `localhost:${port}`,
        'connection': 'Upgrade',
        'upgrade': 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
        ...options.headers,
      }
      const request = `GET ${path} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`
      socket.write(Buffer.concat([Buffer.from(request, 'latin1'), ...(options.early ?? [])]))
    })
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk])
      const headerEnd = received.indexOf('\r\n\r\n')
      const frames = headerEnd >= 0 ? serverFrames(received.subarray(headerEnd + 4)) : []
      if (frames.some(f => f.opcode === 0x8) || (options.messages !== undefined && frames.filter(f => f.opcode === 0x2).length >= options.messages)) {
        // The server closed: answer nothing and stop, so it need not wait for our close frame.
        finish()
        return
      }
      if (!accepted && received.includes('\r\n\r\n') && received.subarray(0, 12).toString('latin1').includes('101')) {
        accepted = true
        for (const frame of options.frames ?? [])
          socket.write(frame)
      }
    })
    socket.on('error', () => finish())
    socket.on('close', () => finish())
  })
}
