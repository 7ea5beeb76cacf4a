/**
 * What a User-Agent says about the browser and the system it runs on. The app
 * names a new device from it ("Chrome on Linux") and the server labels a
 * session with it ("Chrome 131 on Linux"); one table serves both so the two
 * cannot drift apart again.
 */

interface NamedPattern {
  readonly name: string
  /** For a browser, its first group, when it has one, is the major version. */
  readonly pattern: RegExp
}

/**
 * First match wins, so the order matters: Edge and Opera also send "Chrome/",
 * Chrome on iOS also sends "Safari/", and every Chromium sends "Safari/".
 */
const BROWSERS: readonly NamedPattern[] = [
  { name: 'Edge', pattern: /Edg(?:e|A|iOS)?\/(\d+)/ },
  { name: 'Opera', pattern: /OPR\/(\d+)/ },
  { name: 'Firefox', pattern: /Firefox\/(\d+)/ },
  { name: 'Firefox', pattern: /FxiOS\/(\d+)/ },
  { name: 'Chrome', pattern: /CriOS\/(\d+)/ },
  { name: 'Chrome', pattern: /Chrom(?:e|ium)\/(\d+)/ },
  // Safari's own version is in "Version/", not in "Safari/" (a WebKit build number).
  { name: 'Safari', pattern: /Version\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari\// },
  // Scripts calling from Node (its fetch says "node" or "undici"); last, so no browser reads as Node.
  { name: 'Node.js', pattern: /node(?:-fetch)?|undici/i },
]

/** First match wins: Android and iOS agents also say "Linux" and "Mac OS X". */
const SYSTEMS: readonly NamedPattern[] = [
  { name: 'Android', pattern: /Android/ },
  { name: 'iOS', pattern: /iPhone|iPad|iPod/ },
  { name: 'Windows', pattern: /Windows/ },
  { name: 'macOS', pattern: /Mac OS X|Macintosh/ },
  { name: 'ChromeOS', pattern: /CrOS/ },
  { name: 'Linux', pattern: /Linux/ },
]

export interface BrowserAndSystem {
  /** "Chrome", or "Chrome 131" with the version; undefined when no known browser matches. */
  readonly browser: string | undefined
  /** "Linux", "iOS"…; undefined when no known system matches. */
  readonly system: string | undefined
}

/** The browser, with its major version when `withVersion` and the agent gives one, and the system. */
export function browserAndSystem(userAgent: string, withVersion: boolean): BrowserAndSystem {
  let browser: string | undefined
  for (const { name, pattern } of BROWSERS) {
    const match = pattern.exec(userAgent)
    if (match) {
      const version = withVersion ? match[1] : undefined
      browser = version ? `${name} ${version}` : name
      break
    }
  }
  const system = SYSTEMS.find(({ pattern }) => pattern.test(userAgent))?.name
  return { browser, system }
}

/**
 * "Browser on System", or just the browser when the system is unknown;
 * `unknownBrowser` stands in for a browser that is not in the table.
 */
export function browserOnSystem(userAgent: string, options: { withVersion: boolean, unknownBrowser: string }): string {
  const { browser = options.unknownBrowser, system } = browserAndSystem(userAgent, options.withVersion)
  return system ? `${browser} on ${system}` : browser
}
