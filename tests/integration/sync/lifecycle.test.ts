import type { PigeonServer } from '../../support/pigeonServer.js'
import type { TestAccount } from './accounts.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLOSE_DOCUMENT_TOO_LARGE, CLOSE_REASONS, CLOSE_SERVICE_RESTART } from '../../../src/domain/syncProtocol.js'
import { startPigeonServer } from '../../support/pigeonServer.js'
import { connectSyncClient, waitUntil } from '../../support/syncClient.js'
import { createWorkspace, signUp } from './accounts.js'

let server: PigeonServer
let account: TestAccount

/** The server's JSON log lines with this event name. */
function logLines(event: string): Array<Record<string, unknown>> {
  return server.output().split('\n')
    .filter(line => line.startsWith('{'))
    .map(line => JSON.parse(line) as Record<string, unknown>)
    .filter(line => line.event === event)
}

beforeAll(async () => {
  server = await startPigeonServer({
    env: { SYNC_COMPACT_AFTER_UPDATES: '20', SYNC_IDLE_UNLOAD_MS: '200', MAX_DOCUMENT_BYTES: '200000' },
  })
  account = await signUp(server.url, 'lifecycle')
})

afterAll(async () => {
  await server.stop()
})

describe('documents over their life', () => {
  it('compacts a busy document, unloads it when idle, and loads it whole again', async () => {
    const document = `ws/${await createWorkspace(server.url, account)}`
    const writer = connectSyncClient(server.url, document, { cookie: account.cookie })
    await writer.synced()
    for (let i = 0; i < 60; i++) {
      writer.doc.getMap('entries').set(`k${i}`, i)
      if (i % 7 === 0)
        await writer.ack()
    }
    await writer.ack()
    writer.destroy()
    await waitUntil(() => logLines('sync_document_unloaded').some(l => l.document === document), 'the idle document is unloaded')
    expect(logLines('sync_document_compacted').filter(l => l.document === document).length).toBeGreaterThan(0)

    const reader = connectSyncClient(server.url, document, { cookie: account.cookie })
    await reader.synced()
    expect(reader.doc.getMap('entries').size).toBe(60)
    expect(logLines('sync_document_loaded').filter(l => l.document === document)).toHaveLength(2)
    reader.destroy()
  })

  it('refuses a change that would pass the document size limit, with a sentence, and keeps the rest', async () => {
    const document = `ws/${await createWorkspace(server.url, account)}`
    const writer = connectSyncClient(server.url, document, { cookie: account.cookie })
    await writer.synced()
    writer.doc.getText('body').insert(0, 'small and saved')
    await writer.ack()
    const closed = writer.closed()
    writer.doc.getText('huge').insert(0, 'x'.repeat(250_000))
    expect(await closed).toEqual({ code: CLOSE_DOCUMENT_TOO_LARGE, reason: CLOSE_REASONS.documentTooLarge })
    writer.destroy()

    const reader = connectSyncClient(server.url, document, { cookie: account.cookie })
    await reader.synced()
    expect(reader.doc.getText('body').toString()).toBe('small and saved')
    expect(reader.doc.getText('huge').length).toBe(0)
    reader.destroy()
  })

  it('logs one JSON line per socket open and close, with ids and the close code', async () => {
    const document = `runs/${account.personalWorkspaceId}`
    const client = connectSyncClient(server.url, document, { cookie: account.cookie })
    await client.synced()
    client.destroy()
    await waitUntil(() => logLines('sync_close').some(l => l.document === document), 'the close is logged')
    const open = logLines('sync_open').find(l => l.document === document)!
    const close = logLines('sync_close').find(l => l.document === document)!
    expect(open).toMatchObject({ userId: account.userId, sessionId: account.sessionId, readOnly: false })
    expect(close).toMatchObject({ connectionId: open.connectionId, userId: account.userId, by: 'client' })
    expect(server.output()).not.toContain(account.cookie.split('=')[1])
  })

  it('on SIGTERM closes sockets with 1012, exits cleanly and keeps every acked change', async () => {
    const document = `ws/${account.personalWorkspaceId}`
    const client = connectSyncClient(server.url, document, { cookie: account.cookie })
    await client.synced()
    client.doc.getMap('entries').set('before', 'shutdown')
    await client.ack()
    await server.stop('SIGTERM')
    expect(client.closes[0]?.code).toBe(CLOSE_SERVICE_RESTART)
    expect(server.process.exitCode).toBe(0)
    client.destroy()

    server = await server.restart()
    const reader = connectSyncClient(server.url, document, { cookie: account.cookie })
    await reader.synced()
    expect(reader.doc.getMap('entries').get('before')).toBe('shutdown')
    reader.destroy()
  })
})
