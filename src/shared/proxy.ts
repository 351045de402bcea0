// The proxy setting every layer agrees on, and the one check of a manual proxy the renderer and
// main both run. The user name and password are never part of it: they live in the secret store
// (src/core/secrets/proxyCredentials.ts) and the renderer only learns whether some are stored.

/** `none`: always direct. `auto`: the environment (HTTPS_PROXY…), then the system's, else direct. `manual`: the proxy below. */
export type ProxyMode = 'none' | 'auto' | 'manual'
export type ManualProxyType = 'http' | 'https' | 'socks5'

export const PROXY_MODES: readonly ProxyMode[] = ['none', 'auto', 'manual']
export const MANUAL_PROXY_TYPES: readonly ManualProxyType[] = ['http', 'https', 'socks5']

export interface ProxySettings {
  mode: ProxyMode
  /** The manual proxy; kept while another mode is chosen, so switching back restores it. */
  type: ManualProxyType
  host: string
  /** null until the person types one. */
  port: number | null
}

export const DEFAULT_PROXY_SETTINGS: ProxySettings = { mode: 'auto', type: 'http', host: '', port: null }

/** Where the proxy in use comes from. */
export type ProxySource = 'manual' | 'environment' | 'system'

/** What the renderer may know about the stored proxy credentials: never them. */
export interface ProxyCredentialStatus {
  stored: boolean
  /** Where they are (or would be) kept; null when nowhere is available. */
  storage: 'keychain' | 'encrypted-file' | 'obfuscated-file' | null
  problem: string | null
}

export interface ProxyStatus {
  settings: ProxySettings
  credentials: ProxyCredentialStatus
  /** What a request to the API's base URL uses right now: `host:port` and where it comes from, or null (direct). */
  inUse: { source: ProxySource; proxy: string } | null
}

export type ProxyField = 'host' | 'port' | 'username' | 'password'

/** A manual proxy's problem: the message code (shared/messages.ts) and the field it is about. */
export interface ProxyProblem {
  field: ProxyField
  code: 'proxy.hostMissing' | 'proxy.hostInvalid' | 'proxy.portInvalid' | 'proxy.passwordWithoutUser' | 'proxy.credentialsInvalid'
}

/** Host names and IPv4/IPv6 literals (brackets optional); no scheme, path, user info or spaces. */
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/
const IPV6 = /^\[?[0-9A-Fa-f:.]{2,45}\]?$/

/** The host as typed, trimmed, with IPv6 brackets dropped (the URL builder adds them back). */
export function cleanProxyHost(host: string): string {
  return host.trim().replace(/^\[(.*)\]$/, '$1')
}

export function proxyHostValid(host: string): boolean {
  const h = host.trim()
  if (!h) return false
  if (HOST_NAME.test(h)) return true
  // An IPv6 literal has at least two colons ("cafe:3128" is a host and a port, not an address).
  return IPV6.test(h) && (h.match(/:/g) ?? []).length >= 2
}

export function proxyPortValid(port: unknown): port is number {
  return typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535
}

/**
 * The problems of a manual proxy (none for the other modes). `credentials` is what the person is
 * about to store (absent: leave what is stored alone).
 */
export function proxyProblems(s: Pick<ProxySettings, 'mode' | 'host' | 'port'>, credentials?: { username: string; password: string }): ProxyProblem[] {
  const out: ProxyProblem[] = []
  if (s.mode === 'manual') {
    if (!s.host.trim()) out.push({ field: 'host', code: 'proxy.hostMissing' })
    else if (!proxyHostValid(s.host)) out.push({ field: 'host', code: 'proxy.hostInvalid' })
    if (!proxyPortValid(s.port)) out.push({ field: 'port', code: 'proxy.portInvalid' })
  }
  if (credentials) {
    // A control character would break the header it travels in.
    // eslint-disable-next-line no-control-regex
    const bad = /[\u0000-\u001f\u007f]/
    if (bad.test(credentials.username) || credentials.username.includes(':')) out.push({ field: 'username', code: 'proxy.credentialsInvalid' })
    if (bad.test(credentials.password)) out.push({ field: 'password', code: 'proxy.credentialsInvalid' })
    if (!credentials.username && credentials.password) out.push({ field: 'username', code: 'proxy.passwordWithoutUser' })
  }
  return out
}

/** A stored value read back from disk, made into a setting whatever shape it had. */
export function normalizeProxySettings(raw: unknown): ProxySettings {
  const r = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {}
  const mode = PROXY_MODES.includes(r.mode as ProxyMode) ? (r.mode as ProxyMode) : DEFAULT_PROXY_SETTINGS.mode
  const type = MANUAL_PROXY_TYPES.includes(r.type as ManualProxyType) ? (r.type as ManualProxyType) : DEFAULT_PROXY_SETTINGS.type
  const host = typeof r.host === 'string' ? r.host.trim().slice(0, 255) : ''
  const port = proxyPortValid(r.port) ? r.port : null
  return { mode, type, host, port }
}
