/** The device fields the app sends at sign-up and sign-in. */
import type { IncomingMessage } from 'node:http'
import type { DeviceInfo } from '../auth/sessions.js'
import { z } from 'zod'
import { cleanDeviceName } from '../../../src/domain/deviceName.js'
import { describeUserAgent } from '../auth/userAgent.js'

export const deviceFields = {
  /** Made by the app once per install and kept on the device. */
  deviceId: z.string().regex(/^[\w-]{1,100}$/, 'a device id has 1 to 100 letters, digits, _ or -'),
  deviceName: z.string().max(200).optional(),
}

export function deviceInfo(req: IncomingMessage, body: { deviceId: string, deviceName?: string }): DeviceInfo {
  const userAgent = String(req.headers['user-agent'] ?? '').slice(0, 500)
  return {
    deviceId: body.deviceId,
    deviceName: cleanDeviceName(body.deviceName ?? '') || describeUserAgent(userAgent),
    userAgent,
  }
}
