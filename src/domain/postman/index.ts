/** Postman collection and environment files in and out. */
export { decodeFileText, type ImportInput, parseImportInput } from './decode'
export { PostmanImportError } from './errors'
export { postmanFileKind, type PostmanFileKind } from './fileKind'
export { type CollectionContent, exportPostmanCollection, POSTMAN_SCHEMA_V21, type PostmanCollectionJson } from './exportCollection'
export { exportPostmanEnvironment, importPostmanEnvironment, type PostmanEnvironmentJson } from './environment'
export { type ImportedCollection, importPostmanCollection, type ImportOptions } from './importCollection'
