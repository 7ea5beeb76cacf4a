/**
 * Postman environments (and globals, which Postman exports in the same
 * shape) in and out. Secret values keep their type; only enabled values and
 * their initial values travel, as in Postman's own export.
 */
import { Environment, type Variable } from '../model'
import { newId as defaultNewId } from '../ids'
import { type ImportInput, parseImportInput } from './decode'
import { PostmanImportError } from './errors'
import { isObject, objects, text } from './read'
import type { ImportOptions } from './importCollection'

/** A Postman environment file as written by Postman. */
export interface PostmanEnvironmentJson {
  id: string
  name: string
  values: Array<{ key: string, value: string, type: 'default' | 'secret', enabled: boolean }>
  _postman_variable_scope: 'environment' | 'globals'
  _postman_exported_at: string
  _postman_exported_using: string
}

/** Reads a Postman environment (or globals) file into a new Pigeon environment. */
export function importPostmanEnvironment(input: ImportInput, options: ImportOptions = {}): Environment {
  const json = parseImportInput(input, 'Postman environment')
  if (!isObject(json))
    throw new PostmanImportError('This file is not a Postman environment: it holds no environment object.')
  if (Array.isArray(json.item) || isObject(json.info))
    throw new PostmanImportError('This file is a Postman collection, not an environment. Import it as a collection instead.')
  if (!Array.isArray(json.values))
    throw new PostmanImportError('This file is not a Postman environment: it has no "values" list. In Postman, choose Export on the environment and import that file.')
  const newId = options.newId ?? defaultNewId
  const now = options.now ?? Date.now()
  const variables: Variable[] = objects(json.values).map(entry => ({
    id: newId(),
    key: text(entry.key),
    value: text(entry.value),
    enabled: entry.enabled !== false && entry.disabled !== true,
    type: entry.type === 'secret' ? 'secret' : 'default',
  }))
  const fallbackName = json._postman_variable_scope === 'globals' ? 'Globals' : 'Imported environment'
  return Environment.parse({
    id: newId(),
    name: text(json.name).trim() || fallbackName,
    sortKey: options.sortKey ?? 'a0',
    variables,
    createdAt: now,
    updatedAt: now,
    updatedBy: options.updatedBy ?? '',
  })
}

/** A Pigeon environment as a Postman environment file (shared values only). */
export function exportPostmanEnvironment(environment: Pick<Environment, 'id' | 'name' | 'variables'>, options: { now?: number, scope?: 'environment' | 'globals' } = {}): PostmanEnvironmentJson {
  return {
    id: environment.id,
    name: environment.name,
    values: environment.variables.map(variable => ({ key: variable.key, value: variable.value, type: variable.type, enabled: variable.enabled })),
    _postman_variable_scope: options.scope ?? 'environment',
    _postman_exported_at: new Date(options.now ?? Date.now()).toISOString(),
    _postman_exported_using: 'Pigeon',
  }
}
