/**
 * Variable scopes, from the narrowest to the widest, as Postman resolves
 * them: local > data > environment > collection > global.
 */
export const SCOPE_ORDER = ['local', 'data', 'environment', 'collection', 'global'] as const
export type ScopeName = (typeof SCOPE_ORDER)[number]

export interface ScopedValue {
  key: string
  /** The value used when sending: the current value if set on this device, else the shared one. */
  value: string
  enabled?: boolean
  secret?: boolean
}

export interface VariableScope {
  name: ScopeName
  /** Shown on hover: "Environment: Staging". */
  label?: string
  values: ScopedValue[]
}
