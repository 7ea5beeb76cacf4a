/**
 * A sync client for Node tests and the benchmark: the stock y-websocket
 * WebsocketProvider over the `ws` package (with a Cookie and an Origin
 * header), plus Pigeon's durable ack and read-only notice from
 * src/domain/syncProtocol.ts.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { MESSAGE_ACK, MESSAGE_ACK_REQUEST, MESSAGE_READ_ONLY } from '../../src/domain/syncProtocol.js'

export interface SyncClientOptions {
  /** `name=value` of the session cookie; omitted means signed out. */
  cookie?: string
  /** The Origin header; defaults to the server's own origin, like the app in a browser. */
  origin?: string
  doc?: Y.Doc
  /** Reconnect after a transient close (the provider's default); tests of refusals keep it. */
  connect?: boolean
}

export interface CloseInfo {
  code: number
  reason: string
}

export interface SyncClient {
  doc: Y.Doc
  provider: WebsocketProvider
  /** Every close the server sent, oldest first. */
  closes: CloseInfo[]
  /** The read-only notices received, oldest first. */
  notices: Array<{ readOnly: boolean, sentence: string }>
  /** Resolves when the provider has the server's state (y-websocket's `synced`). */
  synced: (timeoutMs?: number) => Promise<void>
  /** Sends an ack request and resolves when the server acks: everything sent before is durable. */
  ack: (timeoutMs?: number) => Promise<void>
  /** Resolves with the next close the server sends (or the last one, if already closed by the server). */
  closed: (timeoutMs?: number) => Promise<CloseInfo>
  destroy: () => void
}

/** The `ws` WebSocket with our headers, shaped like the browser's constructor the provider expects. */
function webSocketWith(headers: Record<string, string>): typeof globalThis.WebSocket {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers })
    }
  } as unknown as typeof globalThis.WebSocket
}

/** Waits for `promise`, failing after `ms` or as soon as the client is destroyed. */
function withTimeout<T>(promise: Promise<T>, ms: number, what: string, destroyed: Set<(error: Error) => void>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onDestroy = (error: Error): void => { clearTimeout(timer); reject(error) }
    const timer = setTimeout(() => {
      destroyed.delete(onDestroy)
      reject(new Error(`Timed out after ${ms} ms waiting for ${what}.`))
    }, ms)
    destroyed.add(onDestroy)
    promise.then(
      (value) => { clearTimeout(timer); destroyed.delete(onDestroy); resolve(value) },
      (error: unknown) => { clearTimeout(timer); destroyed.delete(onDestroy); reject(error) },
    )
  })
}

/** Opens `document` (e.g. `ws/<workspaceId>`) on the server at `serverUrl` (http://…). */
export function connectSyncClient(serverUrl: string, document: string, options: SyncClientOptions = {}): SyncClient {
  const doc = options.doc ?? new Y.Doc()
  const headers: Record<string, string> = { origin: options.origin ?? serverUrl }
  if (options.cookie)
    headers.cookie = options.cookie
  const provider = new WebsocketProvider(`${serverUrl.replace(/^http/, 'ws')}/sync`, document, doc, {
    WebSocketPolyfill: webSocketWith(headers),
    disableBc: true,
    connect: options.connect ?? true,
    maxBackoffTime: 500,
  })

  let nextAckId = 1
  const pendingAcks = new Map<number, { resolve: () => void, reject: (error: Error) => void }>()
  const closes: CloseInfo[] = []
  const notices: SyncClient['notices'] = []
  let closeWaiters: Array<(info: CloseInfo) => void> = []
  const destroyed = new Set<(error: Error) => void>()

  provider.messageHandlers[MESSAGE_ACK] = (_encoder, decoder) => {
    const id = decoding.readVarUint(decoder)
    pendingAcks.get(id)?.resolve()
    pendingAcks.delete(id)
  }
  provider.messageHandlers[MESSAGE_READ_ONLY] = (_encoder, decoder) => {
    const readOnly = decoding.readVarUint(decoder) === 1
    notices.push({ readOnly, sentence: decoding.readVarString(decoder) })
  }
  provider.on('connection-close', (event) => {
    // An ack belongs to one connection: a request still open when it closes may never be answered.
    for (const pending of pendingAcks.values())
      pending.reject(new Error(`The connection closed before the ack (code ${event?.code ?? 'local'}).`))
    pendingAcks.clear()
    if (!event)
      return
    const info = { code: event.code, reason: event.reason }
    closes.push(info)
    const waiters = closeWaiters
    closeWaiters = []
    waiters.forEach(resolve => resolve(info))
  })

  return {
    doc,
    provider,
    closes,
    notices,
    synced: (timeoutMs = 10_000) => withTimeout(new Promise<void>((resolve) => {
      if (provider.synced)
        resolve()
      else
        provider.once('sync', () => resolve())
    }), timeoutMs, `the sync of ${document}`, destroyed),
    ack: (timeoutMs = 10_000) => {
      const ws = provider.ws
      if (!ws || !provider.wsconnected)
        return Promise.reject(new Error('Not connected: an ack request needs an open connection.'))
      const id = nextAckId++
      const acked = new Promise<void>((resolve, reject) => pendingAcks.set(id, { resolve, reject }))
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MESSAGE_ACK_REQUEST)
      encoding.writeVarUint(encoder, id)
      ws.send(encoding.toUint8Array(encoder))
      return withTimeout(acked, timeoutMs, `ack ${id} on ${document}`, destroyed)
    },
    closed: (timeoutMs = 10_000) => withTimeout(new Promise<CloseInfo>((resolve) => {
      if (closes.length > 0 && !provider.wsconnected && !provider.shouldConnect)
        resolve(closes.at(-1)!)
      else
        closeWaiters.push(resolve)
    }), timeoutMs, `the server to close ${document}`, destroyed),
    destroy: () => {
      for (const reject of destroyed)
        reject(new Error(`The client of ${document} was destroyed.`))
      destroyed.clear()
      provider.destroy()
      doc.destroy()
    },
  }
}

/** Waits until `predicate` holds, polling; fails with `what` after the timeout. */
export async function waitUntil(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}.`)
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}
