import { describe, expect, it } from 'vitest'
import { sendErrors } from '../../../src/agents/errors'
import { SendError } from '../../../src/domain/prepared'

describe('the sentences a user sees when a request cannot be sent', () => {
  it('names the host that could not be found and says what to check', () => {
    const err = sendErrors.dns('https://api.exampel.com/v1/users')
    expect(err).toBeInstanceOf(SendError)
    expect(err.kind).toBe('dns')
    expect(err.message).toBe('Could not find host api.exampel.com. Check the URL for typos, or check that the host exists on your network.')
  })

  it('asks for a URL when there is none', () => {
    expect(sendErrors.invalidUrl('  ').message).toBe('Enter a URL to send the request to.')
    expect(sendErrors.invalidUrl('example.com').message).toBe('"example.com" is not a valid URL. It should start with http:// or https://, like https://example.com/path.')
  })

  it('suggests the Server agent when the browser blocks a request', () => {
    const err = sendErrors.cors('https://api.example.com/x')
    expect(err.kind).toBe('cors')
    expect(err.message).toContain('Switch to the Server agent in Settings')
  })

  it('says how long it waited on a timeout', () => {
    expect(sendErrors.timeout('http://localhost:3000/slow', 1500).message).toBe('localhost:3000 did not answer within 1500 ms. Try again, or raise the request timeout in Settings.')
  })

  it('has one sentence per kind, each ending with a full stop', () => {
    const errors: SendError[] = [
      sendErrors.invalidUrl('x'),
      sendErrors.unsupportedScheme('ftp://x'),
      sendErrors.dns('http://x'),
      sendErrors.refused('http://x:1'),
      sendErrors.tls('https://x'),
      sendErrors.timeout('http://x', 10),
      sendErrors.cors('http://x'),
      sendErrors.offline(),
      sendErrors.aborted(),
      sendErrors.tooLarge(50 * 1024 * 1024),
      sendErrors.forbiddenTarget('http://10.0.0.1'),
      sendErrors.redirects(10),
      sendErrors.missingFile('a.png'),
      sendErrors.serverUnreachable(),
    ]
    expect(new Set(errors.map(e => e.kind))).toEqual(new Set(['invalid_url', 'dns', 'refused', 'tls', 'timeout', 'cors', 'offline', 'aborted', 'too_large', 'forbidden_target', 'redirects', 'unknown']))
    for (const err of errors)
      expect(err.message).toMatch(/^\S.*\.$/)
    expect(sendErrors.tooLarge(50 * 1024 * 1024).message).toContain('50 MiB')
  })
})
