/** The app's connection to its own server's JSON API. */
export { createAccountsApi } from './accounts'
export type { AccountsApi, DeviceFields, SignInInput, SignUpInput } from './accounts'
export { createApiClient } from './client'
export type { ApiClient, ApiClientOptions, FetchLike } from './client'
export { browserStorage, cleanDeviceName, defaultDeviceName, deviceIdentity, memoryStorage } from './device'
export type { DeviceIdentity, KeyValueStorage } from './device'
export { ApiError, isNotSignedIn, isUnreachable, ServerUnreachableError, UNREACHABLE_MESSAGE } from './errors'
export type { LimitedDevice, Session, SignedIn, SignedUp, User, Workspace } from './schemas'
