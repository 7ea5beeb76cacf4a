/**
 * The sync status a person sees (DESIGN.md §4), as a pure state machine:
 * `reduceSync(facts, event)` folds what happened on the connection into
 * facts, and `statusOf(facts)` says Offline, Connecting, Syncing, In sync or
 * Error, with the count of local changes not yet acked and a sentence for
 * the hover. No timers, sockets or storage here, so every rule is
 * unit-testable.
 */
import {
  CLOSE_DEVICE_LIMIT,
  CLOSE_DOCUMENT_TOO_LARGE,
  CLOSE_FORBIDDEN,
  CLOSE_INTERNAL_ERROR,
  CLOSE_NOT_FOUND,
  CLOSE_REASONS,
  CLOSE_SERVICE_RESTART,
  CLOSE_TOO_MANY_DOCUMENTS,
  CLOSE_UNAUTHORIZED,
} from '../../domain/syncProtocol'

export type SyncState = 'offline' | 'connecting' | 'syncing' | 'inSync' | 'error'

/** What the person can do about an error; the UI turns it into a button or a hint. */
export type SyncErrorAction =
  | 'signIn'
  | 'freeDeviceSlot'
  | 'askForAccess'
  | 'removeData'
  | 'closeTabs'
  | 'waitForServer'
  | 'updateApp'

export interface SyncError {
  /** The close code, or 0 when the server could not be reached at all. */
  code: number
  /** What happened and what to do, in one or two sentences. */
  reason: string
  action: SyncErrorAction
  /** True when Pigeon keeps reconnecting by itself; false when it waits for the person. */
  retrying: boolean
}

/** Everything the status depends on; only `reduceSync` changes it. */
export interface SyncFacts {
  /** False for a document that never leaves the device (signed out, Scratch Pad). */
  signedIn: boolean
  /** The browser's own idea of being online (`navigator.onLine`). */
  browserOnline: boolean
  /** The app wants this document connected (false after `disconnect()`). */
  wanted: boolean
  socket: 'closed' | 'connecting' | 'open'
  /** The server's state arrived on the current connection (y-websocket's `synced`). */
  serverStateReceived: boolean
  /** An ack arrived on the current connection, so the reply to the server's step 1 (offline edits) is durable. */
  ackedSinceOpen: boolean
  /** Local changes the server has not durably acked yet. */
  unacked: number
  /** Connection attempts that failed in a row; reset once a connection opens. */
  failedAttempts: number
  /** When the current run of failed attempts started. */
  unreachableSince: number | null
  /** A refusal the server gave (4400–4499): reconnecting cannot fix it. */
  refusal: SyncError | null
  /** A transient server error (restart, storage): Pigeon retries on its own. */
  serverError: SyncError | null
  /** The server's read-only sentence while this device may only view the document. */
  readOnly: string | null
}

export type SyncEvent =
  | { type: 'connect' }
  | { type: 'disconnect' }
  | { type: 'browserOnline', online: boolean }
  | { type: 'connecting' }
  | { type: 'opened' }
  | { type: 'serverStateReceived' }
  | { type: 'acked', unacked: number }
  | { type: 'unacked', count: number }
  /** A local change was made just now; it counts at once, before storage confirms the exact number. */
  | { type: 'localChange' }
  | { type: 'readOnly', sentence: string | null }
  | { type: 'closed', code: number | null, reason: string, at: number, wasOpen: boolean }

/** Why the state is what it is, finer than the state: what the hover sentence is built from. */
export type SyncSituation =
  | 'signedOut'
  | 'offline'
  | 'connecting'
  | 'loading'
  | 'sending'
  | 'inSync'
  | 'refused'
  | 'serverError'
  | 'unreachable'

export interface SyncStatus {
  state: SyncState
  situation: SyncSituation
  /** Local changes not yet acked by the server. */
  unacked: number
  /** The sentence shown on hover. */
  detail: string
  /** Set when `state` is 'error'. */
  error: SyncError | null
  /** The server's read-only sentence while this device may only view the document. */
  readOnly: string | null
  /** When the server stopped being reachable, while it is not. */
  unreachableSince: number | null
}

/** Failed attempts in a row after which "Connecting" turns into "the server cannot be reached". */
export const UNREACHABLE_AFTER_ATTEMPTS = 3

export const UNREACHABLE_SENTENCE = 'Pigeon cannot reach the server. It keeps trying; your changes are kept on this device.'

/** The facts of a document before anything happened. */
export function initialSyncFacts(options: { signedIn: boolean, browserOnline?: boolean, unacked?: number }): SyncFacts {
  return {
    signedIn: options.signedIn,
    browserOnline: options.browserOnline ?? true,
    wanted: false,
    socket: 'closed',
    serverStateReceived: false,
    ackedSinceOpen: false,
    unacked: options.unacked ?? 0,
    failedAttempts: 0,
    unreachableSince: null,
    refusal: null,
    serverError: null,
    readOnly: null,
  }
}

const PERMANENT_CLOSES: Record<number, { reason: string, action: SyncErrorAction }> = {
  [CLOSE_UNAUTHORIZED]: { reason: CLOSE_REASONS.signedOut, action: 'signIn' },
  [CLOSE_FORBIDDEN]: { reason: CLOSE_REASONS.notMember, action: 'askForAccess' },
  [CLOSE_NOT_FOUND]: { reason: CLOSE_REASONS.notFound, action: 'askForAccess' },
  [CLOSE_DEVICE_LIMIT]: { reason: CLOSE_REASONS.deviceLimit, action: 'freeDeviceSlot' },
  [CLOSE_DOCUMENT_TOO_LARGE]: { reason: CLOSE_REASONS.documentTooLarge, action: 'removeData' },
  [CLOSE_TOO_MANY_DOCUMENTS]: { reason: CLOSE_REASONS.tooManyDocuments, action: 'closeTabs' },
}

const TRANSIENT_CLOSES: Record<number, { reason: string, action: SyncErrorAction }> = {
  [CLOSE_SERVICE_RESTART]: { reason: CLOSE_REASONS.restarting, action: 'waitForServer' },
  [CLOSE_INTERNAL_ERROR]: { reason: CLOSE_REASONS.storageFailed, action: 'waitForServer' },
}

const KNOWN_SENTENCES = new Set<string>(Object.values(CLOSE_REASONS))

/** True for close codes after which reconnecting cannot help (the stock provider stops too). */
export function isPermanentClose(code: number): boolean {
  return code >= 4400 && code < 4500
}

/**
 * The error a close stands for, or null for an ordinary disconnect. The
 * server's own sentence wins when it is one Pigeon knows (4403 may mean
 * "not a member" or "not your history"); otherwise the code's default.
 */
export function errorOfClose(code: number | null, serverReason: string): SyncError | null {
  if (code === null)
    return null
  const reasonFrom = (fallback: string): string => KNOWN_SENTENCES.has(serverReason) ? serverReason : fallback
  const permanent = PERMANENT_CLOSES[code]
  if (permanent)
    return { code, reason: reasonFrom(permanent.reason), action: permanent.action, retrying: false }
  if (isPermanentClose(code))
    return { code, reason: reasonFrom(CLOSE_REASONS.unknownMessage), action: 'updateApp', retrying: false }
  const transient = TRANSIENT_CLOSES[code]
  if (transient)
    return { code, reason: reasonFrom(transient.reason), action: transient.action, retrying: true }
  return null
}

function afterClose(facts: SyncFacts, event: Extract<SyncEvent, { type: 'closed' }>): SyncFacts {
  const error = errorOfClose(event.code, event.reason)
  const closed: SyncFacts = { ...facts, socket: 'closed', serverStateReceived: false, ackedSinceOpen: false }
  if (error && !error.retrying)
    return { ...closed, wanted: false, refusal: error, serverError: null }
  if (!facts.wanted)
    return closed
  if (error)
    return { ...closed, serverError: error }
  // A socket that never opened counts as a failed attempt; a dropped one gets a fresh run of attempts.
  const failedAttempts = event.wasOpen ? 0 : facts.failedAttempts + 1
  return { ...closed, failedAttempts, unreachableSince: facts.unreachableSince ?? event.at }
}

/** Folds one event into the facts. Pure. */
export function reduceSync(facts: SyncFacts, event: SyncEvent): SyncFacts {
  switch (event.type) {
    case 'connect':
      // Connecting on purpose is the way out of a refusal (e.g. after signing in again).
      return { ...facts, wanted: true, refusal: null }
    case 'disconnect':
      return { ...facts, wanted: false, socket: 'closed', serverStateReceived: false, ackedSinceOpen: false, failedAttempts: 0, unreachableSince: null, serverError: null }
    case 'browserOnline':
      return { ...facts, browserOnline: event.online }
    case 'connecting':
      return facts.socket === 'open' ? facts : { ...facts, socket: 'connecting' }
    case 'opened':
      return { ...facts, socket: 'open', serverStateReceived: false, ackedSinceOpen: false, failedAttempts: 0, unreachableSince: null, serverError: null }
    case 'serverStateReceived':
      return facts.socket === 'open' ? { ...facts, serverStateReceived: true } : facts
    case 'acked':
      return facts.socket === 'open' ? { ...facts, ackedSinceOpen: true, unacked: event.unacked } : { ...facts, unacked: event.unacked }
    case 'unacked':
      return { ...facts, unacked: event.count }
    case 'localChange':
      return { ...facts, unacked: facts.unacked + 1 }
    case 'readOnly':
      return { ...facts, readOnly: event.sentence }
    case 'closed':
      return afterClose(facts, event)
  }
}

function changes(count: number): string {
  return count === 1 ? '1 change' : `${count} changes`
}

function keptLocally(unacked: number): string {
  return unacked === 0 ? 'Every change is saved on the server.' : `${changes(unacked)} on this device ${unacked === 1 ? 'is' : 'are'} not saved on the server yet.`
}

/** The hover sentence of a situation with `unacked` local changes. Pure. */
export function describeSync(situation: SyncSituation, unacked: number, error: SyncError | null, readOnly: string | null): string {
  switch (situation) {
    case 'signedOut':
      return unacked > 0 ? `Signed out: changes stay on this device. ${changes(unacked)} kept locally.` : 'Signed out: changes stay on this device.'
    case 'offline':
      return unacked === 0
        ? 'Offline. Changes you make are kept on this device and sync when you are back online.'
        : `Offline. ${changes(unacked)} kept on this device; they sync when you are back online.`
    case 'loading':
      return `${readOnly ? `${readOnly} ` : ''}Syncing. Loading the latest changes from the server.`
    case 'sending':
      return `${readOnly ? `${readOnly} ` : ''}Syncing. ${keptLocally(unacked)}`
    case 'inSync':
      // A viewer's changes are dropped by the server, so "saved" would be untrue.
      return readOnly ? `${readOnly} You see the latest changes.` : 'In sync: every change is saved on the server.'
    case 'connecting':
      return `Connecting to the server. ${keptLocally(unacked)}`
    case 'refused':
    case 'serverError':
    case 'unreachable':
      return `${error?.reason ?? UNREACHABLE_SENTENCE} ${keptLocally(unacked)}`
  }
}

function situationOf(facts: SyncFacts): { situation: SyncSituation, error: SyncError | null } {
  if (facts.refusal)
    return { situation: 'refused', error: facts.refusal }
  if (!facts.signedIn)
    return { situation: 'signedOut', error: null }
  if (!facts.browserOnline || !facts.wanted)
    return { situation: 'offline', error: null }
  if (facts.socket === 'open') {
    if (!facts.serverStateReceived)
      return { situation: 'loading', error: null }
    return { situation: facts.ackedSinceOpen && facts.unacked === 0 ? 'inSync' : 'sending', error: null }
  }
  // A restart that takes long turns into "cannot reach the server".
  if (facts.failedAttempts >= UNREACHABLE_AFTER_ATTEMPTS)
    return { situation: 'unreachable', error: { code: 0, reason: UNREACHABLE_SENTENCE, action: 'waitForServer', retrying: true } }
  if (facts.serverError)
    return { situation: 'serverError', error: facts.serverError }
  return { situation: 'connecting', error: null }
}

const STATE_OF: Record<SyncSituation, SyncState> = {
  signedOut: 'offline',
  offline: 'offline',
  connecting: 'connecting',
  loading: 'syncing',
  sending: 'syncing',
  inSync: 'inSync',
  refused: 'error',
  serverError: 'error',
  unreachable: 'error',
}

/** The status to show for the facts. Pure. */
export function statusOf(facts: SyncFacts): SyncStatus {
  const { situation, error } = situationOf(facts)
  return {
    state: STATE_OF[situation],
    situation,
    unacked: facts.unacked,
    detail: describeSync(situation, facts.unacked, error, facts.readOnly),
    error,
    readOnly: facts.readOnly,
    unreachableSince: facts.unreachableSince,
  }
}

const SEVERITY: Record<SyncState, number> = { inSync: 0, syncing: 1, connecting: 2, offline: 3, error: 4 }

/** One status for several documents (workspace, history, runs): the worst state, and the sum of unacked changes. */
export function combineStatuses(statuses: readonly SyncStatus[]): SyncStatus {
  if (!statuses.length)
    return { state: 'inSync', situation: 'inSync', unacked: 0, detail: describeSync('inSync', 0, null, null), error: null, readOnly: null, unreachableSince: null }
  const worst = statuses.reduce((a, b) => SEVERITY[b.state] > SEVERITY[a.state] ? b : a)
  const unacked = statuses.reduce((sum, status) => sum + status.unacked, 0)
  const since = statuses.map(status => status.unreachableSince).filter((at): at is number => at !== null)
  return { ...worst, unacked, detail: describeSync(worst.situation, unacked, worst.error, worst.readOnly), unreachableSince: since.length ? Math.min(...since) : null }
}
