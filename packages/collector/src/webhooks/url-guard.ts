import { BlockList, isIP } from 'node:net'
import ipaddr from 'ipaddr.js'
import { lookup as dnsLookup } from 'node:dns/promises'

/** Resolves a host name to every address it has (node:dns `lookup` with `all: true`). */
export type LookupAll = (host: string) => Promise<{ address: string }[]>

export interface UrlGuardOptions {
  /** Allow loopback, private and link-local targets (tests, trusted internal networks). */
  allowPrivate?: boolean
  /** Name resolution for the delivery-time check (default: node:dns lookup). */
  lookup?: LookupAll
}

/** Addresses a webhook must not reach unless private targets are allowed. */
const blocked = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12], // RFC 1918
  ['192.168.0.0', 16], // RFC 1918
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4')
}
blocked.addAddress('::', 'ipv6') // unspecified
blocked.addAddress('::1', 'ipv6') // loopback
blocked.addSubnet('fc00::', 7, 'ipv6') // unique-local
blocked.addSubnet('fe80::', 10, 'ipv6') // link-local
blocked.addSubnet('ff00::', 8, 'ipv6') // multicast

/**
 * The IPv4 addresses an IPv6 address carries in the translation and tunnelling forms a gateway
 * may route to it: NAT64 (64:ff9b::/96, RFC 6052), IPv4-translated (::ffff:0:0:0/96), IPv4-
 * compatible (::/96), 6to4 (2002::/16) and Teredo (server and client). IPv4-mapped
 * (::ffff:0:0/96) is left to BlockList, which already checks it against the IPv4 ranges.
 */
function embeddedIpv4(ip: string): string[] {
  const addr = ipaddr.IPv6.parse(ip)
  const b = addr.toByteArray()
  const v4 = (at: number, mask = 0) =>
    b
      .slice(at, at + 4)
      .map((x) => x ^ mask)
      .join('.')
  switch (addr.range()) {
    case 'rfc6052':
    case 'rfc6145':
      return [v4(12)]
    case '6to4':
      return [v4(2)]
    case 'teredo':
      return [v4(4), v4(12, 0xff)]
    default:
      return b.slice(0, 12).every((x) => x === 0) ? [v4(12)] : []
  }
}

/** True for an IP literal in a loopback, private, link-local or otherwise internal range. */
export function isPrivateAddress(ip: string): boolean {
  const family = isIP(ip)
  if (family === 0) return false
  // BlockList also matches IPv4-mapped IPv6 (::ffff:127.0.0.1) against the IPv4 ranges.
  if (blocked.check(ip, family === 4 ? 'ipv4' : 'ipv6')) return true
  if (family === 4) return false
  // The local-use NAT64 prefix (RFC 8215) only ever leads into the operator's own network.
  if (ipaddr.IPv6.parse(ip).match(ipaddr.IPv6.parse('64:ff9b:1::'), 48)) return true
  return embeddedIpv4(ip).some((v4) => blocked.check(v4, 'ipv4'))
}

function isLocalName(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '')
  return name === 'localhost' || name.endsWith('.localhost')
}

/** The URL's host as an IP literal or name, without IPv6 brackets. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1')
}

/**
 * Checks a webhook URL without any network access: the scheme must be http(s), and the host
 * must not be a loopback name or an internal IP literal (after the WHATWG parser has normalised
 * decimal, octal and hex forms such as `http://2130706433/`). Returns the reason it is refused,
 * or null when it may be registered.
 *
 * @example
 * checkWebhookUrl('http://169.254.169.254/latest') // 'the host is a private or loopback address'
 */
export function checkWebhookUrl(raw: string, opts: UrlGuardOptions = {}): string | null {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return 'not a valid URL'
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return 'the scheme must be http or https'
  if (opts.allowPrivate) return null
  const host = hostOf(url)
  if (isLocalName(host) || isPrivateAddress(host)) {
    return 'the host is a private or loopback address'
  }
  return null
}

const defaultLookup: LookupAll = (host) => dnsLookup(host, { all: true, verbatim: true })

/**
 * The delivery-time check: {@link checkWebhookUrl}, then every address the host resolves to now
 * must be public too, so a name registered while public and later pointed at an internal
 * address (DNS rebinding) is refused. A name that does not resolve passes: the request fails.
 */
export async function checkDeliveryUrl(
  raw: string,
  opts: UrlGuardOptions = {},
): Promise<string | null> {
  const literal = checkWebhookUrl(raw, opts)
  if (literal || opts.allowPrivate) return literal
  const host = hostOf(new URL(raw))
  if (isIP(host)) return null
  let addresses: { address: string }[]
  try {
    addresses = await (opts.lookup ?? defaultLookup)(host)
  } catch {
    return null
  }
  return addresses.some((a) => isPrivateAddress(a.address))
    ? 'the host resolves to a private or loopback address'
    : null
}
