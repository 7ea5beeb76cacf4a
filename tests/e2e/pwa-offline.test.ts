/**
 * Pigeon opens and keeps working with no network: with the server process
 * stopped for real, and with the browser offline — across a browser restart:
 * collections and saved requests made offline are there after the restart.
 */
import type { Device } from './support/browser'
import type { PigeonServer } from '../support/pigeonServer'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startPigeonServer } from '../support/pigeonServer'
import { openDevice } from './support/browser'
import { addSavedRequest, createCollection, expectRequestUrl, waitForServiceWorkerControl } from './pwaSupport'

const OFFLINE_SENTENCE = 'Offline — everything you have works; sending to non-local hosts needs the network'

describe('Pigeon with no network', () => {
  let server: PigeonServer
  let device: Device

  beforeEach(async () => {
    server = await startPigeonServer()
    device = await openDevice()
  })

  afterEach(async () => {
    await device?.close()
    await server?.stop()
  })

  it('opens from the service worker after the server stops, and keeps edits across a browser restart', async () => {
    const { page } = device
    await page.goto(server.url)
    await waitForServiceWorkerControl(page)
    await page.getByRole('button', { name: 'New collection' }).first().waitFor()

    await server.stop()
    await page.reload()
    await page.getByRole('status').filter({ hasText: 'Server unreachable' }).waitFor()
    await createCollection(page, 'Made while the server was down')
    await addSavedRequest(page, 'Made while the server was down', 'List users', 'http://localhost:9/users?page=2')

    device = await device.restart()
    const restarted = device.page
    const response = await restarted.goto(server.url)
    expect(response?.fromServiceWorker()).toBe(true)
    await restarted.getByRole('treeitem', { name: 'Made while the server was down' }).waitFor()
    await expectRequestUrl(restarted, 'Made while the server was down', 'List users', 'http://localhost:9/users?page=2')
    await restarted.getByRole('status').filter({ hasText: 'Server unreachable' }).waitFor()
  })

  it('opens when the browser is offline, says what works, and keeps edits across a browser restart', async () => {
    const { page, context } = device
    await page.goto(server.url)
    await waitForServiceWorkerControl(page)

    await context.setOffline(true)
    await page.reload()
    await page.getByRole('status').filter({ hasText: OFFLINE_SENTENCE }).waitFor()
    await createCollection(page, 'Made on a plane')
    await addSavedRequest(page, 'Made on a plane', 'Create order', 'http://localhost:9/orders')

    device = await device.restart()
    await device.context.setOffline(true)
    const response = await device.page.goto(server.url)
    expect(response?.fromServiceWorker()).toBe(true)
    await device.page.getByRole('treeitem', { name: 'Made on a plane' }).waitFor()
    await expectRequestUrl(device.page, 'Made on a plane', 'Create order', 'http://localhost:9/orders')
    await device.page.getByRole('status').filter({ hasText: OFFLINE_SENTENCE }).waitFor()

    await device.context.setOffline(false)
    await device.page.getByRole('status').filter({ hasText: 'Offline' }).waitFor({ state: 'detached' })
  })
})
