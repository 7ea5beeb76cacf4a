/**
 * Tolerant readers for foreign JSON: Postman files written by many versions
 * of many tools disagree on types (a description may be an object, a value a
 * number, a list missing), so every field is read through these.
 */
export type JsonObject = Record<string, unknown>

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A string, a number or boolean as text, anything else as `fallback`. */
export function text(value: unknown, fallback = ''): string {
  if (typeof value === 'string')
    return value
  if (typeof value === 'number' || typeof value === 'boolean')
    return String(value)
  return fallback
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : []
}

export function objects(value: unknown): JsonObject[] {
  return list(value).filter(isObject)
}

/** A description is a string or `{ content, type }`. */
export function description(value: unknown): string {
  return isObject(value) ? text(value.content) : text(value)
}

/** The script of an event (`prerequest` or `test`); `exec` is a list of lines or one string. */
export function script(events: unknown, listen: 'prerequest' | 'test'): string {
  const parts: string[] = []
  for (const event of objects(events)) {
    if (event.listen !== listen || event.disabled === true || !isObject(event.script))
      continue
    const exec = event.script.exec
    parts.push(Array.isArray(exec) ? exec.map(line => text(line)).join('\n') : text(exec))
  }
  return parts.join('\n')
}

/** Auth parameters: v2.1 lists `[{ key, value }]`, v2.0 plain objects. */
export function authParams(value: unknown): Record<string, string> {
  const params: Record<string, string> = {}
  if (Array.isArray(value)) {
    for (const entry of objects(value))
      params[text(entry.key)] = text(entry.value)
  }
  else if (isObject(value)) {
    for (const [key, entry] of Object.entries(value))
      params[key] = text(entry)
  }
  return params
}
