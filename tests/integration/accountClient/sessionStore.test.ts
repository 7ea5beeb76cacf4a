import type { PigeonServer } from '../../support/pigeonServer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiError } from '../../../src/api'
import { SESSION_ENDED_MESSAGE } from '../../../src/stores/session'
import { startPigeonServer } from '../../support/pigeonServer'
import { newAccount, openApp, waitForMail } from './support'

let server: PigeonServer

beforeAll(async () => {
  server = await startPigeonServer()
})
afterAll(() => server?.stop())

/** An account signed up on a fresh install. */
async function signedUp() {
  const account = newAccount()
  const app = openApp(server.url)
  await app.store.signUp(account)
  return { account, app }
}

/** The error a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(() => null, (e: unknown) => e)
  expect(error).toBeInstanceOf(ApiError)
  return error as ApiError
}

describe('signing up and in', () => {
  it('signs up, is signed in with its personal workspace, and is still signed in after a reload', async () => {
    const account = newAccount()
    const app = openApp(server.url)
    expect(app.store.status).toBe('signed-out')
    const workspaces = await app.store.signUp(account)
    expect(workspaces).toEqual([expect.objectContaining({ kind: 'personal', role: 'owner' })])
    expect(app.store.status).toBe('signed-in')
    expect(app.store.user).toMatchObject({ email: account.email, username: account.username })
    expect(app.store.session).toMatchObject({ deviceId: app.store.deviceId, deviceName: 'Chrome on Linux', browser: 'Chrome 131 on Linux', current: true })

    const reloaded = app.reload()
    expect(reloaded.store.deviceId).toBe(app.store.deviceId)
    await reloaded.store.restore()
    expect(reloaded.store.status).toBe('signed-in')
    expect(reloaded.store.offline).toBe(false)
    expect(reloaded.store.user?.username).toBe(account.username)
  })

  it('shows the server\'s sentence when the username is taken', async () => {
    const { account } = await signedUp()
    const error = await failure(openApp(server.url).store.signUp({ ...newAccount(), username: account.username }))
    expect(error.code).toBe('username_taken')
    expect(error.message).toBe(`The username "${account.username}" is taken. Choose another one.`)
  })

  it('signs in by email and by username on other devices', async () => {
    const { account } = await signedUp()
    const byEmail = openApp(server.url)
    expect(await byEmail.store.signIn(account.email.toUpperCase(), account.password)).toBe('signed-in')
    expect(byEmail.store.user?.username).toBe(account.username)
    const byUsername = openApp(server.url)
    expect(await byUsername.store.signIn(` ${account.username} `, account.password)).toBe('signed-in')
    expect(byUsername.store.user?.email).toBe(account.email)
  })

  it('says "Wrong email/username or password." and stays signed out', async () => {
    const { account } = await signedUp()
    const app = openApp(server.url)
    const error = await failure(app.store.signIn(account.username, 'not the password at all'))
    expect(error.message).toBe('Wrong email/username or password.')
    expect(app.store.status).toBe('signed-out')
    expect(app.store.user).toBeNull()
  })

  it('signs out on the server and forgets the user here, also after a reload', async () => {
    const { app } = await signedUp()
    await app.store.signOut()
    expect(app.store.status).toBe('signed-out')
    const reloaded = app.reload()
    await reloaded.store.restore()
    expect(reloaded.store.status).toBe('signed-out')
    expect(reloaded.store.endedMessage).toBeNull()
  })

  it('never says the session ended when the server closes the sockets of a sign-out this device asked for', async () => {
    const { app } = await signedUp()
    const signingOut = app.store.signOut()
    // The server ends the session and closes this device's sockets (4401) before its answer arrives.
    app.store.endedByServer()
    await signingOut
    expect(app.store.status).toBe('signed-out')
    expect(app.store.endedMessage).toBeNull()
  })
})

describe('the fourth device', () => {
  it('is refused with the three other devices, and continues by signing one of them out', async () => {
    const { account, app: laptop } = await signedUp()
    await laptop.store.renameDevice('Work laptop')
    const phone = openApp(server.url)
    await phone.store.signIn(account.username, account.password)
    const tablet = openApp(server.url)
    await tablet.store.signIn(account.username, account.password)

    const fourth = openApp(server.url)
    expect(await fourth.store.signIn(account.username, account.password)).toBe('device-limit')
    expect(fourth.store.status).toBe('signed-out')
    expect(fourth.store.deviceLimit?.message).toMatch(/signed in on 3 devices.*Sign one of them out to continue here/)
    const devices = fourth.store.deviceLimit!.devices
    expect(devices).toHaveLength(3)
    expect(devices.map(d => d.deviceName)).toContain('Work laptop')
    expect(devices.every(d => d.browser === 'Chrome 131 on Linux' && d.lastSeenAt > 0)).toBe(true)

    const laptopSession = devices.find(d => d.deviceName === 'Work laptop')!.sessionId
    expect(await fourth.store.continueBySigningOut(laptopSession)).toBe('signed-in')
    expect(fourth.store.deviceLimit).toBeNull()
    expect(fourth.store.user?.username).toBe(account.username)

    // The laptop finds out at its next start, in words, and is signed out.
    const laptopAgain = laptop.reload()
    await laptopAgain.store.restore()
    expect(laptopAgain.store.status).toBe('signed-out')
    expect(laptopAgain.store.endedMessage).toBe(SESSION_ENDED_MESSAGE)
  })

  it('signs nobody out when the refused sign-in is cancelled', async () => {
    const { account } = await signedUp()
    for (let i = 0; i < 2; i++)
      await openApp(server.url).store.signIn(account.username, account.password)
    const fourth = openApp(server.url)
    await fourth.store.signIn(account.email, account.password)
    fourth.store.cancelDeviceLimit()
    expect(fourth.store.deviceLimit).toBeNull()
    await expect(fourth.store.continueBySigningOut('anything')).rejects.toThrow(/no sign-in waiting/)
    // Nobody was signed out to make room: the next one is refused the same way.
    const again = openApp(server.url)
    expect(await again.store.signIn(account.username, account.password)).toBe('device-limit')
    expect(again.store.deviceLimit?.devices).toHaveLength(3)
  })
})

describe('devices and sessions', () => {
  it('lists the devices with this one marked, renames this device and signs another out', async () => {
    const { account, app: laptop } = await signedUp()
    const phone = openApp(server.url, { userAgent: 'Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0' })
    await phone.store.signIn(account.username, account.password)
    expect(phone.store.deviceName).toBe('Firefox on Android')

    const listed = await laptop.store.listSessions()
    expect(listed).toHaveLength(2)
    expect(listed.find(s => s.current)?.deviceId).toBe(laptop.store.deviceId)
    expect(listed.find(s => !s.current)).toMatchObject({ deviceName: 'Firefox on Android', browser: 'Firefox 133 on Android' })

    await laptop.store.renameDevice('  Ada\'s laptop  ')
    expect(laptop.store.deviceName).toBe('Ada\'s laptop')
    expect(laptop.store.session?.deviceName).toBe('Ada\'s laptop')
    expect(laptop.store.sessions.find(s => s.current)?.deviceName).toBe('Ada\'s laptop')
    expect((await phone.store.listSessions()).find(s => !s.current)?.deviceName).toBe('Ada\'s laptop')
    // The name stays with this browser profile for the next sign-in.
    expect(laptop.reload().store.deviceName).toBe('Ada\'s laptop')

    await laptop.store.revokeSession(phone.store.session!.sessionId)
    expect(laptop.store.sessions.map(s => s.deviceId)).toEqual([laptop.store.deviceId])
    await expect(phone.store.listSessions()).rejects.toThrow('You are not signed in, or your session has ended. Sign in again.')
    expect(phone.store.status).toBe('signed-out')
    expect(phone.store.endedMessage).toBe(SESSION_ENDED_MESSAGE)
  })

  it('signs this device out when its own session is revoked from the list', async () => {
    const { app } = await signedUp()
    await app.store.revokeSession(app.store.session!.sessionId)
    expect(app.store.status).toBe('signed-out')
    const reloaded = app.reload()
    await reloaded.store.restore()
    expect(reloaded.store.status).toBe('signed-out')
  })
})

describe('a session ended elsewhere', () => {
  it('is told in words when the sync socket reports it, and the next start agrees', async () => {
    const { account, app: laptop } = await signedUp()
    const phone = openApp(server.url)
    await phone.store.signIn(account.username, account.password)
    await phone.store.revokeSession(laptop.store.session!.sessionId)

    // The laptop's sync socket closes with 4401; the sync layer tells the session store.
    laptop.store.endedByServer()
    expect(laptop.store.status).toBe('signed-out')
    expect(laptop.store.user).toBeNull()
    expect(laptop.store.endedMessage).toBe(SESSION_ENDED_MESSAGE)
    laptop.store.dismissEnded()
    expect(laptop.store.endedMessage).toBeNull()

    const reloaded = laptop.reload()
    await reloaded.store.restore()
    expect(reloaded.store.status).toBe('signed-out')
  })
})

describe('recovery by mail', () => {
  it('resets a forgotten password with the code from the mail and signs in with the new one', async () => {
    const { account, app: laptop } = await signedUp()
    const stranded = openApp(server.url)
    const asked = await stranded.store.forgotPassword(account.username)
    expect(asked).toMatch(/reset code is on its way/)
    const mail = await waitForMail(server.dataDir, account.email)
    const code = /Reset code: ([\w-]{43})/.exec(mail)![1]

    const weak = await failure(stranded.store.resetPassword(code, 'short'))
    expect(weak.message).toMatch(/too short/)
    const done = await stranded.store.resetPassword(` ${code} `, 'a brand new password')
    expect(done).toMatch(/every device is signed out/)

    expect(await stranded.store.signIn(account.username, 'a brand new password')).toBe('signed-in')
    await laptop.reload().store.restore()
    const wrongOld = await failure(openApp(server.url).store.signIn(account.username, account.password))
    expect(wrongOld.code).toBe('wrong_credentials')
    const used = await failure(openApp(server.url).store.resetPassword(code, 'yet another password'))
    expect(used.code).toBe('invalid_token')
  })

  it('mails a username reminder', async () => {
    const { account } = await signedUp()
    const message = await openApp(server.url).store.forgotUsername(account.email)
    expect(message).toMatch(/its username is on its way there/)
    expect(await waitForMail(server.dataDir, account.email)).toContain(`Username: ${account.username}`)
  })
})

describe('deleting the account', () => {
  it('refuses a wrong password in words, then deletes the account and signs out', async () => {
    const { account, app } = await signedUp()
    const wrong = await failure(app.store.deleteAccount('not my password'))
    expect(wrong.message).toBe('That password is not right, so your account was not deleted.')
    expect(app.store.status).toBe('signed-in')

    await app.store.deleteAccount(account.password)
    expect(app.store.status).toBe('signed-out')
    expect(app.store.user).toBeNull()
    const gone = await failure(openApp(server.url).store.signIn(account.email, account.password))
    expect(gone.code).toBe('wrong_credentials')
    // The email and username are free again.
    await openApp(server.url).store.signUp(account)
  })
})
