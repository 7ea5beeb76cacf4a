import { isObject } from './read'
import { isV1Collection } from './v1'

export type PostmanFileKind = 'collection' | 'environment' | 'unknown'

/** Whether parsed JSON looks like a Postman collection (any version) or an environment/globals file. */
export function postmanFileKind(json: unknown): PostmanFileKind {
  if (!isObject(json))
    return 'unknown'
  if (Array.isArray(json.item) || isV1Collection(json))
    return 'collection'
  if (Array.isArray(json.values))
    return 'environment'
  return 'unknown'
}
