/**
 * Keeps the tabs of one browser consistent: every tab holding a document
 * sends the updates it sees to the other tabs over a BroadcastChannel, and a
 * tab that opens a document asks the others for what its stored log may not
 * have yet. Each tab keeps its own Y.Doc and its own Yjs clientID.
 *
 * A relayed update is applied with `OTHER_TAB_ORIGIN` and not stored again
 * (persistedDoc.ts): the tab it came from stores it. Only the tab leading a
 * document's connection (remote/leadership.ts) has a provider; followers'
 * changes reach the server through this relay and the leader's provider.
 */
import * as Y from 'yjs'
import { type PigeonDb, storageScopeOf } from '../db/schema'

/** The origin of updates received from another tab. */
export const OTHER_TAB_ORIGIN = Symbol('pigeon:other-tab')

type TabMessage =
  | { type: 'update', update: Uint8Array }
  /** A tab opened the doc: others answer `here` and send what it may miss. */
  | { type: 'hello', from: string, stateVector: Uint8Array }
  /** The answer to `hello`, with the answering tab's state, so the new tab can send what it made meanwhile. */
  | { type: 'here', from: string, stateVector: Uint8Array }
  | { type: 'bye', from: string }

/** The channel of one document of one database (in one browser storage). */
export function tabChannelName(db: PigeonDb, docName: string): string {
  return `pigeon:${storageScopeOf(db)}:${db.name}:${docName}`
}

/** Tells the tabs that have a document open about an update made without opening it. */
export function announceToTabs(channelName: string, update: Uint8Array): void {
  if (typeof BroadcastChannel === 'undefined')
    return
  const channel = new BroadcastChannel(channelName)
  channel.postMessage({ type: 'update', update } satisfies TabMessage)
  channel.close()
}

/** Relays `doc` between tabs on `channelName`; returns the function that stops it. */
export function relayBetweenTabs(doc: Y.Doc, channelName: string): () => void {
  if (typeof BroadcastChannel === 'undefined')
    return () => {}
  const channel = new BroadcastChannel(channelName)
  const self = Math.random().toString(36).slice(2)
  // Updates are only copied to tabs that have the doc open: a lone tab pays nothing.
  const peers = new Set<string>()
  const send = (message: TabMessage) => channel.postMessage(message)
  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin !== OTHER_TAB_ORIGIN && peers.size)
      send({ type: 'update', update })
  }
  channel.onmessage = (event: MessageEvent<TabMessage>) => {
    const message = event.data
    if (message?.type === 'update') {
      Y.applyUpdate(doc, message.update, OTHER_TAB_ORIGIN)
    }
    else if (message?.type === 'hello' || message?.type === 'here') {
      const isNew = !peers.has(message.from)
      peers.add(message.from)
      if (message.type === 'hello')
        send({ type: 'here', from: self, stateVector: Y.encodeStateVector(doc) })
      if (!isNew && message.type === 'here')
        return
      const missing = Y.encodeStateAsUpdate(doc, message.stateVector)
      // An update with no structs and no deletions is 2 bytes: nothing to send.
      if (missing.byteLength > 2)
        send({ type: 'update', update: missing })
    }
    else if (message?.type === 'bye') {
      peers.delete(message.from)
    }
  }
  doc.on('update', onUpdate)
  send({ type: 'hello', from: self, stateVector: Y.encodeStateVector(doc) })
  return () => {
    doc.off('update', onUpdate)
    send({ type: 'bye', from: self })
    channel.close()
  }
}
