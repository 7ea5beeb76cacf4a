/**
 * Pigeon's entity model: one schema per entity, shared by the client, the
 * projection into Dexie, imports and the server. Every record that crosses a
 * boundary (stored rows, imports, API payloads) is parsed with these schemas.
 *
 * Schemas are lenient where old or foreign data may lack a field (defaults)
 * and strict about types, so a malformed record fails loudly and can be kept
 * aside instead of breaking the app.
 */
import { z } from 'zod/mini'
import './schemaIssueWords'

// zod/mini's functional form (`z._default(s, v)`, `s.check(...)`) tree-shakes: see schemaIssueWords.ts.
const id = z.string().check(z.minLength(1), z.maxLength(200))
const timestamp = z.int().check(z.nonnegative())
/** A string, or `fallback` when left out. */
const stringOr = (fallback: string) => z._default(z.string(), fallback)
/** A boolean, or `fallback` when left out. */
const booleanOr = (fallback: boolean) => z._default(z.boolean(), fallback)
const nonNegativeInt = z.int().check(z.nonnegative())
/** A list that is empty when left out. */
const listOf = <T extends z.ZodMiniType>(item: T) => z._default(z.array(item), [])

/** A row of a key/value table: query params, headers, urlencoded fields, path variables. */
export const KeyValueRow = z.object({
  id,
  key: stringOr(''),
  value: stringOr(''),
  enabled: booleanOr(true),
  description: stringOr(''),
})
export type KeyValueRow = z.infer<typeof KeyValueRow>

/**
 * A file chosen by the user for a form-data part or a binary body. The bytes
 * stay on this device (Dexie `blobs` table): they are never synced.
 */
export const FileRef = z.object({
  blobId: id,
  name: z.string(),
  size: nonNegativeInt,
  type: stringOr('application/octet-stream'),
})
export type FileRef = z.infer<typeof FileRef>

export const FormDataRow = z.extend(KeyValueRow, {
  kind: z._default(z.enum(['text', 'file']), 'text'),
  file: z._default(z.nullable(FileRef), null),
  contentType: stringOr(''),
})
export type FormDataRow = z.infer<typeof FormDataRow>

export const RAW_LANGUAGES = ['json', 'text', 'xml', 'html', 'javascript'] as const
export type RawLanguage = (typeof RAW_LANGUAGES)[number]

export const BODY_MODES = ['none', 'raw', 'urlencoded', 'formdata', 'binary', 'graphql'] as const
export type BodyMode = (typeof BODY_MODES)[number]

/** A request body keeps every mode's content, like Postman, so switching modes loses nothing. */
export const RequestBody = z.object({
  mode: z._default(z.enum(BODY_MODES), 'none'),
  raw: stringOr(''),
  rawLanguage: z._default(z.enum(RAW_LANGUAGES), 'json'),
  urlencoded: listOf(KeyValueRow),
  formdata: listOf(FormDataRow),
  binary: z._default(z.nullable(FileRef), null),
  graphql: z._default(z.object({ query: stringOr(''), variables: stringOr('') }), { query: '', variables: '' }),
})
export type RequestBody = z.infer<typeof RequestBody>

export const AUTH_TYPES = ['inherit', 'none', 'basic', 'bearer', 'apikey'] as const
export type AuthType = (typeof AUTH_TYPES)[number]

/** Auth keeps every type's fields, so switching type in the editor loses nothing. */
export const Auth = z.object({
  type: z._default(z.enum(AUTH_TYPES), 'inherit'),
  basic: z._default(z.object({ username: stringOr(''), password: stringOr('') }), { username: '', password: '' }),
  bearer: z._default(z.object({ token: stringOr('') }), { token: '' }),
  apikey: z._default(z.object({
    key: stringOr(''),
    value: stringOr(''),
    in: z._default(z.enum(['header', 'query']), 'header'),
  }), { key: '', value: '', in: 'header' }),
})
export type Auth = z.infer<typeof Auth>

export const VARIABLE_TYPES = ['default', 'secret'] as const
/**
 * A variable's `value` is the shared (initial) value and syncs. Its *current*
 * value is local to the device and lives in the Dexie `currentValues` table.
 */
export const Variable = z.object({
  id,
  key: stringOr(''),
  value: stringOr(''),
  enabled: booleanOr(true),
  type: z._default(z.enum(VARIABLE_TYPES), 'default'),
})
export type Variable = z.infer<typeof Variable>

export const RequestSettings = z.object({
  /** 0 means the app default. */
  timeoutMs: z._default(nonNegativeInt, 0),
  followRedirects: booleanOr(true),
  maxRedirects: z._default(nonNegativeInt, 10),
})
export type RequestSettings = z.infer<typeof RequestSettings>

const entityBase = {
  id,
  createdAt: z._default(timestamp, 0),
  updatedAt: z._default(timestamp, 0),
  updatedBy: stringOr(''),
}

export const Collection = z.object({
  ...entityBase,
  name: stringOr('New Collection'),
  description: stringOr(''),
  sortKey: stringOr('a0'),
  auth: z._default(Auth, Auth.parse({ type: 'none' })),
  variables: listOf(Variable),
  preRequestScript: stringOr(''),
  testScript: stringOr(''),
})
export type Collection = z.infer<typeof Collection>

export const Folder = z.object({
  ...entityBase,
  /** The collection or folder this folder sits in. */
  parentId: id,
  collectionId: id,
  sortKey: stringOr('a0'),
  name: stringOr('New Folder'),
  description: stringOr(''),
  auth: z._default(Auth, Auth.parse({})),
  preRequestScript: stringOr(''),
  testScript: stringOr(''),
})
export type Folder = z.infer<typeof Folder>

export const STANDARD_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const

export const Request = z.object({
  ...entityBase,
  parentId: id,
  collectionId: id,
  sortKey: stringOr('a0'),
  name: stringOr('New Request'),
  /** Standard or custom (any token), upper-cased. */
  method: z._default(z.string().check(z.minLength(1), z.maxLength(64)), 'GET'),
  url: stringOr(''),
  params: listOf(KeyValueRow),
  pathVariables: listOf(KeyValueRow),
  headers: listOf(KeyValueRow),
  body: z._default(RequestBody, RequestBody.parse({})),
  auth: z._default(Auth, Auth.parse({})),
  settings: z._default(RequestSettings, RequestSettings.parse({})),
  description: stringOr(''),
  preRequestScript: stringOr(''),
  testScript: stringOr(''),
})
export type Request = z.infer<typeof Request>

/** The request fields a draft, a history entry or an example keeps (no tree placement). */
export const RequestSnapshot = z.pick(Request, {
  name: true,
  method: true,
  url: true,
  params: true,
  pathVariables: true,
  headers: true,
  body: true,
  auth: true,
  settings: true,
})
export type RequestSnapshot = z.infer<typeof RequestSnapshot>

export const ResponseHeader = z.object({ key: z.string(), value: z.string() })
export type ResponseHeader = z.infer<typeof ResponseHeader>

/** Bodies kept in synced entities are bounded; the rest is marked as cut. */
export const EXAMPLE_BODY_LIMIT = 1024 * 1024
export const HISTORY_BODY_LIMIT = 64 * 1024

export const Example = z.object({
  ...entityBase,
  requestId: id,
  name: stringOr('Example'),
  request: RequestSnapshot,
  status: z._default(z.int(), 0),
  statusText: stringOr(''),
  headers: listOf(ResponseHeader),
  body: stringOr(''),
  bodyTruncated: booleanOr(false),
  timeMs: z._default(z.number().check(z.nonnegative()), 0),
  size: z._default(nonNegativeInt, 0),
})
export type Example = z.infer<typeof Example>

export const HeaderPreset = z.object({
  ...entityBase,
  name: stringOr('New Preset'),
  headers: listOf(KeyValueRow),
})
export type HeaderPreset = z.infer<typeof HeaderPreset>

export const Environment = z.object({
  ...entityBase,
  name: stringOr('New Environment'),
  sortKey: stringOr('a0'),
  variables: listOf(Variable),
})
export type Environment = z.infer<typeof Environment>

/** Globals are one record per workspace, with the fixed id `globals`. */
export const Globals = z.object({
  ...entityBase,
  variables: listOf(Variable),
})
export type Globals = z.infer<typeof Globals>
export const GLOBALS_ID = 'globals'

export const ResponseSummary = z.object({
  status: z._default(z.int(), 0),
  statusText: stringOr(''),
  timeMs: z._default(z.number().check(z.nonnegative()), 0),
  size: z._default(nonNegativeInt, 0),
  headers: listOf(ResponseHeader),
  body: stringOr(''),
  bodyTruncated: booleanOr(false),
  /** Set when the request could not be sent: the reason in words. */
  error: stringOr(''),
})
export type ResponseSummary = z.infer<typeof ResponseSummary>

export const HistoryEntry = z.object({
  ...entityBase,
  /** The saved request this was sent from, if any. */
  requestId: stringOr(''),
  request: RequestSnapshot,
  response: ResponseSummary,
  sentAt: timestamp,
})
export type HistoryEntry = z.infer<typeof HistoryEntry>
export const HISTORY_LIMIT = 1000

/** Runs kept per workspace; older ones are dropped when a new one is saved. */
export const RUNS_LIMIT = 100
export const RUN_MAX_ITERATIONS = 1000
/** Results kept per run: a longer run keeps its first RUN_RESULTS_LIMIT. */
export const RUN_RESULTS_LIMIT = 5000

/** Why a collection run ended. */
export const RUN_OUTCOMES = ['completed', 'stopped'] as const

/** One request sent by a collection run, in one iteration. */
export const RunResult = z.object({
  /** The saved request that was sent. */
  requestId: z.string(),
  /** 1-based iteration number. */
  iteration: z.int().check(z.minimum(1)),
  name: stringOr(''),
  method: stringOr('GET'),
  /** The URL as sent, variables resolved (secrets never stored: see docs/runs.md). */
  url: stringOr(''),
  status: z._default(z.int(), 0),
  statusText: stringOr(''),
  timeMs: z._default(z.number().check(z.nonnegative()), 0),
  size: z._default(nonNegativeInt, 0),
  /** Set when the request could not be sent: the reason in words. */
  error: stringOr(''),
})
export type RunResult = z.infer<typeof RunResult>

/** A run of a collection or one of its folders: what ran, how, and each request's outcome. */
export const CollectionRun = z.object({
  ...entityBase,
  collectionId: z.string(),
  /** The folder that ran; '' when the whole collection did. */
  folderId: stringOr(''),
  /** What ran, in words, as it was named when it ran (e.g. `Pet store / Users`). */
  name: stringOr(''),
  environmentId: stringOr(''),
  environmentName: stringOr(''),
  iterations: z.int().check(z.minimum(1), z.maximum(RUN_MAX_ITERATIONS)),
  delayMs: z._default(z.int().check(z.nonnegative(), z.maximum(60_000)), 0),
  /** The device that ran it, as its owner named it. */
  deviceName: stringOr(''),
  startedAt: timestamp,
  finishedAt: z._default(timestamp, 0),
  outcome: z._default(z.enum(RUN_OUTCOMES), 'completed'),
  results: z._default(z.array(RunResult).check(z.maxLength(RUN_RESULTS_LIMIT)), []),
})
export type CollectionRun = z.infer<typeof CollectionRun>

export const Workspace = z.object({
  id,
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  kind: z._default(z.enum(['local', 'personal', 'team']), 'local'),
  createdAt: z._default(timestamp, 0),
  updatedAt: z._default(timestamp, 0),
})
export type Workspace = z.infer<typeof Workspace>
export const SCRATCH_PAD_NAME = 'Scratch Pad'

/** The entity types of a workspace document, in the order a tree needs them. */
export const ENTITY_SCHEMAS = {
  collections: Collection,
  folders: Folder,
  requests: Request,
  examples: Example,
  presets: HeaderPreset,
  environments: Environment,
  globals: Globals,
} as const
export type EntityKind = keyof typeof ENTITY_SCHEMAS
export interface EntityOf {
  collections: Collection
  folders: Folder
  requests: Request
  examples: Example
  presets: HeaderPreset
  environments: Environment
  globals: Globals
}
export const ENTITY_KINDS = Object.keys(ENTITY_SCHEMAS) as EntityKind[]

/** Fields whose values are long, character-merged text (Y.Text in the document). */
export const TEXT_FIELDS: Record<EntityKind, readonly string[]> = {
  collections: ['description', 'preRequestScript', 'testScript'],
  folders: ['description', 'preRequestScript', 'testScript'],
  requests: ['description', 'preRequestScript', 'testScript'],
  examples: [],
  presets: [],
  environments: [],
  globals: [],
}
