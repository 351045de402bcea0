// The proxy the environment names for a URL: HTTPS_PROXY / HTTP_PROXY (by the URL's scheme), else
// ALL_PROXY, unless NO_PROXY lists the host; lower case first, then upper. NO_PROXY is read as
// curl, Go and Python read it (proxy-from-env 2.x matches a bare domain exactly and has no CIDR):
// entries split by commas or spaces; `*` alone: everything; a domain, `.domain` or `*.domain`:
// the domain and its subdomains; `host:port`: only that port; an IPv4/IPv6 address or CIDR range:
// IP hosts in it. The front ends (main, the CLI) build this with the process's own environment and
// hand it to the engine as a port; nothing deeper reads the environment.
import net, { BlockList } from 'node:net'

type Env = Readonly<Record<string, string | undefined>>

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, ws: 80, wss: 443, ftp: 21 }

function variable(env: Env, name: string): string {
  return (env[name.toLowerCase()] || env[name.toUpperCase()] || '').trim()
}

/** A NO_PROXY list as a matcher of (host, port); hosts lower case, without brackets or a trailing dot. */
export function noProxyMatcher(list: string): (host: string, port: number) => boolean {
  const names: Array<{ domain: string; port: number | null }> = []
  const ips = new BlockList()
  const ipPorts: Array<{ ip: string; port: number }> = []
  let all = false
  let anyIp = false
  for (const raw of list.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase()
    if (!entry) continue
    if (entry === '*') {
      all = true
      continue
    }
    // An address or range: `10.0.0.0/8`, `::1`, `[fd00::]/8`, `[::1]:8080`, `192.168.1.7:3000`.
    const cidr = /^\[?([0-9a-f:.]+?)\]?\/(\d{1,3})$/.exec(entry)
    if (cidr && net.isIP(cidr[1])) {
      const family = net.isIP(cidr[1]) === 6 ? 'ipv6' : 'ipv4'
      const prefix = Number(cidr[2])
      if (prefix <= (family === 'ipv6' ? 128 : 32)) {
        ips.addSubnet(cidr[1], prefix, family)
        anyIp = true
      }
      continue
    }
    const bracketed = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/.exec(entry)
    if (bracketed && net.isIP(bracketed[1])) {
      if (bracketed[2]) ipPorts.push({ ip: bracketed[1], port: Number(bracketed[2]) })
      else {
        ips.addAddress(bracketed[1], 'ipv6')
        anyIp = true
      }
      continue
    }
    if (net.isIP(entry)) {
      ips.addAddress(entry, net.isIP(entry) === 6 ? 'ipv6' : 'ipv4')
      anyIp = true
      continue
    }
    const withPort = /^(.*):(\d{1,5})$/.exec(entry)
    const host = (withPort ? withPort[1] : entry).replace(/^\*?\./, '').replace(/\.$/, '')
    const port = withPort ? Number(withPort[2]) : null
    if (!host) continue
    if (net.isIP(host)) ipPorts.push({ ip: host, port: port ?? 0 })
    else names.push({ domain: host, port })
  }
  return (host, port) => {
    if (all) return true
    const family = net.isIP(host)
    if (family) {
      if (anyIp && ips.check(host, family === 6 ? 'ipv6' : 'ipv4')) return true
      return ipPorts.some((e) => e.ip === host && (e.port === 0 || e.port === port))
    }
    return names.some((e) => (host === e.domain || host.endsWith(`.${e.domain}`)) && (e.port === null || e.port === port))
  }
}

/** The proxy the environment `env` names for `url` ('' for none). */
export function environmentProxies(env: Env): (url: string) => string {
  return (raw) => {
    let url: URL
    try {
      url = new URL(raw)
    } catch {
      return ''
    }
    const scheme = url.protocol.replace(/:$/, '').toLowerCase()
    const named = variable(env, `${scheme}_proxy`) || variable(env, 'all_proxy')
    if (!named) return ''
    const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase()
    const port = Number(url.port) || DEFAULT_PORTS[scheme] || 0
    if (noProxyMatcher(variable(env, 'no_proxy'))(host, port)) return ''
    // Like curl, an address written without a scheme is a plain HTTP proxy (even for https links).
    return named.includes('://') ? named : `http://${named}`
  }
}
