/**
 * Pigeon's entity model: one schema per entity, shared by the client, the
 * projection into Dexie, imports and the server. Every record that crosses a
 * boundary (stored rows, imports, API payloads) is parsed with these schemas.
 *
 * Schemas are lenient where old or foreign data may lack a field (defaults)
 * and strict about types, so a malformed record fails loudly and can be kept
 * aside instead of breaking the app.
 */
import { z } from 'zod'

const id = z.string().min(1).max(200)
const timestamp = z.number().int().nonnegative()

/** A row of a key/value table: query params, headers, urlencoded fields, path variables. */
export const KeyValueRow = z.object({
  id,
  key: z.string().default(''),
  value: z.string().default(''),
  enabled: z.boolean().default(true),
  description: z.string().default(''),
})
export type KeyValueRow = z.infer<typeof KeyValueRow>

/**
 * A file chosen by the user for a form-data part or a binary body. The bytes
 * stay on this device (Dexie `blobs` table): they are never synced.
 */
export const FileRef = z.object({
  blobId: id,
  name: z.string(),
  size: z.number().int().nonnegative(),
  type: z.string().default('application/octet-stream'),
})
export type FileRef = z.infer<typeof FileRef>

export const FormDataRow = KeyValueRow.extend({
  kind: z.enum(['text', 'file']).default('text'),
  file: FileRef.nullable().default(null),
  contentType: z.string().default(''),
})
export type FormDataRow = z.infer<typeof FormDataRow>

export const RAW_LANGUAGES = ['json', 'text', 'xml', 'html', 'javascript'] as const
export type RawLanguage = (typeof RAW_LANGUAGES)[number]

export const BODY_MODES = ['none', 'raw', 'urlencoded', 'formdata', 'binary', 'graphql'] as const
export type BodyMode = (typeof BODY_MODES)[number]

/** A request body keeps every mode's content, like Postman, so switching modes loses nothing. */
export const RequestBody = z.object({
  mode: z.enum(BODY_MODES).default('none'),
  raw: z.string().default(''),
  rawLanguage: z.enum(RAW_LANGUAGES).default('json'),
  urlencoded: z.array(KeyValueRow).default([]),
  formdata: z.array(FormDataRow).default([]),
  binary: FileRef.nullable().default(null),
  graphql: z.object({ query: z.string().default(''), variables: z.string().default('') }).default({ query: '', variables: '' }),
})
export type RequestBody = z.infer<typeof RequestBody>

export const AUTH_TYPES = ['inherit', 'none', 'basic', 'bearer', 'apikey'] as const
export type AuthType = (typeof AUTH_TYPES)[number]

/** Auth keeps every type's fields, so switching type in the editor loses nothing. */
export const Auth = z.object({
  type: z.enum(AUTH_TYPES).default('inherit'),
  basic: z.object({ username: z.string().default(''), password: z.string().default('') }).default({ username: '', password: '' }),
  bearer: z.object({ token: z.string().default('') }).default({ token: '' }),
  apikey: z.object({
    key: z.string().default(''),
    value: z.string().default(''),
    in: z.enum(['header', 'query']).default('header'),
  }).default({ key: '', value: '', in: 'header' }),
})
export type Auth = z.infer<typeof Auth>

export const VARIABLE_TYPES = ['default', 'secret'] as const
/**
 * A variable's `value` is the shared (initial) value and syncs. Its *current*
 * value is local to the device and lives in the Dexie `currentValues` table.
 */
export const Variable = z.object({
  id,
  key: z.string().default(''),
  value: z.string().default(''),
  enabled: z.boolean().default(true),
  type: z.enum(VARIABLE_TYPES).default('default'),
})
export type Variable = z.infer<typeof Variable>

export const RequestSettings = z.object({
  /** 0 means the app default. */
  timeoutMs: z.number().int().nonnegative().default(0),
  followRedirects: z.boolean().default(true),
  maxRedirects: z.number().int().nonnegative().default(10),
})
export type RequestSettings = z.infer<typeof RequestSettings>

const entityBase = {
  id,
  createdAt: timestamp.default(0),
  updatedAt: timestamp.default(0),
  updatedBy: z.string().default(''),
}

export const Collection = z.object({
  ...entityBase,
  name: z.string().default('New Collection'),
  description: z.string().default(''),
  sortKey: z.string().default('a0'),
  auth: Auth.default(Auth.parse({ type: 'none' })),
  variables: z.array(Variable).default([]),
  preRequestScript: z.string().default(''),
  testScript: z.string().default(''),
})
export type Collection = z.infer<typeof Collection>

export const Folder = z.object({
  ...entityBase,
  /** The collection or folder this folder sits in. */
  parentId: id,
  collectionId: id,
  sortKey: z.string().default('a0'),
  name: z.string().default('New Folder'),
  description: z.string().default(''),
  auth: Auth.default(Auth.parse({})),
  preRequestScript: z.string().default(''),
  testScript: z.string().default(''),
})
export type Folder = z.infer<typeof Folder>

export const STANDARD_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const

export const Request = z.object({
  ...entityBase,
  parentId: id,
  collectionId: id,
  sortKey: z.string().default('a0'),
  name: z.string().default('New Request'),
  /** Standard or custom (any token), upper-cased. */
  method: z.string().min(1).max(64).default('GET'),
  url: z.string().default(''),
  params: z.array(KeyValueRow).default([]),
  pathVariables: z.array(KeyValueRow).default([]),
  headers: z.array(KeyValueRow).default([]),
  body: RequestBody.default(RequestBody.parse({})),
  auth: Auth.default(Auth.parse({})),
  settings: RequestSettings.default(RequestSettings.parse({})),
  description: z.string().default(''),
  preRequestScript: z.string().default(''),
  testScript: z.string().default(''),
})
export type Request = z.infer<typeof Request>

/** The request fields a draft, a history entry or an example keeps (no tree placement). */
export const RequestSnapshot = Request.pick({
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
  name: z.string().default('Example'),
  request: RequestSnapshot,
  status: z.number().int().default(0),
  statusText: z.string().default(''),
  headers: z.array(ResponseHeader).default([]),
  body: z.string().default(''),
  bodyTruncated: z.boolean().default(false),
  timeMs: z.number().nonnegative().default(0),
  size: z.number().int().nonnegative().default(0),
})
export type Example = z.infer<typeof Example>

export const HeaderPreset = z.object({
  ...entityBase,
  name: z.string().default('New Preset'),
  headers: z.array(KeyValueRow).default([]),
})
export type HeaderPreset = z.infer<typeof HeaderPreset>

export const Environment = z.object({
  ...entityBase,
  name: z.string().default('New Environment'),
  sortKey: z.string().default('a0'),
  variables: z.array(Variable).default([]),
})
export type Environment = z.infer<typeof Environment>

/** Globals are one record per workspace, with the fixed id `globals`. */
export const Globals = z.object({
  ...entityBase,
  variables: z.array(Variable).default([]),
})
export type Globals = z.infer<typeof Globals>
export const GLOBALS_ID = 'globals'

export const ResponseSummary = z.object({
  status: z.number().int().default(0),
  statusText: z.string().default(''),
  timeMs: z.number().nonnegative().default(0),
  size: z.number().int().nonnegative().default(0),
  headers: z.array(ResponseHeader).default([]),
  body: z.string().default(''),
  bodyTruncated: z.boolean().default(false),
  /** Set when the request could not be sent: the reason in words. */
  error: z.string().default(''),
})
export type ResponseSummary = z.infer<typeof ResponseSummary>

export const HistoryEntry = z.object({
  ...entityBase,
  /** The saved request this was sent from, if any. */
  requestId: z.string().default(''),
  request: RequestSnapshot,
  response: ResponseSummary,
  sentAt: timestamp,
})
export type HistoryEntry = z.infer<typeof HistoryEntry>
export const HISTORY_LIMIT = 1000

export const Workspace = z.object({
  id,
  name: z.string().min(1).max(200),
  kind: z.enum(['local', 'personal', 'team']).default('local'),
  createdAt: timestamp.default(0),
  updatedAt: timestamp.default(0),
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
