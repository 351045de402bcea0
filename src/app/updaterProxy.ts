// Which way the app's own update checks and downloads go: electron-updater has its own Electron
// session, which follows the system's proxy but knows nothing of the manual one. The proxy setting
// as an Electron ProxyConfig for that session (src/main/updater.ts applies it): the manual proxy's
// type, host and port as Chromium proxy rules, direct for "No proxy", the system's otherwise (on
// Linux Chromium's system mode reads HTTPS_PROXY and co. too). A manual proxy's user name and
// password are not handed to it: a proxy that asks for them fails the update check, which says so.
import { cleanProxyHost, normalizeProxySettings, proxyHostValid, proxyPortValid, type ProxySettings } from '../shared/proxy'
import { hostPort } from '../core/http/proxy'

/** The subset of Electron's ProxyConfig used here (no electron import in src/app). */
export type UpdaterProxyConfig = { mode: 'direct' } | { mode: 'system' } | { mode: 'fixed_servers'; proxyRules: string; proxyBypassRules: string }

export function updaterProxyConfig(raw: ProxySettings): UpdaterProxyConfig {
  const s = normalizeProxySettings(raw)
  if (s.mode === 'none') return { mode: 'direct' }
  const host = cleanProxyHost(s.host)
  if (s.mode !== 'manual' || !proxyHostValid(host) || !proxyPortValid(s.port)) return { mode: 'system' }
  return { mode: 'fixed_servers', proxyRules: `${s.type}://${hostPort(host, s.port)}`, proxyBypassRules: '<local>' }
}
