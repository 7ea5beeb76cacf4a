/**
 * The sync wire protocol shared by the server and the browser client: the
 * y-websocket message numbers, Pigeon's own messages (durable ack, read-only
 * notice), the close codes with the sentence a user reads, and the document
 * names. Pure constants and string functions; docs/sync.md explains them.
 */

/** y-protocols message numbers, as the stock WebsocketProvider speaks them. */
export const MESSAGE_SYNC = 0
export const MESSAGE_AWARENESS = 1
export const MESSAGE_AUTH = 2
export const MESSAGE_QUERY_AWARENESS = 3

/** Client → server: `[100, varuint id]`, sent after the updates it wants acknowledged. */
export const MESSAGE_ACK_REQUEST = 100
/** Server → client: `[101, varuint id]`, once every earlier message of that connection is committed to storage. */
export const MESSAGE_ACK = 101
/**
 * Server → client: `[102, varuint readOnly (1|0), varstring sentence]`. Sent on
 * connect when the caller may only read, whenever that changes, and again when
 * a read-only connection sent an update that was dropped.
 */
export const MESSAGE_READ_ONLY = 102

/** Close codes. 4400–4499 are permanent (the stock provider stops reconnecting); the rest are transient. */
export const CLOSE_NORMAL = 1000
export const CLOSE_UNSUPPORTED_DATA = 1003
export const CLOSE_INVALID_PAYLOAD = 1007
export const CLOSE_POLICY_VIOLATION = 1008
export const CLOSE_MESSAGE_TOO_BIG = 1009
export const CLOSE_INTERNAL_ERROR = 1011
export const CLOSE_SERVICE_RESTART = 1012
export const CLOSE_UNAUTHORIZED = 4401
export const CLOSE_FORBIDDEN = 4403
export const CLOSE_NOT_FOUND = 4404
export const CLOSE_DEVICE_LIMIT = 4409
export const CLOSE_DOCUMENT_TOO_LARGE = 4413
export const CLOSE_TOO_MANY_DOCUMENTS = 4429

/** Why the server closed a socket, in words for the person using the app. At most 123 bytes (the WebSocket limit). */
export const CLOSE_REASONS = {
  signedOut: 'You are signed out or your session was revoked. Sign in again to keep syncing.',
  foreignOrigin: 'This page is not allowed to sync with this server. Open Pigeon from its own address.',
  notMember: 'You are not a member of this workspace any more. Ask its owner to invite you again.',
  notYourHistory: 'This history belongs to another person. You can only sync your own history.',
  notFound: 'This workspace does not exist or was deleted. Its local copy can no longer sync.',
  badName: 'This is not a document name the server knows. Update Pigeon and try again.',
  deviceLimit: 'This account is signed in on too many devices. Sign one out, then sign in here again.',
  documentTooLarge: 'This workspace reached its size limit, so the last change was not saved. Remove some data.',
  tooManyDocuments: 'This session has too many documents open at once. Close some tabs and reload.',
  preAuthFlood: 'Too many messages arrived before sign-in was checked. Reconnect and wait for the server.',
  textFrame: 'The sync protocol only uses binary messages.',
  unknownMessage: 'The server does not know this message type. Update Pigeon and try again.',
  malformed: 'A sync message could not be read. Reload Pigeon; if it keeps happening, report it.',
  tooBig: 'A sync message was larger than this server allows.',
  storageFailed: 'The server could not save or load this document. Try again shortly.',
  restarting: 'The server is restarting. Pigeon reconnects on its own.',
} as const

/** What the read-only notice says. */
export const READ_ONLY_SENTENCE = 'You can view this workspace but not change it: your changes here are not saved. Ask its owner for edit rights.'
export const WRITABLE_SENTENCE = 'You can edit this workspace again.'

/** Ids inside document names: client-made UUIDs or nanoids. */
const ID = /^[\w-]{1,64}$/

/** A document the sync endpoint serves, parsed from its name. */
export type SyncDocumentName =
  | { kind: 'ws', workspaceId: string }
  | { kind: 'runs', workspaceId: string }
  | { kind: 'history', workspaceId: string, userId: string }

/** The longest valid name: `history/` + two ids + a slash. */
export const MAX_DOCUMENT_NAME_LENGTH = 'history/'.length + 64 + 1 + 64

/** Parses `ws/<id>`, `runs/<id>` or `history/<workspaceId>/<userId>`; anything else is null. */
export function parseDocumentName(name: string): SyncDocumentName | null {
  if (name.length === 0 || name.length > MAX_DOCUMENT_NAME_LENGTH)
    return null
  const parts = name.split('/')
  if (!parts.slice(1).every(part => ID.test(part)))
    return null
  if (parts.length === 2 && parts[0] === 'ws')
    return { kind: 'ws', workspaceId: parts[1] }
  if (parts.length === 2 && parts[0] === 'runs')
    return { kind: 'runs', workspaceId: parts[1] }
  if (parts.length === 3 && parts[0] === 'history')
    return { kind: 'history', workspaceId: parts[1], userId: parts[2] }
  return null
}

/** The name of a parsed document, the inverse of parseDocumentName. */
export function documentNameOf(doc: SyncDocumentName): string {
  return doc.kind === 'history' ? `history/${doc.workspaceId}/${doc.userId}` : `${doc.kind}/${doc.workspaceId}`
}

/** The names of every document a workspace owns, except the per-user history documents. */
export function workspaceDocumentNames(workspaceId: string): string[] {
  return [`ws/${workspaceId}`, `runs/${workspaceId}`]
}
