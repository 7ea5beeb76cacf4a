import 'fake-indexeddb/auto'
import { createPinia, setActivePinia } from 'pinia'
import { describe, expect, it } from 'vitest'
import { newId } from '../../../src/domain/ids'
import { usePresetsStore } from '../../../src/stores/presets'
import { selectDatabase, useWorkspacesStore } from '../../../src/stores/workspaces'

async function until(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const started = Date.now()
  while (!check()) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`Timed out waiting until ${what}`)
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}

const header = (key: string, value: string) => ({ id: newId(), key, value, enabled: true, description: '' })

describe('presets store', () => {
  it('creates, edits and deletes a header preset', async () => {
    selectDatabase(`pigeon-test-${newId()}`)
    setActivePinia(createPinia())
    await useWorkspacesStore().ready
    const presets = usePresetsStore()

    const id = await presets.create('JSON API', [header('Accept', 'application/json')])
    await until(() => presets.presets.length === 1, 'the preset shows')
    await presets.update(id, { name: 'JSON API (traced)', headers: [header('Accept', 'application/json'), header('X-Trace', 'on')] })
    await until(() => presets.presets[0].name === 'JSON API (traced)', 'the edit shows')
    expect(presets.presets[0].headers.map(h => h.key)).toEqual(['Accept', 'X-Trace'])

    await presets.remove(id)
    await until(() => presets.presets.length === 0, 'the preset is gone')
  })
})
