/**
 * `{{name}}` variables, resolved like Postman: the narrowest scope that
 * defines a name wins (local > data > environment > collection > global),
 * values may themselves contain variables, and `{{$guid}}`-style dynamic
 * variables make a fresh value each time they are used.
 */
import { SCOPE_ORDER, type ScopeName, type VariableScope } from './scopes'

/** Where a `{{name}}` sits in a text; `end` is exclusive and includes the braces. */
export interface VariableMatch {
  name: string
  start: number
  end: number
}

/** What a name resolves to and which scope supplied it (for hover cards and marks). */
export interface VariableLookup {
  value: string
  scope: ScopeName
  label: string
  secret: boolean
}

/** Sources of time and randomness for dynamic variables, swappable in tests. */
export interface DynamicContext {
  /** Milliseconds since the epoch. */
  now: () => number
  /** A number in [0, 1). */
  random: () => number
}

export interface ResolveOptions {
  /** How many rounds of nested references are followed (Postman-like). Default 10. */
  maxDepth?: number
  /** Time and randomness for dynamic variables; `false` leaves `{{$guid}}` and friends untouched. */
  dynamic?: DynamicContext | false
}

/** The result of a resolution, with the names nothing could resolve. */
export interface ResolveReport {
  value: string
  unresolved: string[]
}

// Like Postman: a name is anything without braces; the innermost pair wins, so
// `{{base_{{env}}}}` resolves `env` first and then the name it builds.
const VARIABLE_PATTERN = /\{\{([^{}]+)\}\}/g

const DEFAULT_MAX_DEPTH = 10

/** Every `{{name}}` in a text, in order. */
export function findVariables(text: string): VariableMatch[] {
  const matches: VariableMatch[] = []
  for (const match of text.matchAll(VARIABLE_PATTERN)) {
    const start = match.index ?? 0
    matches.push({ name: match[1], start, end: start + match[0].length })
  }
  return matches
}

/**
 * The value of `name` from the narrowest scope that has it enabled. Within a
 * scope the last enabled duplicate wins, as in Postman. The order of `scopes`
 * does not matter; only their names do.
 */
export function lookupVariable(name: string, scopes: readonly VariableScope[]): VariableLookup | null {
  for (const scopeName of SCOPE_ORDER) {
    for (const scope of scopes) {
      if (scope.name !== scopeName)
        continue
      let found: VariableLookup | null = null
      for (const entry of scope.values) {
        if (entry.key === name && entry.enabled !== false)
          found = { value: entry.value, scope: scope.name, label: scope.label ?? defaultLabel(scope.name), secret: entry.secret === true }
      }
      if (found)
        return found
    }
  }
  return null
}

function defaultLabel(scope: ScopeName): string {
  return scope.charAt(0).toUpperCase() + scope.slice(1)
}

/** Replaces every known `{{name}}` in `text`; unknown ones stay as typed. */
export function resolveString(text: string, scopes: readonly VariableScope[], options: ResolveOptions = {}): string {
  return resolveWithReport(text, scopes, options).value
}

/**
 * Resolves `text` and also names the variables left unresolved, so a caller
 * can say which one is missing ("{{baseUrl}} is not defined").
 */
export function resolveWithReport(text: string, scopes: readonly VariableScope[], options: ResolveOptions = {}): ResolveReport {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH
  const dynamic = options.dynamic === undefined ? defaultDynamicContext : options.dynamic
  let current = text
  // Each round replaces the references visible now; values that bring new
  // references are handled by the next round, up to maxDepth (so cycles end).
  for (let round = 0; round < maxDepth && current.includes('{{'); round++) {
    let replaced = false
    const next = current.replace(VARIABLE_PATTERN, (whole, name: string) => {
      const value = valueOf(name, scopes, dynamic)
      if (value === null)
        return whole
      replaced = true
      return value
    })
    current = next
    if (!replaced)
      break
  }
  const unresolved = [...new Set(findVariables(current).map(match => match.name))]
  return { value: current, unresolved }
}

function valueOf(name: string, scopes: readonly VariableScope[], dynamic: DynamicContext | false): string | null {
  const found = lookupVariable(name, scopes)
  if (found)
    return found.value
  // Like Postman, a user variable named `$guid` shadows the dynamic one.
  if (dynamic && name.startsWith('$'))
    return dynamicValue(name, dynamic)
  return null
}

/** Resolves every string inside a value (objects, arrays), keeping its shape. */
export function resolveDeep<T>(value: T, scopes: readonly VariableScope[], options: ResolveOptions = {}): T {
  if (typeof value === 'string')
    return resolveString(value, scopes, options) as T
  if (Array.isArray(value))
    return value.map(item => resolveDeep(item, scopes, options)) as T
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value))
      copy[key] = resolveDeep(item, scopes, options)
    return copy as T
  }
  return value
}

const defaultDynamicContext: DynamicContext = {
  now: () => Date.now(),
  random: () => Math.random(),
}

/** The dynamic variables Pigeon knows, with what they make (for autocomplete). */
export const DYNAMIC_VARIABLES: ReadonlyArray<{ name: string, description: string }> = [
  { name: '$guid', description: 'A random v4 UUID' },
  { name: '$randomUUID', description: 'A random v4 UUID' },
  { name: '$timestamp', description: 'The current Unix time in seconds' },
  { name: '$isoTimestamp', description: 'The current time in ISO 8601 (UTC)' },
  { name: '$randomInt', description: 'A random integer from 0 to 1000' },
  { name: '$randomBoolean', description: 'true or false' },
  { name: '$randomAlphaNumeric', description: 'A random letter or digit' },
  { name: '$randomHexColor', description: 'A random colour like #3f9a0c' },
  { name: '$randomIP', description: 'A random IPv4 address' },
  { name: '$randomPort', description: 'A random port from 0 to 65535' },
  { name: '$randomColor', description: 'A random colour name' },
  { name: '$randomFirstName', description: 'A random first name' },
  { name: '$randomLastName', description: 'A random last name' },
  { name: '$randomFullName', description: 'A random first and last name' },
  { name: '$randomUserName', description: 'A random user name like maria.lopez42' },
  { name: '$randomEmail', description: 'A random email address at example.com' },
  { name: '$randomPhoneNumber', description: 'A random phone number like 555-123-4567' },
  { name: '$randomLoremWord', description: 'A random lorem ipsum word' },
]

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789'
const FIRST_NAMES = ['Maria', 'James', 'Aiko', 'Omar', 'Lena', 'Kwame', 'Sofia', 'Ivan', 'Priya', 'Lucas', 'Chloe', 'Mateo']
const LAST_NAMES = ['Lopez', 'Smith', 'Tanaka', 'Haddad', 'Novak', 'Mensah', 'Rossi', 'Petrov', 'Sharma', 'Silva', 'Martin', 'Garcia']
const LOREM = ['lorem', 'ipsum', 'dolor', 'sit', 'amet', 'consectetur', 'adipiscing', 'elit', 'sed', 'tempor', 'magna', 'aliqua']
const COLORS = ['red', 'orange', 'yellow', 'green', 'blue', 'indigo', 'violet', 'black', 'white', 'gray', 'purple', 'pink']

const DYNAMIC_MAKERS: Record<string, (context: DynamicContext) => string> = {
  $guid: uuid,
  $randomUUID: uuid,
  $timestamp: context => String(Math.floor(context.now() / 1000)),
  $isoTimestamp: context => new Date(context.now()).toISOString(),
  $randomInt: context => String(randomInt(context, 0, 1000)),
  $randomBoolean: context => String(context.random() < 0.5),
  $randomAlphaNumeric: context => ALPHANUMERIC[randomInt(context, 0, ALPHANUMERIC.length - 1)],
  $randomHexColor: context => `#${Array.from({ length: 6 }, () => randomInt(context, 0, 15).toString(16)).join('')}`,
  $randomIP: context => Array.from({ length: 4 }, () => randomInt(context, 0, 255)).join('.'),
  $randomPort: context => String(randomInt(context, 0, 65535)),
  $randomColor: context => pick(context, COLORS),
  $randomFirstName: context => pick(context, FIRST_NAMES),
  $randomLastName: context => pick(context, LAST_NAMES),
  $randomFullName: context => `${pick(context, FIRST_NAMES)} ${pick(context, LAST_NAMES)}`,
  $randomUserName: context => userName(context),
  $randomEmail: context => `${userName(context)}@example.com`,
  $randomPhoneNumber: context => `${randomInt(context, 200, 999)}-${randomInt(context, 100, 999)}-${String(randomInt(context, 0, 9999)).padStart(4, '0')}`,
  $randomLoremWord: context => pick(context, LOREM),
}

function pick(context: DynamicContext, words: readonly string[]): string {
  return words[randomInt(context, 0, words.length - 1)]
}

function userName(context: DynamicContext): string {
  return `${pick(context, FIRST_NAMES)}.${pick(context, LAST_NAMES)}${randomInt(context, 1, 99)}`.toLowerCase()
}

/** A fresh value for a dynamic variable such as `$guid`, or null if the name is unknown. */
export function dynamicValue(name: string, context: DynamicContext = defaultDynamicContext): string | null {
  return isDynamicVariable(name) ? DYNAMIC_MAKERS[name](context) : null
}

/** True when `name` is a dynamic variable such as `$timestamp`. */
export function isDynamicVariable(name: string): boolean {
  return Object.hasOwn(DYNAMIC_MAKERS, name)
}

function randomInt(context: DynamicContext, min: number, max: number): number {
  return min + Math.floor(context.random() * (max - min + 1))
}

function uuid(context: DynamicContext): string {
  const hex = Array.from({ length: 32 }, () => randomInt(context, 0, 15).toString(16))
  hex[12] = '4'
  hex[16] = (8 + randomInt(context, 0, 3)).toString(16)
  const text = hex.join('')
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`
}
