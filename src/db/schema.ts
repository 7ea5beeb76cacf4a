/**
 * Pigeon's IndexedDB database (Dexie). One database per account
 * (`pigeon-user-<userId>`) and one for the signed-out Scratch Pad
 * (`pigeon-local`).
 *
 * | table          | primary key            | indexes                                              | what it holds |
 * |----------------|------------------------|------------------------------------------------------|---------------|
 * | workspaces     | id                     | kind                                                 | the local registry of workspaces on this device |
 * | collections    | [workspaceId+id]       | workspaceId                                          | projection of the workspace doc |
 * | folders        | [workspaceId+id]       | workspaceId, [workspaceId+parentId], [workspaceId+collectionId] | projection |
 * | requests       | [workspaceId+id]       | workspaceId, [workspaceId+parentId], [workspaceId+collectionId] | projection |
 * | examples       | [workspaceId+id]       | workspaceId, [workspaceId+requestId]                 | projection |
 * | presets        | [workspaceId+id]       | workspaceId                                          | projection |
 * | environments   | [workspaceId+id]       | workspaceId                                          | projection |
 * | globals        | [workspaceId+id]       | workspaceId                                          | projection (one row, id `globals`) |
 * | history        | [workspaceId+id]       | workspaceId, [workspaceId+sentAt], [workspaceId+requestId] | projection of the history doc |
 * | requestTree    | [workspaceId+id]       | workspaceId                                          | (v2) the sidebar's light copy of each request, rewritten only when a tree field changes |
 * | runs           | [workspaceId+id]       | workspaceId, [workspaceId+startedAt], [workspaceId+collectionId] | (v4) projection of the runs doc: collection runs and their per-request results |
 * | updates        | ++seq                  | docName, [docName+seq]                              | the Yjs update log: { seq, docName, update, local } |
 * | docState       | docName                | workspaceId                                          | per doc: mode, lastAckedSeq, compaction marks, projection version |
 * | tabs           | id                     | workspaceId                                          | local only: open tabs |
 * | drafts         | tabId                  | workspaceId                                          | local only: unsaved edits of a tab |
 * | responses      | tabId                  | workspaceId                                          | local only: the last response of a tab (body bytes) |
 * | settings       | key                    |                                                      | local only: key/value settings |
 * | currentValues  | [scopeId+variableId]   | workspaceId, scopeId                                 | local only: a variable's current value on this device |
 * | blobs          | id                     |                                                      | local only: file bytes of form-data parts and binary bodies |
 * | quarantine     | id                     | workspaceId, at                                      | local only: records that failed their schema, with the reason |
 * | conflicts      | id                     | workspaceId                                          | (v3) local only: fields changed here and elsewhere at once, until the person picks one (src/db/conflicts.ts) |
 *
 * Projection rows are keyed by workspace and entity id: ids are unique within
 * a workspace, and `globals` has the same id in every workspace.
 *
 * `requestTree` exists so the sidebar's live read of 10,000 requests neither
 * loads whole requests nor re-runs when someone types in a request body.
 */
import Dexie, { type Table, type Transaction } from 'dexie'
import type {
  Collection,
  CollectionRun,
  Environment,
  Example,
  Folder,
  Globals,
  HeaderPreset,
  HistoryEntry,
  Request,
  Workspace,
} from '../domain/model'
import type { AgentResponse } from '../domain/prepared'
import type { DraftRecord, TabRecord } from './localRecords'
import type { ConflictRow } from './conflicts'

/** A projected entity as stored: the entity plus the workspace it belongs to. */
export type Row<T> = T & { workspaceId: string }
type RowKey = [string, string]

/** One row of the Yjs update log. */
export interface UpdateRow {
  seq?: number
  docName: string
  update: Uint8Array
  /** Made on this device (not received from elsewhere): what sync must still get acked. */
  local: boolean
  /** True for a row that replaced several older rows during compaction. */
  compacted?: boolean
  at: number
}

/**
 * `local` docs never leave the device, so every update counts as acked and
 * compaction may merge the whole log. `synced` docs compact only up to
 * `lastAckedSeq`, so unacked local updates stay countable after a reload.
 */
export type DocMode = 'local' | 'synced'

export interface DocStateRow {
  docName: string
  workspaceId: string
  mode: DocMode
  /** Highest update-log seq the server has durably acked (sync). */
  lastAckedSeq: number
  /** Highest seq merged into a compacted row, and how often that happened. */
  compactedThroughSeq: number
  compactions: number
  compactedAt: number
  /** Row shape of the projection; a mismatch re-projects the doc on open. */
  projectionVersion: number
}

export interface ResponseRow {
  tabId: string
  workspaceId: string
  savedAt: number
  response: AgentResponse
}

export interface SettingRow {
  key: string
  value: unknown
}

export interface CurrentValueRow {
  scopeId: string
  variableId: string
  workspaceId: string
  value: string
}

export interface BlobRow {
  id: string
  name: string
  type: string
  size: number
  bytes: Uint8Array
  createdAt: number
}

export interface QuarantineRow {
  /** Stable per record, so a record reported twice is kept once. */
  id: string
  workspaceId: string
  /** Where it was found: a projection table read, or a workspace document. */
  source: 'table' | 'document'
  kind: string
  recordId: string
  /** The schema's complaints, already in words. */
  reason: string
  record: unknown
  at: number
}

/** Bump when projection rows change shape: open docs re-project themselves. */
export const PROJECTION_VERSION = 1

interface SchemaVersion {
  version: number
  why: string
  stores: Record<string, string | null>
  upgrade?: (tx: Transaction) => Promise<void>
}

/** Migrations, oldest first. Never edit a shipped version: append a new one. */
const SCHEMA_VERSIONS: SchemaVersion[] = [
  {
    version: 1,
    why: 'first schema: registry, projection, update log, local-only tables',
    stores: {
      workspaces: 'id, kind',
      collections: '[workspaceId+id], workspaceId',
      folders: '[workspaceId+id], workspaceId, [workspaceId+parentId], [workspaceId+collectionId]',
      requests: '[workspaceId+id], workspaceId, [workspaceId+parentId], [workspaceId+collectionId]',
      examples: '[workspaceId+id], workspaceId, [workspaceId+requestId]',
      presets: '[workspaceId+id], workspaceId',
      environments: '[workspaceId+id], workspaceId',
      globals: '[workspaceId+id], workspaceId',
      history: '[workspaceId+id], workspaceId, [workspaceId+sentAt], [workspaceId+requestId]',
      updates: '++seq, docName, [docName+seq]',
      docState: 'docName, workspaceId',
      tabs: 'id, workspaceId',
      drafts: 'tabId, workspaceId',
      responses: 'tabId, workspaceId',
      settings: 'key',
      currentValues: '[scopeId+variableId], workspaceId, scopeId',
      blobs: 'id',
      quarantine: 'id, workspaceId, at',
    },
  },
  {
    version: 2,
    why: 'a light copy of each request for the sidebar tree',
    stores: { requestTree: '[workspaceId+id], workspaceId' },
    upgrade: async (tx) => {
      await tx.table('requests').each((request: Row<Request>) => tx.table('requestTree').put(treeRowOf(request)))
    },
  },
  {
    version: 3,
    why: 'conflicts waiting for the person to keep theirs or mine',
    stores: { conflicts: 'id, workspaceId' },
  },
  {
    version: 4,
    why: 'collection runs, projected from the runs doc of each workspace',
    stores: { runs: '[workspaceId+id], workspaceId, [workspaceId+startedAt], [workspaceId+collectionId]' },
  },
]

/** The fields of a request the sidebar tree shows, sorts and filters by. */
export const TREE_FIELDS = ['id', 'parentId', 'collectionId', 'sortKey', 'name', 'method', 'url'] as const
export type RequestTreeRecord = Row<Pick<Request, (typeof TREE_FIELDS)[number]>>

/** The tree row of a request of `workspaceId` (by default the row's own). */
export function treeRowOf(request: Record<string, unknown>, workspaceId = String(request.workspaceId)): RequestTreeRecord {
  const row: Record<string, unknown> = { workspaceId }
  for (const field of TREE_FIELDS)
    row[field] = request[field]
  return row as RequestTreeRecord
}

/** True when the tree fields of a stored tree row and a request agree. */
export function sameTreeRow(stored: Record<string, unknown> | undefined, request: Record<string, unknown>): boolean {
  return stored !== undefined && TREE_FIELDS.every(field => stored[field] === request[field])
}

/** The projection tables, named like the document's entity kinds. */
export const PROJECTION_TABLES = ['collections', 'folders', 'requests', 'examples', 'presets', 'environments', 'globals', 'history', 'runs'] as const
export type ProjectionTable = (typeof PROJECTION_TABLES)[number]

export class PigeonDb extends Dexie {
  workspaces!: Table<Workspace, string>
  collections!: Table<Row<Collection>, RowKey>
  folders!: Table<Row<Folder>, RowKey>
  requests!: Table<Row<Request>, RowKey>
  examples!: Table<Row<Example>, RowKey>
  presets!: Table<Row<HeaderPreset>, RowKey>
  environments!: Table<Row<Environment>, RowKey>
  globals!: Table<Row<Globals>, RowKey>
  history!: Table<Row<HistoryEntry>, RowKey>
  runs!: Table<Row<CollectionRun>, RowKey>
  requestTree!: Table<RequestTreeRecord, RowKey>
  updates!: Table<UpdateRow, number>
  docState!: Table<DocStateRow, string>
  tabs!: Table<TabRecord, string>
  drafts!: Table<DraftRecord, string>
  responses!: Table<ResponseRow, string>
  settings!: Table<SettingRow, string>
  currentValues!: Table<CurrentValueRow, [string, string]>
  blobs!: Table<BlobRow, string>
  quarantine!: Table<QuarantineRow, string>
  conflicts!: Table<ConflictRow, string>

  /** `upToVersion` opens the schema as an older app had it (migration tests). */
  constructor(name: string, upToVersion = Infinity) {
    super(name)
    for (const step of SCHEMA_VERSIONS.filter(version => version.version <= upToVersion)) {
      const version = this.version(step.version).stores(step.stores)
      if (step.upgrade)
        version.upgrade(step.upgrade)
    }
  }

  /** A projection table by its entity kind. */
  projection(kind: ProjectionTable): Table<Row<{ id: string }>, RowKey> {
    return this.table(kind)
  }
}

const scopeOfFactory = new WeakMap<object, string>()

/**
 * Which browser storage a database lives in, for naming BroadcastChannels:
 * 'default' for the page's own IndexedDB (shared by its tabs), a distinct
 * token for any other factory (tests that simulate several browsers in one
 * process must not hear each other).
 */
export function storageScopeOf(db: PigeonDb): string {
  const factory = (db as unknown as { _deps?: { indexedDB?: object } })._deps?.indexedDB
  if (!factory || factory === (globalThis as { indexedDB?: object }).indexedDB)
    return 'default'
  let scope = scopeOfFactory.get(factory)
  if (!scope) {
    scope = Math.random().toString(36).slice(2)
    scopeOfFactory.set(factory, scope)
  }
  return scope
}

/** The database of the signed-out Scratch Pad; accounts use `pigeon-user-<id>`. */
export const LOCAL_DB_NAME = 'pigeon-local'

/** The database name of a signed-in account. */
export function accountDbName(userId: string): string {
  return `pigeon-user-${userId}`
}

/** Opens (creating or migrating when needed) a Pigeon database. */
export function openPigeonDb(name = LOCAL_DB_NAME): PigeonDb {
  return new PigeonDb(name)
}
