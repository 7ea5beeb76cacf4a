/**
 * Environments and globals of the active workspace, the active environment
 * (this device only), and current values of variables (this device only).
 * `scopesFor` hands request building the variable scopes with current
 * values applied.
 */
import type { Environment, Globals, Variable } from '../domain/model'
import type { ScopedValue, VariableScope } from '../domain/scopes'
import type { EntityPatch } from '../sync/mutations'
import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import { useObservable } from '../composables/useObservable'
import { observe } from '../db/live'
import { clearCurrentValues, getCurrentValues, getSetting, setCurrentValue as storeCurrentValue, setSetting } from '../db/local'
import { getGlobals, listEnvironments } from '../db/queries'
import { newId } from '../domain/ids'
import { GLOBALS_ID } from '../domain/model'
import { createEntity, deleteEntity, updateEntity } from '../sync/mutations'
import { useCollectionsStore } from './collections'
import { useWorkspacesStore } from './workspaces'

type CurrentValues = Record<string, Record<string, string>>

export const useEnvironmentsStore = defineStore('environments', () => {
  const workspaces = useWorkspacesStore()
  const collectionsStore = useCollectionsStore()
  const workspaceId = computed(() => workspaces.activeWorkspaceId)

  const environmentList = useObservable(
    () => workspaceId.value ? observe(() => listEnvironments(workspaces.db, workspaceId.value!)) : null,
    null as Environment[] | null,
  )
  const environments = computed(() => environmentList.value ?? [])
  const loaded = computed(() => environmentList.value !== null)
  const globals = useObservable(
    () => workspaceId.value ? observe(() => getGlobals(workspaces.db, workspaceId.value!)) : null,
    { id: GLOBALS_ID, createdAt: 0, updatedAt: 0, updatedBy: '', variables: [] } as Globals,
  )

  /** Current values are keyed by scope id; globals share one id across workspaces, so theirs is per workspace. */
  const globalsScopeId = computed(() => `${workspaceId.value ?? ''}/globals`)

  const scopeIds = computed(() => [
    globalsScopeId.value,
    ...environments.value.map(e => e.id),
    ...collectionsStore.collections.map(c => c.id),
  ])
  const currentValues = useObservable(() => {
    const ids = scopeIds.value
    return workspaceId.value ? observe(() => readCurrentValues(ids)) : null
  }, {} as CurrentValues)

  async function readCurrentValues(ids: string[]): Promise<CurrentValues> {
    const maps = await Promise.all(ids.map(id => getCurrentValues(workspaces.db, id)))
    return Object.fromEntries(ids.map((id, i) => [id, Object.fromEntries(maps[i])]))
  }

  const activeEnvironmentId = ref<string | null>(null)
  const activeEnvironment = computed(() => environments.value.find(e => e.id === activeEnvironmentId.value) ?? null)
  const activeSettingKey = (id: string): string => `activeEnvironment:${id}`

  watch(workspaceId, async (id) => {
    activeEnvironmentId.value = id ? await getSetting<string | null>(workspaces.db, activeSettingKey(id), null) : null
  }, { immediate: true })

  /** The open document to write to (waits while the workspace is opening). */
  function handle() {
    return workspaces.whenOpen()
  }

  /** Chooses the environment requests resolve against (null: none); remembered on this device. */
  async function setActiveEnvironment(id: string | null): Promise<void> {
    activeEnvironmentId.value = id
    if (workspaceId.value)
      await setSetting(workspaces.db, activeSettingKey(workspaceId.value), id)
  }

  /** Creates an environment and returns its id. */
  async function create(name = 'New Environment', variables: Variable[] = []): Promise<string> {
    return createEntity(await handle(), 'environments', { name, variables }).id
  }

  /** Changes an environment's name or variables. */
  async function update(id: string, patch: EntityPatch<'environments'>): Promise<void> {
    updateEntity(await handle(), 'environments', id, patch)
  }

  /** Copies an environment (shared values; current values stay with the original) and returns the copy's id. */
  async function duplicate(id: string): Promise<string> {
    // Read what is stored (not the live list, which may lag a fresh change by a moment).
    await (await handle()).flushed()
    const source = (await listEnvironments(workspaces.db, workspaceId.value!)).find(e => e.id === id)
    if (!source)
      throw new Error('This environment no longer exists; it may have been deleted in another tab.')
    return create(`${source.name} Copy`, source.variables.map(v => ({ ...v, id: newId() })))
  }

  /** Deletes an environment and its current values on this device. */
  async function remove(id: string): Promise<void> {
    deleteEntity(await handle(), 'environments', id)
    await clearCurrentValues(workspaces.db, id)
    if (activeEnvironmentId.value === id)
      await setActiveEnvironment(null)
  }

  /** Replaces the globals' variables. */
  async function updateGlobals(variables: Variable[]): Promise<void> {
    updateEntity(await handle(), 'globals', GLOBALS_ID, { variables })
  }

  /** Sets a variable's current value on this device; an empty value goes back to the shared one. */
  async function setCurrentValue(scopeId: string, variableId: string, value: string): Promise<void> {
    if (value === '')
      await clearCurrentValues(workspaces.db, scopeId, variableId)
    else
      await storeCurrentValue(workspaces.db, { scopeId, variableId, workspaceId: workspaceId.value ?? '', value })
  }

  /** Current values of one scope (environment id, collection id or `globalsScopeId`), by variable id. */
  function currentValuesOf(scopeId: string): Record<string, string> {
    return currentValues.value[scopeId] ?? {}
  }

  function scoped(variables: readonly Variable[], scopeId: string): ScopedValue[] {
    const current = currentValuesOf(scopeId)
    return variables.map(v => ({ key: v.key, value: current[v.id] ?? v.value, enabled: v.enabled, secret: v.type === 'secret' }))
  }

  /** The environment (the active one unless named; null: none), collection and global scopes a request in `collectionId` resolves against (current values applied). */
  function scopesFor(collectionId: string | null, environmentId: string | null = activeEnvironmentId.value): VariableScope[] {
    const scopes: VariableScope[] = []
    const environment = environments.value.find(e => e.id === environmentId)
    if (environment)
      scopes.push({ name: 'environment', label: `Environment: ${environment.name}`, values: scoped(environment.variables, environment.id) })
    const collection = collectionId ? collectionsStore.collections.find(c => c.id === collectionId) : undefined
    if (collection)
      scopes.push({ name: 'collection', label: `Collection: ${collection.name}`, values: scoped(collection.variables, collection.id) })
    scopes.push({ name: 'global', label: 'Globals', values: scoped(globals.value.variables, globalsScopeId.value) })
    return scopes
  }

  return {
    environments,
    loaded,
    globals,
    globalsScopeId,
    currentValues,
    activeEnvironmentId,
    activeEnvironment,
    setActiveEnvironment,
    create,
    update,
    duplicate,
    remove,
    updateGlobals,
    setCurrentValue,
    currentValuesOf,
    scopesFor,
  }
})
