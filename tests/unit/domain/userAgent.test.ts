import { describe, expect, it } from 'vitest'
import { browserAndSystem, browserOnSystem } from '../../../src/domain/userAgent'

/** Real agents, and what the session list (versioned) and the default device name (unversioned) make of them. */
const cases: Array<{ what: string, agent: string, versioned: string, unversioned: string }> = [
  {
    what: 'Edge, which also sends Chrome/',
    agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
    versioned: 'Edge 131 on Windows',
    unversioned: 'Edge on Windows',
  },
  {
    what: 'Opera, which also sends Chrome/',
    agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0',
    versioned: 'Opera 115 on Windows',
    unversioned: 'Opera on Windows',
  },
  {
    what: 'Firefox',
    agent: 'Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0',
    versioned: 'Firefox 133 on Android',
    unversioned: 'Firefox on Android',
  },
  {
    what: 'Firefox on iOS (FxiOS), which also sends Safari/',
    agent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/132.1 Mobile/15E148 Safari/605.1.15',
    versioned: 'Firefox 132 on iOS',
    unversioned: 'Firefox on iOS',
  },
  {
    what: 'Chrome on iOS (CriOS), which also sends Safari/',
    agent: 'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1',
    versioned: 'Chrome 131 on iOS',
    unversioned: 'Chrome on iOS',
  },
  {
    what: 'Chrome',
    agent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    versioned: 'Chrome 131 on Linux',
    unversioned: 'Chrome on Linux',
  },
  {
    what: 'Chrome on ChromeOS, which says neither Linux nor Android',
    agent: 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    versioned: 'Chrome 131 on ChromeOS',
    unversioned: 'Chrome on ChromeOS',
  },
  {
    what: 'Chromium, named as Chrome',
    agent: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Ubuntu Chromium/79.0.3945.79 Chrome/79.0.3945.79 Safari/537.36',
    versioned: 'Chrome 79 on Linux',
    unversioned: 'Chrome on Linux',
  },
  {
    what: 'Safari on iOS, whose version is in Version/ and whose agent also says Mac OS X',
    agent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    versioned: 'Safari 17 on iOS',
    unversioned: 'Safari on iOS',
  },
  {
    what: 'Safari on macOS',
    agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
    versioned: 'Safari 17 on macOS',
    unversioned: 'Safari on macOS',
  },
  {
    what: 'Node.js fetch (undici)',
    agent: 'undici',
    versioned: 'Node.js',
    unversioned: 'Node.js',
  },
  {
    what: 'node-fetch',
    agent: 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)',
    versioned: 'Node.js',
    unversioned: 'Node.js',
  },
  {
    what: 'Node.js\'s own navigator.userAgent, whose version is not read',
    agent: 'Node.js/22',
    versioned: 'Node.js',
    unversioned: 'Node.js',
  },
  {
    what: 'an unknown browser on a known system',
    agent: 'Mozilla/5.0 (X11; Linux x86_64) Lynx/2.9.0',
    versioned: 'Unknown browser on Linux',
    unversioned: 'Browser on Linux',
  },
  {
    what: 'an unknown agent',
    agent: 'curl/8.5.0',
    versioned: 'Unknown browser',
    unversioned: 'Browser',
  },
  {
    what: 'an empty agent',
    agent: '',
    versioned: 'Unknown browser',
    unversioned: 'Browser',
  },
]

describe('reading a User-Agent', () => {
  it.each(cases)('labels $what, with and without the version', ({ agent, versioned, unversioned }) => {
    expect(browserOnSystem(agent, { withVersion: true, unknownBrowser: 'Unknown browser' })).toBe(versioned)
    expect(browserOnSystem(agent, { withVersion: false, unknownBrowser: 'Browser' })).toBe(unversioned)
  })

  it('gives the browser and the system apart, and nothing it does not know', () => {
    const safariOnIphone = cases.find(c => c.unversioned === 'Safari on iOS')!.agent
    expect(browserAndSystem(safariOnIphone, true)).toEqual({ browser: 'Safari 17', system: 'iOS' })
    expect(browserAndSystem(safariOnIphone, false)).toEqual({ browser: 'Safari', system: 'iOS' })
    expect(browserAndSystem('', true)).toEqual({ browser: undefined, system: undefined })
    expect(browserAndSystem('curl/8.5.0', false)).toEqual({ browser: undefined, system: undefined })
  })
})
