// Which proxy a request goes through, decided in one place for the API transport and the
// downloader alike. Order: a manual proxy from Settings, then the environment (HTTPS_PROXY,
// HTTP_PROXY, ALL_PROXY, NO_PROXY, as proxyEnv.ts reads them), then the system's (the desktop
// app asks Electron, which answers in PAC form), else direct. The answer carries the proxy's URL
// with its credentials for the agent, and `host:port` for every sentence and log line.
import type { ProxySettings, ProxySource } from '../../shared/proxy'
import { cleanProxyHost, normalizeProxySettings, proxyHostValid, proxyPortValid } from '../../shared/proxy'
import type { Clock, Logger } from '../ports'

/** The proxy protocols the agents speak (proxy-agent's names). */
export type ProxyProtocol = 'http' | 'https' | 'socks4' | 'socks4a' | 'socks5' | 'socks5h'
const PROTOCOLS: readonly string[] = ['http', 'https', 'socks', 'socks4', 'socks4a', 'socks5', 'socks5h']

export interface ProxyRoute {
  source: ProxySource
  protocol: ProxyProtocol
  /** `host:port` (IPv6 in brackets): what messages and logs name. Never the credentials. */
  display: string
  /** What the agent connects with, credentials included. Never logged, never shown. */
  url: string
}

export interface ProxyCredentials {
  username: string
  password: string
  /** The proxy they were stored for: used for that proxy only (none: for no proxy). */
  proxy?: CredentialsProxy
}

/** Which manual proxy a stored user name and password belong to. */
export interface CredentialsProxy {
  type: ProxySettings['type']
  host: string
  port: number
}

/** The proxy of a manual setting as credentials are tied to it (host cleaned, lower case). */
export function credentialsProxyOf(s: Pick<ProxySettings, 'type' | 'host' | 'port'>): CredentialsProxy | null {
  if (s.port === null || s.port === undefined) return null
  return { type: s.type, host: cleanProxyHost(s.host).toLowerCase(), port: s.port }
}

/** The credentials belong to this manual proxy (same type, host and port). */
export function credentialsFit(c: ProxyCredentials | null, s: Pick<ProxySettings, 'type' | 'host' | 'port'>): boolean {
  const want = credentialsProxyOf(s)
  const have = c?.proxy
  return !!want && !!have && have.type === want.type && have.host.toLowerCase() === want.host && have.port === want.port
}

/** What the front ends pass in: the environment's and the system's answers, and the stored credentials. */
export interface ProxyPorts {
  /** The proxy the environment names for a URL, '' for none (see proxyEnv.ts). */
  environment?: (url: string) => string
  /** The system's answer in PAC form ("DIRECT", "PROXY host:port; SOCKS5 host:port"…): Electron's `session.resolveProxy`. */
  system?: (url: string) => Promise<string>
  /** The manual proxy's stored user name and password. */
  credentials?: { get(): Promise<ProxyCredentials | null> }
}

export interface ProxyResolverOptions extends ProxyPorts {
  settings: () => ProxySettings
  clock: Clock
  logger?: Logger
}

/** Decides the route of one request: a proxy, or null for direct. */
export interface ProxyDecider {
  resolve(url: string | URL): Promise<ProxyRoute | null>
}

/** A proxy address that cannot be used (a malformed variable, an unknown scheme): requests fail naming it rather than bypass it. */
export class ProxyConfigError extends Error {
  constructor(
    /** The address with any user info removed. */
    readonly proxy: string,
    readonly source: ProxySource,
    readonly reason: string
  ) {
    super(`The proxy address ${proxy} (${source}) cannot be used: ${reason}`)
    this.name = 'ProxyConfigError'
  }
}

/** `host:port`, brackets around IPv6. */
export function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`
}

/**
 * Removes `user:password@` from every address in a text (a PAC answer, an error), for messages and
 * logs: everything up to the LAST `@` of each whitespace-, `;`- or `,`-separated word, since a
 * password may hold `/`, `:` or `@` itself (`http://ann:p@ss/1@proxy:3128` shows `http://proxy:3128`).
 */
export function withoutCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)?[^\s;,]*@/gi, '$1')
}

/** One proxy address as a message may show it: its scheme and what follows the last `@` of the whole value, whatever lies between. */
export function shownAddress(raw: string): string {
  const at = raw.lastIndexOf('@')
  if (at < 0) return raw
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(raw)?.[0] ?? ''
  return scheme + raw.slice(at + 1)
}

const DEFAULT_PORT: Record<ProxyProtocol, number> = { http: 80, https: 443, socks4: 1080, socks4a: 1080, socks5: 1080, socks5h: 1080 }

/** A proxy URL (from the environment) as a route; throws ProxyConfigError for one that cannot be used. */
export function routeFromUrl(raw: string, source: ProxySource): ProxyRoute {
  const shown = shownAddress(raw.trim()).slice(0, 200)
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    throw new ProxyConfigError(shown, source, 'not a valid address')
  }
  const scheme = url.protocol.replace(/:$/, '').toLowerCase()
  if (!PROTOCOLS.includes(scheme)) throw new ProxyConfigError(shown, source, `the scheme ${scheme}: is not supported (use http, https or socks5)`)
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (!host) throw new ProxyConfigError(shown, source, 'it names no host')
  // `socks://` is SOCKS5 with the proxy resolving names, as proxy-agent reads it.
  const protocol = (scheme === 'socks' ? 'socks5h' : scheme) as ProxyProtocol
  const port = Number(url.port) || DEFAULT_PORT[protocol]
  url.pathname = ''
  url.search = ''
  url.hash = ''
  if (scheme === 'socks') url.protocol = 'socks5h:'
  return { source, protocol, display: hostPort(host, port), url: url.href.replace(/\/$/, '') }
}

/** The manual proxy of the settings, with the stored credentials; null when it is incomplete. */
export function manualRoute(s: ProxySettings, credentials: ProxyCredentials | null): ProxyRoute | null {
  const host = cleanProxyHost(s.host)
  if (!proxyHostValid(host) || !proxyPortValid(s.port)) return null
  // SOCKS5 with the proxy resolving names: what "SOCKS5" means in browsers, and what works where local DNS is filtered.
  const protocol: ProxyProtocol = s.type === 'socks5' ? 'socks5h' : s.type
  const auth = credentials?.username ? `${encodeURIComponent(credentials.username)}:${encodeURIComponent(credentials.password)}@` : ''
  const display = hostPort(host, s.port)
  return { source: 'manual', protocol, display, url: `${protocol}://${auth}${display}` }
}

export type PacEntry = { kind: 'direct' } | { kind: 'proxy'; protocol: ProxyProtocol; host: string; port: number } | { kind: 'unsupported'; type: string }

/**
 * Parses a PAC-style answer (what `FindProxyForURL` returns and Electron's `resolveProxy` gives):
 * entries separated by `;`, each `DIRECT` or `TYPE host[:port]` with TYPE one of PROXY / HTTP
 * (an HTTP proxy), HTTPS (TLS to the proxy), SOCKS / SOCKS4 (Chromium reads bare SOCKS as v4),
 * SOCKS5; QUIC and anything else are kept as unsupported. IPv6 hosts are in brackets.
 */
export function parsePacAnswer(answer: string): PacEntry[] {
  const out: PacEntry[] = []
  for (const part of answer.split(';')) {
    const item = part.trim()
    if (!item) continue
    const m = /^([A-Za-z0-9]+)(?:\s+(\S+))?$/.exec(item)
    if (!m) {
      out.push({ kind: 'unsupported', type: item.slice(0, 40) })
      continue
    }
    const type = m[1].toUpperCase()
    if (type === 'DIRECT') {
      out.push({ kind: 'direct' })
      continue
    }
    const protocol: ProxyProtocol | undefined = ({ PROXY: 'http', HTTP: 'http', HTTPS: 'https', SOCKS: 'socks4', SOCKS4: 'socks4', SOCKS5: 'socks5h' } as const)[type as 'PROXY']
    const where = m[2] ? /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(m[2]) : null
    if (!protocol || !where) {
      out.push({ kind: 'unsupported', type })
      continue
    }
    const host = where[1] ?? where[2]
    const port = where[3] ? Number(where[3]) : DEFAULT_PORT[protocol]
    if (!proxyPortValid(port)) {
      out.push({ kind: 'unsupported', type })
      continue
    }
    out.push({ kind: 'proxy', protocol, host, port })
  }
  return out
}

/** The route a PAC answer gives: its first entry we can use (DIRECT: null). An answer with nothing usable goes direct. */
export function routeFromPac(answer: string): ProxyRoute | null {
  for (const e of parsePacAnswer(answer)) {
    if (e.kind === 'direct') return null
    if (e.kind === 'proxy') {
      const display = hostPort(e.host, e.port)
      return { source: 'system', protocol: e.protocol, display, url: `${e.protocol}://${display}` }
    }
  }
  return null
}

/** The system's answers are asked for once per origin this long (the OS setting rarely changes). */
const SYSTEM_TTL_MS = 30_000

export class ProxyResolver implements ProxyDecider {
  private readonly systemCache = new Map<string, { at: number; route: Promise<ProxyRoute | null> }>()
  private warned = new Set<string>()
  private said = new Set<string>()

  constructor(private readonly o: ProxyResolverOptions) {}

  /** The route of a request to `url` (null: direct). Throws ProxyConfigError for a proxy that is named but unusable. */
  async resolve(target: string | URL): Promise<ProxyRoute | null> {
    const url = typeof target === 'string' ? new URL(target) : target
    const route = await this.decide(url)
    // Said once per destination and way (`--verbose` in the CLI, the app's log): which way requests go.
    const way = route ? `through the proxy ${route.display} (${route.source})` : 'directly'
    this.infoOnce(`${url.host} ${way}`, `proxy: requests to ${url.host} go ${way}`)
    return route
  }

  private async decide(url: URL): Promise<ProxyRoute | null> {
    const s = normalizeProxySettings(this.o.settings())
    if (s.mode === 'none') return null
    if (s.mode === 'manual') {
      // Only the credentials stored for this very proxy: a changed host never receives the old password.
      const stored = await this.credentials()
      const route = manualRoute(s, credentialsFit(stored, s) ? stored : null)
      if (!route) throw new ProxyConfigError(shownAddress(s.host.trim()).slice(0, 200) || '(no host)', 'manual', 'the manual proxy needs a host and a port; set them in Settings → Proxy')
      return route
    }
    const fromEnv = this.o.environment?.(url.href) ?? ''
    if (fromEnv) return routeFromUrl(fromEnv, 'environment')
    if (this.o.system) return this.fromSystem(url)
    return null
  }

  private async credentials(): Promise<ProxyCredentials | null> {
    try {
      return (await this.o.credentials?.get()) ?? null
    } catch (err) {
      // A locked keychain: go on without them; a proxy that needs them answers 407 and says so.
      this.warnOnce('credentials', `proxy: the stored proxy credentials could not be read (${err instanceof Error ? err.message : String(err)})`)
      return null
    }
  }

  private fromSystem(url: URL): Promise<ProxyRoute | null> {
    const key = `${url.protocol}//${url.host}`
    const now = this.o.clock.now()
    const hit = this.systemCache.get(key)
    if (hit && now - hit.at < SYSTEM_TTL_MS) return hit.route
    const route = (this.o.system as NonNullable<ProxyPorts['system']>)(url.href).then(
      (answer) => {
        const r = routeFromPac(answer)
        if (!r && parsePacAnswer(answer).some((e) => e.kind === 'unsupported')) this.warnOnce(`pac:${answer}`, `proxy: the system's proxy answer "${withoutCredentials(answer).slice(0, 100)}" has no entry we can use; going direct`)
        return r
      },
      (err: unknown) => {
        this.warnOnce('system', `proxy: the system proxy could not be asked (${err instanceof Error ? err.message : String(err)}); going direct`)
        return null
      }
    )
    if (this.systemCache.size > 200) this.systemCache.clear()
    this.systemCache.set(key, { at: now, route })
    return route
  }

  private infoOnce(key: string, line: string): void {
    if (this.said.has(key)) return
    if (this.said.size > 500) this.said.clear()
    this.said.add(key)
    this.o.logger?.log('info', line)
  }

  private warnOnce(key: string, line: string): void {
    if (this.warned.has(key)) return
    this.warned.add(key)
    this.o.logger?.log('warn', line)
  }
}
