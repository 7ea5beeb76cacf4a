/**
 * Two tabs of one browser on one account, against the real server: two
 * Dexie connections to one fake-indexeddb database, each tab with its own
 * workspace doc (own clientID), the tab relay over Node's BroadcastChannel,
 * and one Web Locks stand-in for the browser. One tab leads the connection;
 * both stay consistent with each other, the server and a second device,
 * every update is stored once, and an ack never covers a row the leading
 * connection did not send.
 */
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import type { TestAccount } from '../sync/accounts.js'
import { type Closable, closeAfterEach, serverForThisFile } from '../../support/hooks'
import { signInOnAnotherDevice, signUp } from '../sync/accounts.js'
import { IDBFactory } from 'fake-indexeddb'
import { type PigeonDb, accountDbName } from '../../../src/db/schema'
import { createEntity, updateEntity } from '../../../src/sync/mutations'
import { announceToTabs, tabChannelName } from '../../../src/sync/tabRelay'
import { openWorkspaceDoc } from '../../../src/sync/workspaceDocs'
import { Device, eventually, openDbIn } from './devices'
import { type Browser, type Tab, browserOf, closeTab, openTab as openBrowserTab } from './browserTabs'

const server = serverForThisFile()
/** The tabs and devices a test opened, closed after it. */
const opened: Closable[] = []
closeAfterEach(opened)

async function openTab(browser: Browser): Promise<Tab> {
  return openBrowserTab(server.url, browser, opened)
}

async function secondDevice(account: TestAccount): Promise<Device> {
  const other = await signInOnAnotherDevice(server.url, account)
  const device = new Device('phone', { serverUrl: server.url, userId: other.userId, cookie: other.cookie, workspaceId: other.personalWorkspaceId })
  opened.push(device)
  return device.open()
}

async function collectionNames(db: PigeonDb, workspaceId: string): Promise<string[]> {
  const rows = await db.collections.where('workspaceId').equals(workspaceId).toArray()
  return rows.map(row => row.name).sort()
}

/** Update-log rows of the doc whose bytes appear more than once. */
async function duplicateRows(db: PigeonDb, docName: string): Promise<number> {
  const rows = await db.updates.where('docName').equals(docName).toArray()
  const contents = rows.map(row => Buffer.from(row.update).toString('base64'))
  return contents.length - new Set(contents).size
}

async function lastAckedSeq(db: PigeonDb, docName: string): Promise<number> {
  return (await db.docState.get(docName))?.lastAckedSeq ?? 0
}

describe('two tabs of one browser', () => {
  it('edit in both, converge with each other, the server and a phone, over one connection, storing each update once', async () => {
    const account = await signUp(server.url, 'ada')
    const browser = browserOf(account)
    const first = await openTab(browser)
    const second = await openTab(browser)
    const phone = await secondDevice(account)
    await Promise.all([first.remote.whenInSync(), second.remote.whenInSync()])
    expect(first.remote.provider).not.toBeNull()
    expect(second.remote.provider).toBeNull()
    expect(first.handle.doc.clientID).not.toBe(second.handle.doc.clientID)

    const billing = createEntity(first.handle, 'collections', { name: 'Billing API' })
    const users = createEntity(second.handle, 'collections', { name: 'Users API' })
    await eventually(() => first.handle.doc.getMap('collections').has(users.id) && second.handle.doc.getMap('collections').has(billing.id), both => both, 'each tab has the other\'s collection')
    updateEntity(second.handle, 'collections', billing.id, { name: 'Billing API v2' })
    updateEntity(first.handle, 'collections', users.id, { name: 'Users API v2' })
    // Both tabs edit one collection at once, each before it has the other's edit.
    updateEntity(first.handle, 'collections', billing.id, { description: 'Invoices and payments' })
    updateEntity(second.handle, 'collections', billing.id, { testScript: 'expect(status).toBe(200)' })
    createEntity(phone.handle, 'collections', { name: 'From the phone' })

    const expected = ['Billing API v2', 'From the phone', 'Users API v2']
    await eventually(() => collectionNames(phone.db, phone.workspaceId), names => names.join() === expected.join(), 'the phone has both tabs\' edits')
    await eventually(() => collectionNames(first.db, account.personalWorkspaceId), names => names.join() === expected.join(), 'the browser\'s tables have every edit')
    await eventually(() => Y.encodeStateVector(first.handle.doc).join() === Y.encodeStateVector(second.handle.doc).join(), same => same, 'both tabs\' docs hold the same changes')
    await Promise.all([first.remote.whenInSync(), second.remote.whenInSync(), phone.remote.whenInSync()])
    expect(second.remote.status.detail).toBe(first.remote.status.detail)

    await Promise.all([first.handle.flushed(), second.handle.flushed()])
    // The shared table row has both tabs' edits, not the view of whichever tab wrote last.
    expect(await first.db.collections.get([account.personalWorkspaceId, billing.id])).toMatchObject({ description: 'Invoices and payments', testScript: 'expect(status).toBe(200)' })
    expect(await duplicateRows(first.db, first.handle.docName)).toBe(0)
    // The phone's edit arrived in both tabs but was stored by the leader only.
    const rows = await first.db.updates.where('docName').equals(first.handle.docName).count()
    expect(rows).toBeLessThanOrEqual(1 /* the first meta row */ + 6 /* the tabs' edits */ + 1 /* the phone's */ + 1 /* the server's state on first connect */)
  })

  it('does not ack a row another tab stored until the leading connection holds its change', async () => {
    const account = await signUp(server.url, 'grace')
    const browser = browserOf(account)
    const tab = await openTab(browser)
    const phone = await secondDevice(account)
    await tab.remote.whenInSync()
    const docName = tab.handle.docName

    createEntity(tab.handle, 'collections', { name: 'Before' })
    await tab.remote.whenInSync()
    const ackedBefore = await lastAckedSeq(tab.db, docName)

    // Another tab stored its change; the relay has not brought it here yet.
    // (Made in a scratch browser, whose relay reaches no one, then stored here by hand.)
    const scratchDb = openDbIn(new IDBFactory(), accountDbName(account.userId))
    const otherTab = openWorkspaceDoc(scratchDb, account.personalWorkspaceId, { userId: account.userId })
    await otherTab.whenLoaded
    Y.applyUpdate(otherTab.doc, Y.encodeStateAsUpdate(tab.handle.doc))
    const before = Y.encodeStateVector(otherTab.doc)
    createEntity(otherTab, 'collections', { name: 'From the other tab' })
    const stray = Y.encodeStateAsUpdate(otherTab.doc, before)
    await otherTab.close()
    scratchDb.close()
    const straySeq = await tab.db.updates.add({ docName, update: stray, local: true, at: Date.now() })

    createEntity(tab.handle, 'collections', { name: 'After' })
    await eventually(() => collectionNames(phone.db, phone.workspaceId), names => names.includes('After'), 'the server has the later change')
    await eventually(() => tab.remote.status.unacked, unacked => unacked === 2, 'the status counts the other tab\'s row and the later one')
    // Give any wrongly covering ack time to arrive.
    await new Promise(resolve => setTimeout(resolve, 500))
    expect(await lastAckedSeq(tab.db, docName)).toBeGreaterThanOrEqual(ackedBefore)
    expect(await lastAckedSeq(tab.db, docName)).toBeLessThan(straySeq)
    expect(tab.remote.status.state).toBe('syncing')

    // The relay delivers it: the leader sends it, and the ack now covers both rows.
    announceToTabs(tabChannelName(tab.db, docName), stray)
    await tab.remote.whenInSync()
    expect(await lastAckedSeq(tab.db, docName)).toBeGreaterThan(straySeq)
    await eventually(() => collectionNames(phone.db, phone.workspaceId), names => names.includes('From the other tab'), 'the phone has the other tab\'s change')
  })

  it('hands the connection to the other tab when the leading tab closes, losing nothing made just before', async () => {
    const account = await signUp(server.url, 'linus')
    const browser = browserOf(account)
    const leader = await openTab(browser)
    const follower = await openTab(browser)
    const phone = await secondDevice(account)
    await Promise.all([leader.remote.whenInSync(), follower.remote.whenInSync()])

    createEntity(follower.handle, 'collections', { name: 'Made as the leader left' })
    await closeTab(leader)
    await eventually(() => follower.remote.provider !== null, leads => leads, 'the other tab leads')
    createEntity(follower.handle, 'collections', { name: 'Made by the new leader' })
    await follower.remote.whenInSync()
    await eventually(
      () => collectionNames(phone.db, phone.workspaceId),
      names => names.join() === ['Made as the leader left', 'Made by the new leader'].join(),
      'the phone has both changes',
    )
    expect(await duplicateRows(follower.db, follower.handle.docName)).toBe(0)
  })

  it('takes a follower\'s disconnect and connect as the browser\'s: every tab says Offline, then In sync', async () => {
    const account = await signUp(server.url, 'barbara')
    const browser = browserOf(account)
    const leader = await openTab(browser)
    const follower = await openTab(browser)
    await Promise.all([leader.remote.whenInSync(), follower.remote.whenInSync()])

    follower.remote.disconnect()
    await eventually(() => [leader.remote.status.state, follower.remote.status.state], states => states.join() === 'offline,offline', 'both tabs say Offline')
    createEntity(follower.handle, 'collections', { name: 'Offline edit' })
    await eventually(() => follower.remote.status.unacked, unacked => unacked === 1, 'the follower counts its offline change')
    await eventually(() => leader.remote.status.unacked, unacked => unacked === 1, 'the leader counts it too')

    follower.remote.connect()
    await Promise.all([leader.remote.whenInSync(), follower.remote.whenInSync()])
    expect(follower.remote.status.unacked).toBe(0)
  })
})
