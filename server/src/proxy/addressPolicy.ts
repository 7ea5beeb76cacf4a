/**
 * Which addresses the proxy may connect to. A Pigeon bound to loopback is a
 * person's own tool and may reach anything (their localhost, their LAN). A
 * public deployment must not become a door into its own network, so it
 * refuses loopback, private, link-local, metadata and other special ranges,
 * except ranges an admin lists in PROXY_ALLOWED_RANGES. The check runs on the
 * resolved address, at connect time, so DNS tricks cannot get around it.
 */
import type { LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns'
import { lookup as dnsLookup } from 'node:dns'
import { BlockList, isIP } from 'node:net'
import { ProxyError } from './errors.js'

/** Special-use ranges (RFC 6890 and friends) refused in a public deployment. */
const SPECIAL_RANGES = [
  '0.0.0.0/8', // "this network"; 0.0.0.0 reaches localhost on Linux
  '10.0.0.0/8',
  '100.64.0.0/10', // carrier-grade NAT
  '127.0.0.0/8',
  '169.254.0.0/16', // link-local, incl. cloud metadata 169.254.169.254
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved and broadcast
  '::/128',
  '::1/128',
  'fc00::/7', // unique local, incl. fd00::/8
  'fe80::/10', // link-local
  'ff00::/8', // multicast
]

export type AddressCheck = (address: string) => boolean

function addCidr(list: BlockList, cidr: string): void {
  const [network, prefixText] = cidr.split('/')
  const family = isIP(network ?? '')
  const prefix = Number(prefixText)
  const maxPrefix = family === 6 ? 128 : 32
  if (!family || prefixText === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > maxPrefix)
    throw new Error(`"${cidr}" in PROXY_ALLOWED_RANGES is not a CIDR range like 10.0.0.0/8 or fd00::/8. Fix the setting and start the server again.`)
  list.addSubnet(network!, prefix, family === 6 ? 'ipv6' : 'ipv4')
}

function blockListOf(cidrs: string[]): BlockList {
  const list = new BlockList()
  for (const cidr of cidrs)
    addCidr(list, cidr)
  return list
}

const special = blockListOf(SPECIAL_RANGES)

/** The IPv4 address inside an IPv4-mapped IPv6 address (::ffff:10.0.0.1), else the address itself. */
function unmapped(address: string): string {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  return match ? match[1]! : address
}

function contains(list: BlockList, address: string): boolean {
  const plain = unmapped(address)
  const family = isIP(plain)
  if (!family)
    return false
  return list.check(plain, family === 6 ? 'ipv6' : 'ipv4')
}

/**
 * True when `address` is loopback, private, link-local, metadata or another
 * special-use address, or is not a plain IP address at all (fail closed).
 */
export function isSpecialAddress(address: string): boolean {
  return !isIP(unmapped(address)) || contains(special, address)
}

export interface AddressPolicyOptions {
  /** The server is bound to loopback: every address is allowed. */
  loopbackBound: boolean
  /** CIDR ranges allowed even in a public deployment. Throws on a malformed range. */
  allowedRanges: string[]
}

/** Builds the check the proxy runs on every address it is about to connect to. */
export function createAddressPolicy({ loopbackBound, allowedRanges }: AddressPolicyOptions): AddressCheck {
  const allowed = blockListOf(allowedRanges)
  return address => loopbackBound || !isSpecialAddress(address) || contains(allowed, address)
}

export function forbiddenTargetError(host: string, address: string): ProxyError {
  const shown = host === address ? address : `${host} (${address})`
  return new ProxyError('forbidden_target', `This Pigeon server does not send requests to ${shown}: private, loopback and link-local addresses are off limits on a public server. Use the Browser agent for local targets, or ask the server's admin to allow the range (PROXY_ALLOWED_RANGES).`)
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void

/**
 * A `lookup` for http.request that resolves like dns.lookup and then refuses
 * the connection when any resolved address fails the policy.
 */
export function guardedLookup(check: AddressCheck) {
  return (hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) {
        callback(err, '')
        return
      }
      if (addresses.length === 0) {
        callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '')
        return
      }
      const refused = addresses.find(a => !check(a.address))
      if (refused) {
        callback(forbiddenTargetError(hostname, refused.address) as unknown as NodeJS.ErrnoException, '')
        return
      }
      if (options.all)
        callback(null, addresses)
      else
        callback(null, addresses[0]!.address, addresses[0]!.family)
    })
  }
}
