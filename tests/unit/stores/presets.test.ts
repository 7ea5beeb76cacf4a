import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { newId } from '../../../src/domain/ids'
import { usePresetsStore } from '../../../src/stores/presets'
import { openWorkspace, until } from './support'

const header = (key: string, value: string) => ({ id: newId(), key, value, enabled: true, description: '' })

describe('presets store', () => {
  it('creates, edits and deletes a header preset', async () => {
    await openWorkspace()
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
