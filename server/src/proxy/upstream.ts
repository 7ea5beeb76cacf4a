/**
 * One HTTP exchange with the target (one hop of a possibly redirected
 * request): connect through the address policy, send the headers in the
 * user's order, read the body up to the cap, and time each phase from the
 * socket's events. A fresh socket per hop, so every phase is measured.
 */
import type { ClientRequest, IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { isIP } from 'node:net'
import type { AddressCheck } from './addressPolicy.js'
import { forbiddenTargetError, guardedLookup } from './addressPolicy.js'
import { ProxyError, proxyErrorFrom, tooLargeError } from './errors.js'

export interface HopRequest {
  method: string
  url: URL
  /** Final header list in order; Host and Content-Length included. */
  headers: Array<[string, string]>
  body: Buffer | null
}

export interface HopOptions {
  signal: AbortSignal
  maxResponseBytes: number
  checkAddress: AddressCheck
}

export interface HopTimings {
  dns?: number
  connect?: number
  tls?: number
  firstByte?: number
  download?: number
}

export interface HopResponse {
  status: number
  statusText: string
  headers: Array<[string, string]>
  /** Body bytes as received on the wire (still content-encoded). */
  body: Buffer
  timings: HopTimings
}

/** Targets may send large cookies and tokens; Node's default 16 KiB is too tight for an API client. */
const MAX_RESPONSE_HEADER_BYTES = 256 * 1024

function pairs(rawHeaders: string[]): Array<[string, string]> {
  const result: Array<[string, string]> = []
  for (let i = 0; i + 1 < rawHeaders.length; i += 2)
    result.push([rawHeaders[i]!, rawHeaders[i + 1]!])
  return result
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100
}

/** The error to report once the hop's signal fired (timeout or the caller went away). */
function abortReason(signal: AbortSignal, url: URL): ProxyError {
  return signal.reason instanceof ProxyError ? signal.reason : proxyErrorFrom(signal.reason, url)
}

/** Sends one request to the target and reads the whole answer, or rejects with a ProxyError. */
export function sendHop(hop: HopRequest, options: HopOptions): Promise<HopResponse> {
  const { url } = hop
  const { signal } = options
  const literal = url.hostname.replace(/^\[|\]$/g, '')
  if (isIP(literal) && !options.checkAddress(literal))
    return Promise.reject(forbiddenTargetError(literal, literal))
  if (signal.aborted)
    return Promise.reject(abortReason(signal, url))

  return new Promise<HopResponse>((resolve, reject) => {
    const started = performance.now()
    const marks: { lookup?: number, connect?: number, secure?: number, response?: number } = {}
    let settled = false
    const fail = (err: unknown): void => {
      if (settled)
        return
      settled = true
      signal.removeEventListener('abort', onAbort)
      req.destroy()
      reject(signal.aborted ? abortReason(signal, url) : proxyErrorFrom(err, url))
    }
    const onAbort = (): void => fail(signal.reason)

    const send = url.protocol === 'https:' ? httpsRequest : httpRequest
    let req: ClientRequest
    try {
      req = send(url, {
        method: hop.method,
        // A flat [name, value, …] array keeps the user's order and repeated names exactly.
        headers: hop.headers.flat(),
        agent: false,
        lookup: guardedLookup(options.checkAddress),
        maxHeaderSize: MAX_RESPONSE_HEADER_BYTES,
      })
    }
    catch (err) {
      reject(new ProxyError('invalid_url', `The request could not be built: ${(err as Error).message}. Check the method, the URL and the headers.`))
      return
    }
    signal.addEventListener('abort', onAbort, { once: true })

    req.on('socket', (socket: Socket) => {
      socket.once('lookup', () => { marks.lookup = performance.now() })
      socket.once('connect', () => { marks.connect = performance.now() })
      socket.once('secureConnect', () => { marks.secure = performance.now() })
    })
    req.on('error', fail)
    req.on('response', (res: IncomingMessage) => {
      marks.response = performance.now()
      const declared = Number(res.headers['content-length'])
      if (Number.isFinite(declared) && declared > options.maxResponseBytes) {
        fail(tooLargeError(options.maxResponseBytes))
        return
      }
      const chunks: Buffer[] = []
      let received = 0
      res.on('data', (chunk: Buffer) => {
        received += chunk.length
        if (received > options.maxResponseBytes) {
          fail(tooLargeError(options.maxResponseBytes))
          return
        }
        chunks.push(chunk)
      })
      res.on('error', fail)
      res.on('aborted', () => fail(new ProxyError('unknown', `${url.hostname} closed the connection before the whole response arrived. Try again.`)))
      res.on('end', () => {
        if (settled)
          return
        settled = true
        signal.removeEventListener('abort', onAbort)
        const ended = performance.now()
        const connected = marks.connect ?? marks.lookup ?? started
        const ready = marks.secure ?? connected
        resolve({
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          headers: pairs(res.rawHeaders),
          body: Buffer.concat(chunks),
          timings: {
            dns: marks.lookup === undefined ? undefined : round(marks.lookup - started),
            connect: marks.connect === undefined ? undefined : round(marks.connect - (marks.lookup ?? started)),
            tls: marks.secure === undefined ? undefined : round(marks.secure - connected),
            firstByte: round(marks.response! - ready),
            download: round(ended - marks.response!),
          },
        })
      })
    })
    req.end(hop.body ?? undefined)
  })
}
