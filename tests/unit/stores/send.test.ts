import 'fake-indexeddb/auto'
import type { EchoBody, TargetServer } from '../../support/targetServer'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { newId } from '../../../src/domain/ids'
import { Auth } from '../../../src/domain/model'
import { useCollectionsStore } from '../../../src/stores/collections'
import { useEnvironmentsStore } from '../../../src/stores/environments'
import { useExamplesStore } from '../../../src/stores/examples'
import { useHistoryStore } from '../../../src/stores/history'
import { useSendStore } from '../../../src/stores/send'
import { useSettingsStore } from '../../../src/stores/settings'
import { useTabsStore } from '../../../src/stores/tabs'
import { startTargetServer } from '../../support/targetServer'
import { openWorkspace, until } from './support'

const variable = (key: string, value: string) => ({ id: newId(), key, value, enabled: true, type: 'default' as const })

let target: TargetServer
beforeAll(async () => {
  target = await startTargetServer({ cors: true })
})
afterAll(async () => {
  await target.close()
})

async function openApp() {
  const workspaces = await openWorkspace()
  const settings = useSettingsStore()
  await settings.ready
  // In Node the page's fetch is Node's: the browser agent reaches the target directly.
  settings.agent = 'browser'
  const tabs = useTabsStore()
  await tabs.ready
  return {
    workspaces,
    tabs,
    collections: useCollectionsStore(),
    environments: useEnvironmentsStore(),
    history: useHistoryStore(),
    sending: useSendStore(),
    examples: useExamplesStore(),
  }
}

/** A collection with a variable and bearer auth, a folder that inherits it, and a request in the folder. */
async function requestInCollection(app: Awaited<ReturnType<typeof openApp>>, url: string) {
  const collectionId = await app.collections.createCollection('Echo API')
  await app.collections.updateCollection(collectionId, {
    variables: [variable('team', 'core'), variable('token', 'from-collection')],
    auth: Auth.parse({ type: 'bearer', bearer: { token: '{{token}}' } }),
  })
  const folderId = await app.collections.createFolder(collectionId, 'Echo')
  const requestId = await app.collections.createRequest(folderId, {
    name: 'Echo',
    method: 'POST',
    url,
    headers: [{ id: newId(), key: 'X-Team', value: '{{team}}', enabled: true, description: '' }],
  })
  await until(() => app.collections.collections.some(collection => collection.variables.length === 2), 'the collection variables load')
  return { collectionId, requestId }
}

async function useEnvironment(app: Awaited<ReturnType<typeof openApp>>, variables: ReturnType<typeof variable>[]) {
  const environmentId = await app.environments.create('Local', variables)
  await until(() => app.environments.environments.length === 1, 'the environment loads')
  await app.environments.setActiveEnvironment(environmentId)
}

describe('send store', () => {
  let app: Awaited<ReturnType<typeof openApp>>
  beforeEach(async () => {
    app = await openApp()
  })

  it('builds the request from the environment, the collection variables and the inherited auth', async () => {
    await useEnvironment(app, [variable('baseUrl', 'https://api.test'), variable('token', 'from-environment')])
    const { requestId } = await requestInCollection(app, '{{baseUrl}}/users/:id?team={{team}}')
    const tab = (await app.tabs.openRequest(requestId))!
    app.tabs.updateDraft(tab.id, { pathVariables: [{ ...tab.draft.pathVariables[0], value: '42' }] })

    const prepared = await app.sending.prepare(tab.id)
    expect(prepared.method).toBe('POST')
    expect(prepared.url).toBe('https://api.test/users/42?team=core')
    // The environment's token wins over the collection's (Postman's precedence).
    expect(prepared.headers).toContainEqual(['Authorization', 'Bearer from-environment'])
    expect(prepared.headers).toContainEqual(['X-Team', 'core'])
  })

  it('sends to a real server, shows the response and records it in History', async () => {
    await useEnvironment(app, [variable('baseUrl', target.url)])
    const { requestId } = await requestInCollection(app, '{{baseUrl}}/echo?from=pigeon')
    const tab = (await app.tabs.openRequest(requestId))!
    app.tabs.updateDraft(tab.id, { body: { ...tab.draft.body, mode: 'raw', rawLanguage: 'json', raw: '{"team":"{{team}}"}' } })

    const outcome = await app.sending.send(tab.id)
    expect(outcome?.state).toBe('done')
    if (outcome?.state !== 'done')
      return
    expect(outcome.response.status).toBe(200)
    const echo = JSON.parse(new TextDecoder().decode(outcome.response.body)) as EchoBody
    expect([echo.method, echo.path, echo.query.from]).toEqual(['POST', '/echo', 'pigeon'])
    expect(echo.headers.authorization).toBe('Bearer from-collection')
    expect(echo.headers['x-team']).toBe('core')
    expect(echo.contentType).toBe('application/json')
    expect(echo.body).toBe('{"team":"core"}')

    await until(() => app.history.entries.length === 1, 'the send shows in History')
    const entry = app.history.entries[0]
    expect([entry.requestId, entry.request.url, entry.response.status]).toEqual([requestId, '{{baseUrl}}/echo?from=pigeon', 200])
  })

  it('says why when the connection is refused, and records that too', async () => {
    const tab = app.tabs.openNew()
    app.tabs.setUrl(tab.id, 'http://127.0.0.1:1/')
    const outcome = await app.sending.send(tab.id)
    expect(outcome?.state).toBe('error')
    if (outcome?.state === 'error')
      expect(outcome.message).toMatch(/refused|could not reach/i)
    await until(() => app.history.entries.length === 1, 'the failed send shows in History')
    expect(app.history.entries[0].response.error).not.toBe('')
  })

  it('cancels a request in flight', async () => {
    const tab = app.tabs.openNew()
    app.tabs.setUrl(tab.id, `${target.url}/delay/5000`)
    const sending = app.sending.send(tab.id)
    await until(() => app.sending.isSending(tab.id), 'the request is in flight')
    app.sending.cancel(tab.id)
    const outcome = await sending
    expect(outcome?.state === 'error' && outcome.kind).toBe('aborted')
  })

  it('saves the response as an example of the saved request', async () => {
    await useEnvironment(app, [variable('baseUrl', target.url)])
    const { requestId } = await requestInCollection(app, '{{baseUrl}}/json')
    const tab = (await app.tabs.openRequest(requestId))!
    await app.sending.send(tab.id)
    const example = await app.examples.saveFromResponse(tab.id, 'Sample')
    await until(() => app.examples.examples.length === 1, 'the example is listed')
    expect([example.name, example.status, example.requestId]).toEqual(['Sample', 200, requestId])
    expect(JSON.parse(example.body)).toMatchObject({ name: 'Pigeon' })

    await app.examples.rename(example.id, 'Happy path')
    await until(() => app.examples.examples[0]?.name === 'Happy path', 'the rename shows')
    await app.examples.remove(example.id)
    await until(() => app.examples.examples.length === 0, 'the example is gone')
  })
})

describe('send store with files', () => {
  it('sends a form-data file part whose bytes stay on this device', async () => {
    const app = await openApp()
    const tab = app.tabs.openNew()
    app.tabs.setUrl(tab.id, `${target.url}/echo`)
    const file = await app.tabs.storeFile(new File(['hello from a file'], 'note.txt', { type: 'text/plain' }))
    app.tabs.updateDraft(tab.id, {
      method: 'POST',
      body: {
        ...tab.draft.body,
        mode: 'formdata',
        formdata: [{ id: newId(), key: 'attachment', value: '', enabled: true, description: '', kind: 'file', file, contentType: '' }],
      },
    })
    const outcome = await app.sending.send(tab.id)
    expect(outcome?.state).toBe('done')
    if (outcome?.state !== 'done')
      return
    const echo = JSON.parse(new TextDecoder().decode(outcome.response.body)) as EchoBody
    expect(echo.contentType).toMatch(/^multipart\/form-data; boundary=/)
    expect(echo.body).toContain('filename="note.txt"')
    expect(echo.body).toContain('hello from a file')
  })
})
