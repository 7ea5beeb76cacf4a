import { describe, expect, it } from 'vitest'
import { DYNAMIC_VARIABLES, dynamicValue, findVariables, isDynamicVariable, lookupVariable, resolveDeep, resolveString, resolveWithReport } from '../../../src/domain/variables'
import { fixedDynamic, scope } from './factories'

describe('finding variables in what the user typed', () => {
  it('marks each {{name}} with where it starts and ends', () => {
    const text = '{{baseUrl}}/users/{{id}}'
    expect(findVariables(text)).toEqual([
      { name: 'baseUrl', start: 0, end: 11 },
      { name: 'id', start: 18, end: 24 },
    ])
    expect(text.slice(18, 24)).toBe('{{id}}')
  })

  it('finds nothing in plain text, empty braces or a lone brace', () => {
    expect(findVariables('https://example.com/{}/{{}}/{{open')).toEqual([])
  })

  it('finds the innermost name of a nested reference', () => {
    expect(findVariables('{{base_{{env}}}}').map(match => match.name)).toEqual(['env'])
  })
})

describe('looking a variable up across scopes', () => {
  const globals = scope('global', { host: 'global.example.com', onlyGlobal: 'g' })
  const collectionScope = scope('collection', { host: 'collection.example.com' })
  const environment = scope('environment', { host: 'staging.example.com' }, 'Environment: Staging')

  it('takes the narrowest scope whatever the order of the list', () => {
    const found = lookupVariable('host', [globals, collectionScope, environment])
    expect(found).toEqual({ value: 'staging.example.com', scope: 'environment', label: 'Environment: Staging', secret: false })
    expect(lookupVariable('host', [environment, globals, collectionScope])?.scope).toBe('environment')
  })

  it('prefers local over data over environment', () => {
    const scopes = [environment, scope('local', { host: 'local' }), scope('data', { host: 'data' })]
    expect(lookupVariable('host', scopes)?.value).toBe('local')
    expect(lookupVariable('host', scopes.slice(0, 1).concat(scopes[2]))?.value).toBe('data')
  })

  it('falls back to a wider scope and names it', () => {
    expect(lookupVariable('onlyGlobal', [environment, globals])).toMatchObject({ value: 'g', scope: 'global', label: 'Global' })
  })

  it('skips disabled values and keeps the last enabled duplicate, like Postman', () => {
    const env = scope('environment', [
      { key: 'justDisabled', value: '1', enabled: false },
      { key: 'oneDisabled', value: '1' },
      { key: 'oneDisabled', value: '2', enabled: false },
      { key: 'duplicate', value: '1' },
      { key: 'duplicate', value: '2' },
    ])
    expect(lookupVariable('justDisabled', [env])).toBeNull()
    expect(lookupVariable('oneDisabled', [env])?.value).toBe('1')
    expect(lookupVariable('duplicate', [env])?.value).toBe('2')
  })

  it('a disabled value lets a wider scope answer', () => {
    const env = scope('environment', [{ key: 'token', value: 'env', enabled: false }])
    expect(lookupVariable('token', [env, scope('global', { token: 'global' })])?.value).toBe('global')
  })

  it('says when a value is secret', () => {
    const env = scope('environment', [{ key: 'password', value: 'hunter2', secret: true }])
    expect(lookupVariable('password', [env])?.secret).toBe(true)
  })

  it('returns null for an unknown name', () => {
    expect(lookupVariable('missing', [environment])).toBeNull()
  })
})

describe('resolving text', () => {
  const scopes = [
    scope('environment', { baseUrl: 'https://{{host}}/v{{version}}', host: 'api.example.com', version: '2', env: 'prod', base_prod: 'PROD' }),
    scope('global', { version: '1' }),
  ]

  it('replaces variables, nested ones included', () => {
    expect(resolveString('{{baseUrl}}/users', scopes)).toBe('https://api.example.com/v2/users')
  })

  it('builds a name from another variable', () => {
    expect(resolveString('{{base_{{env}}}}', scopes)).toBe('PROD')
  })

  it('leaves unknown variables as typed and reports them', () => {
    expect(resolveWithReport('{{baseUrl}}/{{missing}}/{{missing}}', scopes)).toEqual({
      value: 'https://api.example.com/v2/{{missing}}/{{missing}}',
      unresolved: ['missing'],
    })
  })

  it('stops on a variable that refers to itself', () => {
    const loop = [scope('environment', { a: '{{b}}', b: '{{a}}' })]
    const result = resolveWithReport('x{{a}}x', loop)
    expect(result.value).toMatch(/^x\{\{[ab]\}\}x$/)
    expect(result.unresolved.length).toBe(1)
  })

  it('follows only as many levels as allowed', () => {
    const chain = [scope('environment', { a: '{{b}}', b: '{{c}}', c: 'end' })]
    expect(resolveString('{{a}}', chain)).toBe('end')
    expect(resolveString('{{a}}', chain, { maxDepth: 2 })).toBe('{{c}}')
  })

  it('leaves text without variables alone', () => {
    expect(resolveString('plain { text }', scopes)).toBe('plain { text }')
  })

  it('resolves every string of an object and keeps the rest', () => {
    const value = { url: '{{baseUrl}}', list: ['{{host}}', 3], nested: { on: true, name: '{{env}}' }, none: null }
    expect(resolveDeep(value, scopes)).toEqual({
      url: 'https://api.example.com/v2',
      list: ['api.example.com', 3],
      nested: { on: true, name: 'prod' },
      none: null,
    })
  })
})

describe('dynamic variables', () => {
  const dynamic = fixedDynamic(Date.UTC(2026, 0, 2, 3, 4, 5, 678), 0.5)

  it('makes timestamps from the clock', () => {
    expect(resolveString('{{$timestamp}}', [], { dynamic })).toBe(String(Math.floor(Date.UTC(2026, 0, 2, 3, 4, 5) / 1000)))
    expect(resolveString('{{$isoTimestamp}}', [], { dynamic })).toBe('2026-01-02T03:04:05.678Z')
  })

  it('makes random integers from 0 to 1000', () => {
    expect(resolveString('{{$randomInt}}', [], { dynamic: fixedDynamic(0, 0) })).toBe('0')
    expect(resolveString('{{$randomInt}}', [], { dynamic: fixedDynamic(0, 0.9999999) })).toBe('1000')
    for (let i = 0; i < 50; i++) {
      const value = Number(resolveString('{{$randomInt}}', []))
      expect(value).toBeGreaterThanOrEqual(0)
      expect(value).toBeLessThanOrEqual(1000)
    }
  })

  it('makes version 4 UUIDs', () => {
    const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
    expect(resolveString('{{$guid}}', [])).toMatch(uuidPattern)
    expect(resolveString('{{$randomUUID}}', [])).toMatch(uuidPattern)
    expect(resolveString('{{$guid}}', [])).not.toBe(resolveString('{{$guid}}', []))
  })

  it('gives a fresh value for each use', () => {
    const [first, second] = resolveString('{{$guid}} {{$guid}}', []).split(' ')
    expect(first).not.toBe(second)
  })

  it('makes the other Postman ones', () => {
    expect(['true', 'false']).toContain(dynamicValue('$randomBoolean'))
    expect(dynamicValue('$randomAlphaNumeric')).toMatch(/^[a-z0-9]$/)
    expect(dynamicValue('$randomHexColor')).toMatch(/^#[0-9a-f]{6}$/)
    expect(dynamicValue('$randomIP')).toMatch(/^\d{1,3}(\.\d{1,3}){3}$/)
    expect(Number(dynamicValue('$randomPort'))).toBeLessThanOrEqual(65535)
    expect(typeof dynamicValue('$randomColor')).toBe('string')
    expect(dynamicValue('$randomEmail')).toMatch(/^[a-z]+\.[a-z]+\d+@example\.com$/)
    expect(dynamicValue('$randomFullName')).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/)
    expect(dynamicValue('$randomPhoneNumber')).toMatch(/^\d{3}-\d{3}-\d{4}$/)
    expect(dynamicValue('$randomLoremWord')).toMatch(/^[a-z]+$/)
  })

  it('documents every dynamic variable it makes', () => {
    for (const { name, description } of DYNAMIC_VARIABLES) {
      expect(isDynamicVariable(name)).toBe(true)
      expect(description).not.toBe('')
      expect(dynamicValue(name)).not.toBeNull()
    }
  })

  it('a user variable with the same name wins over the dynamic one', () => {
    expect(resolveString('{{$guid}}', [scope('environment', { $guid: 'mine' })])).toBe('mine')
  })

  it('leaves unknown $names and dynamic names alone when asked', () => {
    expect(resolveString('{{$nope}}', [])).toBe('{{$nope}}')
    expect(resolveString('{{$guid}}', [], { dynamic: false })).toBe('{{$guid}}')
    expect(isDynamicVariable('$guid')).toBe(true)
    expect(isDynamicVariable('toString')).toBe(false)
    expect(dynamicValue('constructor')).toBeNull()
  })
})
