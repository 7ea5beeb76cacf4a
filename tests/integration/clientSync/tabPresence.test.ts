/**
 * Presence from every tab of one browser, against the real server: two tabs
 * (one Web Locks stand-in, one fake IndexedDB, Node's BroadcastChannel) and a
 * phone on one account. The phone sees the browser as one device with what
 * both tabs have open; the tab without the connection sees the phone; a tab
 * that closes takes its request away; and when the leading tab closes the
 * other one takes over presence too.
 */
import { describe, expect, it } from 'vitest'
import type { TestAccount } from '../sync/accounts.js'
import { type Closable, closeAfterEach, serverForThisFile } from '../../support/hooks'
import { signInOnAnotherDevice, signUp } from '../sync/accounts.js'
import { type PresenceIdentity, type PresencePeer, type SharedPresence, requestsOpenIn, sharePresence } from '../../../src/sync/remote/presence'
import { Device, eventually } from './devices'
import { type Browser, type Tab, browserOf, closeTab, openTab as openBrowserTab } from './browserTabs'

/** A tab that shares presence. */
interface PresenceTab extends Tab {
  presence: SharedPresence
}

const server = serverForThisFile()
/** The tabs and devices a test opened, closed after it. */
const opened: Closable[] = []
closeAfterEach(opened)

const laptopOf = (account: TestAccount): PresenceIdentity => ({ userId: account.userId, username: account.username, deviceId: 'device-laptop', deviceName: 'Laptop' })
const phoneOf = (account: TestAccount): PresenceIdentity => ({ userId: account.userId, username: account.username, deviceId: 'device-phone', deviceName: 'Phone' })

/** A tab of the laptop's browser, sharing presence with `openRequestId` open. */
async function openTab(browser: Browser, openRequestId: string | null): Promise<PresenceTab> {
  const tab = await openBrowserTab(server.url, browser, opened)
  // Presence goes on the tab itself, not on a copy, so a tab the test closes is marked closed for the after-test clean-up too.
  return Object.assign(tab, { presence: sharePresence(tab.remote.awareness!, laptopOf(browser.account), openRequestId) })
}

async function phoneWithPresence(account: TestAccount): Promise<{ phone: Device, presence: SharedPresence }> {
  const other = await signInOnAnotherDevice(server.url, account)
  const phone = new Device('phone', { serverUrl: server.url, userId: other.userId, cookie: other.cookie, workspaceId: other.personalWorkspaceId })
  opened.push(phone)
  await phone.open()
  return { phone, presence: sharePresence(phone.remote.awareness!, phoneOf(account), 'request-on-phone') }
}

/** "Laptop: a,b" for each peer: the device and what it has open. */
const seen = (peers: PresencePeer[]): string[] => peers.map(peer => `${peer.device.name}: ${requestsOpenIn(peer).join(',')}`)

describe('presence from two tabs of one browser', () => {
  it('shows the phone one laptop with both tabs\' requests, shows the phone in the tab without the connection, and drops a closed tab\'s request', async () => {
    const account = await signUp(server.url, 'tia')
    const browser = browserOf(account)
    const leading = await openTab(browser, 'request-a')
    const following = await openTab(browser, 'request-b')
    expect(leading.remote.provider).not.toBeNull()
    expect(following.remote.provider).toBeNull()
    const { presence: onPhone } = await phoneWithPresence(account)

    await eventually(() => seen(onPhone.peers()), now => now.join() === 'Laptop: request-a,request-b' || now.join() === 'Laptop: request-b,request-a', 'the phone sees one laptop with both requests')
    await eventually(() => seen(following.presence.peers()), now => now.join() === 'Phone: request-on-phone', 'the tab without the connection sees the phone')
    await eventually(() => seen(leading.presence.peers()), now => now.join() === 'Phone: request-on-phone', 'the leading tab sees the phone')

    // The follower opens another request: the phone follows, still one avatar.
    following.presence.setOpenRequest('request-c')
    await eventually(() => seen(onPhone.peers()), now => now.length === 1 && now[0] === 'Laptop: request-c,request-a', 'the phone sees the follower\'s new request first')

    await closeTab(following)
    await eventually(() => seen(onPhone.peers()), now => now.join() === 'Laptop: request-a', 'the closed tab\'s request is gone')
  })

  it('hands presence to the other tab when the leading tab closes: the phone sees its request, and it still sees the phone', async () => {
    const account = await signUp(server.url, 'uma')
    const browser = browserOf(account)
    const leading = await openTab(browser, 'request-a')
    const following = await openTab(browser, 'request-b')
    const { presence: onPhone } = await phoneWithPresence(account)
    await eventually(() => seen(following.presence.peers()), now => now.join() === 'Phone: request-on-phone', 'the follower sees the phone')

    await closeTab(leading)
    await eventually(() => following.remote.provider !== null, taken => taken, 'the other tab took the connection')
    await eventually(() => seen(onPhone.peers()), now => now.join() === 'Laptop: request-b', 'the phone sees the remaining tab\'s request only')
    await eventually(() => seen(following.presence.peers()), now => now.join() === 'Phone: request-on-phone', 'the new leader sees the phone')
  })
})
