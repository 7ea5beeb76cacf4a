/**
 * What the sending tests share: a Pigeon server, a local target server for
 * requests to go to (CORS on, so the browser agent can reach it) and one
 * browser on the app with the sidebar shown. Started before a file's tests,
 * closed after them; a test that restarts the browser puts the new device in
 * `device` and it is closed instead.
 */
import type { Page } from 'playwright-core'
import type { Device } from './browser'
import type { PigeonServer } from '../../support/pigeonServer'
import type { TargetServer } from '../../support/targetServer'
import { afterAll, beforeAll } from 'vitest'
import { startPigeonServer } from '../../support/pigeonServer'
import { startTargetServer } from '../../support/targetServer'
import { openDevice } from './browser'

export interface AppWithTarget {
  pigeon: PigeonServer
  target: TargetServer
  device: Device
  page: Page
}

export function openAppWithTarget(): AppWithTarget {
  const app = {} as AppWithTarget
  beforeAll(async () => {
    app.pigeon = await startPigeonServer()
    app.target = await startTargetServer({ cors: true })
    app.device = await openDevice()
    app.page = app.device.page
    app.page.setDefaultTimeout(30_000)
    await app.page.goto(app.pigeon.url)
    await app.page.getByRole('tab', { name: 'Collections' }).waitFor()
  })
  afterAll(async () => {
    await app.device?.close()
    await app.target?.close()
    await app.pigeon?.stop()
  })
  return app
}
