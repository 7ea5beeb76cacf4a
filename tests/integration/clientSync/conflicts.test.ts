/**
 * Conflicts against the real server: two devices of one account, each with
 * its own IndexedDB and the workspace synced as the app syncs it
 * (syncWorkspace). Both edit the same request while disconnected, reload,
 * and reconnect one after the other: the device whose change was not acked
 * when the other's arrived records the conflict; keeping its value is a
 * normal edit that reaches the other device.
 */
import type { PigeonServer } from '../../support/pigeonServer.js'
import type { TestAccount } from '../sync/accounts.js'
import type { PigeonDb } from '../../../src/db/schema'
import { IDBFactory } from 'fake-indexeddb'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startPigeonServer } from '../../support/pigeonServer.js'
import { signInOnAnotherDevice, signUp } from '../sync/accounts.js'
import { accountDbName } from '../../../src/db/schema'
import { listConflicts } from '../../../src/db/conflicts'
import { getRequest } from '../../../src/db/queries'
import { readWorkspace } from '../../../src/db/registry'
import { createEntity, updateEntity } from '../../../src/sync/mutations'
import { createWorkspace } from '../../../src/sync/workspaceDocs'
import { keepValue } from '../../../src/sync/conflicts/resolve'
import { type WorkspaceSync, syncWorkspace } from '../../../src/sync/remote/workspaceSync'
import { eventually, nodeWebSocket, openDbIn } from './devices'

let server: PigeonServer
const open = new Set<WorkspaceSync>()

/** One browser of the account: its own IndexedDB, the personal workspace synced. */
class Browser {
  readonly db: PigeonDb
  sync!: WorkspaceSync

  constructor(private readonly account: TestAccount) {
    this.db = openDbIn(new IDBFactory(), accountDbName(account.userId))
  }

  async open(connect = true): Promise<this> {
    const { account } = this
    if (!(await readWorkspace(this.db, account.personalWorkspaceId)))
      await createWorkspace(this.db, 'Personal', 'personal', account.personalWorkspaceId)
    this.sync = await syncWorkspace(this.db, account.personalWorkspaceId, account.userId, {
      serverUrl: server.url,
      WebSocketPolyfill: nodeWebSocket({ cookie: account.cookie, origin: server.url }),
      maxBackoffTime: 300,
      connect,
    })
    open.add(this.sync)
    return this
  }

  /** Closes everything like a closed tab, and opens again from what is stored, not connected. */
  async reloadOffline(): Promise<void> {
    await this.sync.close()
    open.delete(this.sync)
    await this.open(false)
    // This tab holds the connection (it leads the document) before it is told to connect.
    await eventually(() => this.sync.documents[0].provider !== null, held => held, 'this tab holds the connection')
  }

  get workspaceId(): string {
    return this.account.personalWorkspaceId
  }

  async request(id: string) {
    await this.sync.workspace.flushed()
    return getRequest(this.db, this.workspaceId, id)
  }

  async conflicts() {
    return (await listConflicts(this.db, this.workspaceId)).standing
  }
}

beforeAll(async () => {
  server = await startPigeonServer()
})
afterEach(async () => {
  for (const sync of open)
    await sync.close().catch(() => undefined)
  open.clear()
})
afterAll(async () => {
  await server.stop()
})

describe('conflicting offline edits on two devices', () => {
  it('records the conflict on the device that reconnects second, and keeping its value converges both', async () => {
    const account = await signUp(server.url, 'grace')
    const laptop = await new Browser(account).open()
    const phone = await new Browser(await signInOnAnotherDevice(server.url, account)).open()
    const collection = createEntity(laptop.sync.workspace, 'collections', { name: 'Billing' })
    const request = createEntity(laptop.sync.workspace, 'requests', {
      parentId: collection.id,
      name: 'Invoices',
      url: 'https://billing.test/invoices',
      headers: [{ id: 'accept', key: 'Accept', value: 'application/json', enabled: true, description: '' }],
    })
    await eventually(() => phone.request(request.id), row => row !== undefined, 'the request reaches the phone')
    await Promise.all([laptop.sync.whenInSync(), phone.sync.whenInSync()])

    // Both go offline and edit the same request: one field on both, other fields on one each.
    laptop.sync.disconnect()
    phone.sync.disconnect()
    updateEntity(laptop.sync.workspace, 'requests', request.id, { url: 'https://billing.test/v2/invoices', name: 'List invoices', method: 'POST' })
    const [accept] = (await phone.request(request.id))!.headers
    updateEntity(phone.sync.workspace, 'requests', request.id, { url: 'https://billing.test/invoices?paid=false', headers: [{ ...accept, value: 'text/csv' }] })

    // Both reload before the server hears from them: the unacked changes come from the stored log.
    await laptop.reloadOffline()
    await phone.reloadOffline()

    laptop.sync.connect()
    await laptop.sync.whenInSync()
    phone.sync.connect()
    await phone.sync.whenInSync()
    await laptop.sync.whenInSync()

    const merged = await eventually(
      async () => [await laptop.request(request.id), await phone.request(request.id)] as const,
      ([a, b]) => JSON.stringify(a) === JSON.stringify(b) && a?.headers[0].value === 'text/csv',
      'both devices hold the same merged request',
    )
    expect(merged[0]).toMatchObject({ name: 'List invoices', method: 'POST', headers: [{ key: 'Accept', value: 'text/csv' }] })

    expect(await laptop.conflicts()).toEqual([])
    const phoneConflicts = await eventually(() => phone.conflicts(), list => list.length > 0, 'the phone records the conflict')
    expect(phoneConflicts).toMatchObject([{
      entityName: 'List invoices',
      kind: 'requests',
      path: ['url'],
      fieldLabel: 'URL',
      mine: 'https://billing.test/invoices?paid=false',
      theirs: 'https://billing.test/v2/invoices',
      inPlace: merged[0]?.url === 'https://billing.test/invoices?paid=false' ? 'mine' : 'theirs',
    }])

    // Keep mine on the phone: a normal edit, synced to the laptop.
    keepValue(phone.sync.workspace, phoneConflicts[0], 'mine')
    await phone.sync.whenInSync()
    await eventually(() => laptop.request(request.id), row => row?.url === 'https://billing.test/invoices?paid=false', 'the laptop gets the phone\'s URL')
    expect((await phone.request(request.id))?.url).toBe('https://billing.test/invoices?paid=false')
    expect(await laptop.conflicts()).toEqual([])
  })
})
