// The API key goes only to the origin the person chose, and only over https (plain http only to
// this computer, for local gateways and tests). One rule for the app, the CLI and the client.
import { msg, type Message } from '../../shared/messages'

/** localhost, 127.0.0.0/8, ::1 — and nothing that merely contains those strings. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return h === 'localhost' || h.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(h) || h === '::1' || h === '0:0:0:0:0:0:0:1'
}

/** Why this (normalized) base URL may not receive the key, or null when it may. */
export function baseUrlProblem(url: string): Message | null {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return msg('baseUrl.invalid', { url: url.slice(0, 200) })
  }
  if (u.username || u.password) return msg('baseUrl.credentials')
  if (u.protocol === 'https:') return null
  if (u.protocol === 'http:' && isLoopbackHost(u.hostname)) return null
  return msg('baseUrl.rule', { url: url.slice(0, 200) })
}

/** scheme://host:port of a URL (what the key is bound to). */
export function originOf(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return url
  }
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}
