import { describe, expect, it } from 'vitest'
import { describeVariable, highlightSegments } from '../../../src/composables/useEditorVariables'
import type { VariableScope } from '../../../src/domain/scopes'

const scopes: VariableScope[] = [
  { name: 'environment', label: 'Environment: Staging', values: [{ key: 'baseUrl', value: 'https://staging.test' }, { key: 'token', value: 's3cret', secret: true }] },
  { name: 'collection', label: 'Collection: Users API', values: [{ key: 'baseUrl', value: 'https://collection.test' }, { key: 'team', value: 'core' }] },
]

describe('variables in the request editor', () => {
  it('marks resolved and unresolved variables in a URL', () => {
    const segments = highlightSegments('{{baseUrl}}/teams/{{team}}?q={{missing}}', scopes)
    expect(segments.map(segment => segment.kind === 'variable' ? [segment.name, segment.state] : segment.text)).toEqual([
      ['baseUrl', 'resolved'],
      '/teams/',
      ['team', 'resolved'],
      '?q=',
      ['missing', 'unresolved'],
    ])
  })

  it('tells on hover which scope a value comes from, the narrowest first', () => {
    expect(describeVariable('baseUrl', scopes)).toEqual({ name: 'baseUrl', value: 'https://staging.test', scope: 'Environment: Staging', defined: true })
    expect(describeVariable('team', scopes).scope).toBe('Collection: Users API')
  })

  it('masks secret values and says when a name is not defined', () => {
    expect(describeVariable('token', scopes).value).not.toContain('s3cret')
    expect(describeVariable('nope', scopes)).toMatchObject({ defined: false, value: '' })
  })

  it('knows dynamic variables', () => {
    expect(describeVariable('$guid', scopes)).toMatchObject({ defined: true, scope: 'Dynamic variable' })
  })
})
