// The http.Agent for a proxy route (proxy-agent: an HTTP proxy forwards http:// requests and
// tunnels https:// ones with CONNECT; SOCKS tunnels both), and how a failure on the way to or
// through a proxy is said: naming the proxy's host:port, never its credentials.
import type { Agent } from 'node:http'
import { ProxyAgent } from 'proxy-agent'
import { type ProxyRoute, withoutCredentials } from './proxy'

/** What went wrong with the proxy itself (the request never reached the target). */
export type ProxyFailure = 'refused' | 'timeout' | 'not_found' | 'unreachable' | 'auth' | 'target' | 'failed'

/** One agent per proxy URL and connection style, a few at most (the settings rarely change). */
export class ProxyAgents {
  private readonly pool = new Map<string, ProxyAgent>()

  constructor(private readonly max = 8) {}

  /**
   * `fresh`: no keep-alive, so a create never rides a stale tunnel. An http:// request an HTTP
   * proxy forwards never reuses a connection either: proxy-agent rewrites the request line to the
   * absolute URL only when it opens one, so a reused socket would send a path the proxy cannot forward.
   */
  agentFor(route: ProxyRoute, fresh: boolean, targetIsHttps = true): Agent {
    if (!targetIsHttps && (route.protocol === 'http' || route.protocol === 'https')) fresh = true
    const key = `${fresh ? 'fresh' : 'keep'} ${route.url}`
    let agent = this.pool.get(key)
    if (agent) {
      // Most recently used last, so the oldest is the one to let go.
      this.pool.delete(key)
      this.pool.set(key, agent)
      return agent
    }
    agent = new ProxyAgent({ getProxyForUrl: () => route.url, keepAlive: !fresh, maxSockets: 32 })
    this.pool.set(key, agent)
    while (this.pool.size > this.max) {
      const [oldest, a] = this.pool.entries().next().value as [string, ProxyAgent]
      this.pool.delete(oldest)
      retire(a)
    }
    return agent
  }

  destroy(): void {
    for (const a of this.pool.values()) a.destroy()
    this.pool.clear()
  }
}

/**
 * An agent no longer handed out: its idle sockets close now, the requests still on it (a create
 * already sent) finish, and their sockets close instead of going back to the pool.
 */
function retire(agent: ProxyAgent): void {
  agent.keepAlive = false
  for (const list of Object.values(agent.freeSockets)) for (const socket of list ?? []) socket.destroy()
}

/** The agents every transport and download of this process shares. */
export const sharedProxyAgents = new ProxyAgents()

/** Why a connection to the proxy (or the tunnel through it) failed, from the error it raised. */
export function proxyFailureOf(err: NodeJS.ErrnoException): ProxyFailure {
  const text = err.message ?? ''
  // The socks library keeps only the message of the socket's error ("connect ECONNREFUSED 127.0.0.1:1080").
  const code = err.code ?? /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL)\b/.exec(text)?.[1] ?? ''
  if (code === 'ECONNREFUSED') return 'refused'
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'not_found'
  if (code === 'ETIMEDOUT') return 'timeout'
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL') return 'unreachable'
  // The socks library's words: the proxy refused our credentials, or could not reach the target for us.
  if (/authentication failed|no accepted authentication|no acceptable auth/i.test(text)) return 'auth'
  if (/rejected connection|host unreachable|network unreachable|connection ?refused|ttl expired|general failure|not allowed by ruleset/i.test(text)) return 'target'
  if (/timed? ?out/i.test(text)) return 'timeout'
  return 'failed'
}

/** The SOCKS or CONNECT words, safe to show: no credentials (they never appear in these errors, but the URL might). */
export function proxyDetail(err: Error): string {
  return withoutCredentials(err.message).slice(0, 160)
}
