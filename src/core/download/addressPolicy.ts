// Where a download may connect. Result links come from the provider's poll answers, so whoever
// controls an answer chooses the address: never a link-local or cloud-metadata one (the machine's
// cloud credentials live there), and a private or loopback one only when the API itself is on one
// (a self-hosted gateway, the tests' fake). Names are judged by the addresses they resolve to, in
// the connection's own lookup, so a name cannot pass the check and then connect somewhere else.
import dns from 'node:dns'
import net, { BlockList, type LookupFunction } from 'node:net'
import { DownloadError, networkError } from './downloadError'

export type AddressClass = 'public' | 'local' | 'forbidden'

type Subnet = [address: string, prefix: number]

const FORBIDDEN_V4: Subnet[] = [
  ['169.254.0.0', 16], // link-local: AWS, GCP, Azure and OpenStack metadata at 169.254.169.254
  ['100.100.100.200', 32], // Alibaba Cloud metadata
  ['168.63.129.16', 32], // Azure's host endpoint, reachable from every Azure VM
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4] // reserved, and the broadcast address
]
const FORBIDDEN_V6: Subnet[] = [
  ['fe80::', 10], // link-local
  ['fd00:ec2::254', 128], // AWS metadata over IPv6
  ['ff00::', 8] // multicast
]
const LOCAL_V4: Subnet[] = [
  ['127.0.0.0', 8],
  ['0.0.0.0', 8], // connecting to 0.0.0.0 reaches this computer
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['100.64.0.0', 10] // carrier-grade NAT, also Tailscale's range
]
const LOCAL_V6: Subnet[] = [
  ['fc00::', 7], // unique local
  ['fec0::', 10] // the old site-local
]

/** Hosts that are the metadata service by name on some cloud, whatever the resolver says. */
const METADATA_NAMES = new Set(['metadata', 'metadata.google.internal'])

/**
 * IPv6 forms that carry an IPv4 address: compatible (`::a.b.c.d`), NAT64 (`64:ff9b::a.b.c.d`) and
 * 6to4 (`2002:aabb:ccdd::`). IPv4-mapped (`::ffff:a.b.c.d`) BlockList already matches by itself.
 */
function embedded([address, prefix]: Subnet): Subnet[] {
  const [a, b, c, d] = address.split('.').map(Number)
  const hi = ((a << 8) | b).toString(16)
  const lo = ((c << 8) | d).toString(16)
  return [[`::${hi}:${lo}`, 96 + prefix], [`64:ff9b::${hi}:${lo}`, 96 + prefix], [`2002:${hi}:${lo}::`, 16 + prefix]]
}

function blockList(v4: Subnet[], v6: Subnet[]): BlockList {
  const list = new BlockList()
  for (const [address, prefix] of v4) list.addSubnet(address, prefix, 'ipv4')
  for (const [address, prefix] of [...v6, ...v4.flatMap(embedded)]) list.addSubnet(address, prefix, 'ipv6')
  return list
}

const FORBIDDEN = blockList(FORBIDDEN_V4, FORBIDDEN_V6)
const LOCAL = blockList(LOCAL_V4, LOCAL_V6)

export function addressClass(ip: string): AddressClass {
  const family = net.isIP(ip)
  if (!family) return 'forbidden'
  const type = family === 6 ? 'ipv6' : 'ipv4'
  if (FORBIDDEN.check(ip, type)) return 'forbidden'
  if (ip === '::' || ip === '::1' || LOCAL.check(ip, type)) return 'local'
  return 'public'
}

/** A URL's host as the resolver and the address parser want it: no brackets, no trailing dot, lower case. */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase()
}

type Refused = Exclude<AddressClass, 'public'>

const WHAT: Record<Refused, string> = {
  forbidden: 'a link-local, cloud-metadata or reserved address',
  local: 'a private or loopback address'
}
const WHY: Record<Refused, string> = {
  forbidden: 'downloads never go there',
  local: 'downloads go there only when the API base URL is on this computer or the local network too'
}

function refusal(subject: string, cls: Refused, ip: string | null): DownloadError {
  const where = ip ? `${WHAT[cls]} (${ip})` : WHAT[cls]
  return new DownloadError(`${subject} ${where}; ${WHY[cls]}.`, 'refused', false)
}

function lookupAll(lookup: LookupFunction, host: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    lookup(host, { all: true }, (err, addresses) => {
      if (err) reject(err)
      else resolve((Array.isArray(addresses) ? addresses : [{ address: addresses }]).map((a) => a.address))
    })
  })
}

export interface DestinationGuard {
  /** The refusal for a URL judged before connecting (scheme, metadata names, literal addresses), or null. */
  check(url: URL): Promise<DownloadError | null>
  /** The resolver the connection uses: it fails with a refusal when any address is not allowed. */
  lookup: LookupFunction
}

/**
 * The guard for one download. `apiBaseUrl` decides whether private and loopback addresses are
 * allowed: only when every address the base URL's host has is one of them. It is resolved only when
 * such an address comes up, so a download from a public CDN asks nothing more of DNS.
 */
export function destinationGuard(apiBaseUrl: string | undefined, resolver: LookupFunction = dns.lookup): DestinationGuard {
  let local: Promise<boolean> | null = null
  const verdict = async (ip: string): Promise<Refused | null> => {
    const cls = addressClass(ip)
    if (cls === 'public') return null
    if (cls === 'local' && (await (local ??= baseIsLocal(apiBaseUrl, resolver)))) return null
    return cls
  }
  return {
    async check(url) {
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        return new DownloadError(`The download link uses ${url.protocol.slice(0, 20)}; only https: and http: links are downloaded.`, 'refused', false)
      }
      const host = bareHost(url)
      if (METADATA_NAMES.has(host)) return refusal(`The download link points to ${host},`, 'forbidden', null)
      const cls = net.isIP(host) ? await verdict(host) : null
      return cls ? refusal('The download link points to', cls, host) : null
    },
    lookup(hostname, options, callback) {
      resolver(hostname, { ...options, all: true }, (err, addresses) => {
        if (err) return callback(err, '', 0)
        const list = Array.isArray(addresses) ? addresses : [{ address: addresses, family: net.isIP(addresses) }]
        // Every address, not only the one tried first: a name answering both is hostile.
        Promise.all(list.map((a) => verdict(a.address))).then(
          (verdicts) => {
            const bad = verdicts.findIndex((v) => v !== null)
            if (bad >= 0) return callback(refusal(`${hostname} resolves to`, verdicts[bad] as Refused, list[bad].address), '', 0)
            if (options.all) return callback(null, list)
            callback(null, list[0].address, list[0].family)
          },
          (e: NodeJS.ErrnoException) => callback(e, '', 0)
        )
      })
    }
  }
}

async function baseIsLocal(apiBaseUrl: string | undefined, resolver: LookupFunction): Promise<boolean> {
  let url: URL
  try {
    url = new URL(apiBaseUrl ?? '')
  } catch {
    return false
  }
  const host = bareHost(url)
  let addresses: string[]
  try {
    addresses = net.isIP(host) ? [host] : await lookupAll(resolver, host)
  } catch (err) {
    // The API's own name not resolving now is a passing network problem, not a verdict on the link.
    throw networkError(err as NodeJS.ErrnoException, url.host)
  }
  return addresses.length > 0 && addresses.every((a) => addressClass(a) === 'local')
}
