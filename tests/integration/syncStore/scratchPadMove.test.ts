/**
 * "Move Scratch Pad items into a workspace…" against the real server: what a
 * person made signed out (a collection with a folder, a request and a saved
 * example, an environment with a current value, a header preset) is copied
 * after sign-in into the workspace they choose, reaches their other device,
 * and the Scratch Pad still has its own.
 */
import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { getBlob, putBlob } from '../../../src/db/local'
import { listCollections, listEnvironments, listFolders, listPresets } from '../../../src/db/queries'
import { readScratchPad } from '../../../src/db/scratchPad'
import { useEnvironmentsStore } from '../../../src/stores/environments'
import { usePresetsStore } from '../../../src/stores/presets'
import { useScratchPadMoveStore } from '../../../src/stores/scratchPadMove'
import { SCRATCH_PAD_ID } from '../../../src/sync/workspaceDocs'
import { newAccount } from '../accountClient/support'
import { eventually } from '../clientSync/devices'
import { serverForAppTests } from './appOnDevice'

const { openApp, anotherDevice } = serverForAppTests()

describe('moving Scratch Pad items into a workspace', () => {
  it('copies the chosen items made signed out into the chosen workspace, they sync to another device, and the Scratch Pad keeps them', async () => {
    const app = openApp()
    const environments = useEnvironmentsStore()
    const presets = usePresetsStore()
    const move = useScratchPadMoveStore()
    await app.workspaces.ready
    expect(app.workspaces.activeWorkspaceId).toBe(SCRATCH_PAD_ID)

    // Signed out, in the Scratch Pad: a collection with a folder, a request and a request with a file body.
    const ordersId = await app.collections.createCollection('Orders API')
    const folderId = await app.collections.createFolder(ordersId, 'Refunds')
    await app.collections.createRequest(folderId, { name: 'Refund an order', method: 'POST', url: 'https://shop.test/refunds' })
    const blobId = await putBlob(app.workspaces.db, { name: 'receipt.pdf', type: 'application/pdf', bytes: new Uint8Array([37, 80, 68, 70]) })
    await app.collections.createRequest(ordersId, { name: 'Upload receipt', method: 'PUT', url: 'https://shop.test/receipts', body: { mode: 'binary', raw: '', rawLanguage: 'json', urlencoded: [], formdata: [], binary: { blobId, name: 'receipt.pdf', size: 4, type: 'application/pdf' }, graphql: { query: '', variables: '' } } })
    await app.collections.createCollection('Not this one')
    const stagingId = await environments.create('Staging', [{ id: 'v1', key: 'base', value: 'https://staging.shop.test', enabled: true, type: 'default' }])
    await environments.setCurrentValue(stagingId, 'v1', 'https://my-laptop.test')
    const presetId = await presets.create('JSON headers', [{ id: 'h1', key: 'Accept', value: 'application/json', enabled: true, description: '' }])
    await app.workspaces.handle!.flushed()

    const account = newAccount()
    const [personal] = await app.session.signUp(account)
    await app.sync.settled()
    await app.sync.whenInSync()
    const teamId = await app.workspaces.create('Shop team')

    const content = await move.load()
    expect(content.collections.map(c => c.name).sort()).toEqual(['Not this one', 'Orders API'])
    expect(move.targets.map(w => w.name).sort()).toEqual([personal.name, 'Shop team'].sort())

    const said = await move.copy({ collectionIds: [ordersId], environmentIds: [stagingId], presetIds: [presetId] }, teamId)
    expect(said).toBe('Copied 1 collection, 1 environment and 1 header preset into “Shop team”. The Scratch Pad keeps its own.')
    expect(app.workspaces.activeWorkspaceId).toBe(teamId)
    // The file's bytes are this device's own: copied with the request, into the account's database.
    expect((await getBlob(app.workspaces.db, blobId))?.bytes).toEqual(new Uint8Array([37, 80, 68, 70]))
    await app.sync.whenInSync(15_000)

    // The account's other device gets them from the server.
    const phone = await anotherDevice({ ...account, userId: app.session.user!.id, personalWorkspaceId: personal.id }, teamId)
    const [copied] = await eventually(() => listCollections(phone.db, teamId), rows => rows.length === 1, 'the copied collection reaches the phone')
    expect(copied.name).toBe('Orders API')
    expect(copied.id).not.toBe(ordersId)
    await eventually(() => listFolders(phone.db, teamId), rows => rows.some(f => f.name === 'Refunds' && f.collectionId === copied.id), 'its folder too')
    await eventually(() => phone.db.requests.where('workspaceId').equals(teamId).toArray(), rows => rows.some(r => r.name === 'Refund an order' && r.url === 'https://shop.test/refunds') && rows.some(r => r.name === 'Upload receipt' && r.body.binary?.name === 'receipt.pdf'), 'its requests too')
    const [staging] = await eventually(() => listEnvironments(phone.db, teamId), rows => rows.length === 1, 'the environment reaches the phone')
    expect(staging.variables).toMatchObject([{ key: 'base', value: 'https://staging.shop.test' }])
    await eventually(() => listPresets(phone.db, teamId), rows => rows.some(p => p.name === 'JSON headers'), 'the preset reaches the phone')
    // The current value was this device's, in the Scratch Pad: it did not travel.
    expect(await phone.db.currentValues.where('workspaceId').equals(teamId).count()).toBe(0)

    // Copied, not moved: the Scratch Pad has all it had.
    const after = await readScratchPad(SCRATCH_PAD_ID)
    expect(after.collections.map(c => c.name).sort()).toEqual(['Not this one', 'Orders API'])
    expect(after.environments.map(e => e.name)).toEqual(['Staging'])
    expect(after.presets.map(p => p.name)).toEqual(['JSON headers'])
  }, 40_000)

  it('refuses to copy when nothing is chosen, saying what to do', async () => {
    const app = openApp()
    const move = useScratchPadMoveStore()
    await app.workspaces.ready
    const [personal] = await app.session.signUp(newAccount())
    await app.sync.settled()
    await expect(move.copy({ collectionIds: [], environmentIds: [], presetIds: [] }, personal.id)).rejects.toThrow('Choose at least one collection, environment or header preset to copy.')
  })
})
