import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { newId } from '../../../src/domain/ids'
import { lookupVariable } from '../../../src/domain/variables'
import { useCollectionsStore } from '../../../src/stores/collections'
import { useEnvironmentsStore } from '../../../src/stores/environments'
import { freshDatabaseName, openWorkspace, until } from './support'

async function openApp(databaseName = freshDatabaseName()) {
  const workspaces = await openWorkspace(databaseName)
  const environments = useEnvironmentsStore()
  await until(() => environments.loaded, 'environments loaded')
  return { workspaces, environments, collections: useCollectionsStore(), databaseName }
}

const variable = (key: string, value: string, type: 'default' | 'secret' = 'default') => ({ id: newId(), key, value, enabled: true, type })

describe('environments store', () => {
  it('the active environment\'s current value overrides its shared value', async () => {
    const { environments } = await openApp()
    const token = variable('token', 'shared-token', 'secret')
    const id = await environments.create('Staging', [variable('baseUrl', 'https://staging.test'), token])
    await environments.setActiveEnvironment(id)
    await until(() => environments.activeEnvironment?.variables.length === 2, 'the environment is active')

    await environments.setCurrentValue(id, token.id, 'my-own-token')
    await until(() => environments.currentValuesOf(id)[token.id] === 'my-own-token', 'the current value is stored')

    const scopes = environments.scopesFor(null)
    expect(lookupVariable('token', scopes)).toMatchObject({ value: 'my-own-token', secret: true })
    expect(lookupVariable('baseUrl', scopes)).toMatchObject({ value: 'https://staging.test' })

    await environments.setCurrentValue(id, token.id, '')
    await until(() => environments.currentValuesOf(id)[token.id] === undefined, 'the current value is cleared')
    expect(lookupVariable('token', environments.scopesFor(null))?.value).toBe('shared-token')
  })

  it('resolves environment before collection before globals', async () => {
    const { environments, collections } = await openApp()
    const collectionId = await collections.createCollection('API')
    await collections.updateCollection(collectionId, { variables: [variable('host', 'collection.test'), variable('version', 'v1')] })
    await environments.updateGlobals([variable('host', 'global.test'), variable('version', 'v0'), variable('region', 'eu')])
    const envId = await environments.create('Prod', [variable('host', 'prod.test')])
    await environments.setActiveEnvironment(envId)
    await until(() => environments.activeEnvironment !== null && environments.globals.variables.length === 3
      && collections.collections[0]?.variables.length === 2, 'everything is stored')

    const scopes = environments.scopesFor(collectionId)
    expect(lookupVariable('host', scopes)?.value).toBe('prod.test')
    expect(lookupVariable('version', scopes)?.value).toBe('v1')
    expect(lookupVariable('region', scopes)?.value).toBe('eu')
  })

  it('duplicates, renames and deletes environments, and remembers the active one after a restart', async () => {
    const first = await openApp()
    const id = await first.environments.create('Local', [variable('port', '3000')])
    await first.environments.update(id, { name: 'Localhost' })
    const copyId = await first.environments.duplicate(id)
    await until(() => first.environments.environments.length === 2, 'both environments show')
    expect(first.environments.environments.map(e => e.name)).toEqual(['Localhost', 'Localhost Copy'])
    await first.environments.setActiveEnvironment(copyId)
    await first.environments.remove(id)
    await until(() => first.environments.environments.length === 1, 'the original is gone')

    const again = await openApp(first.databaseName)
    await until(() => again.environments.activeEnvironment?.name === 'Localhost Copy', 'the active environment is back')
    expect(again.environments.activeEnvironment?.variables[0]).toMatchObject({ key: 'port', value: '3000' })
  })
})
