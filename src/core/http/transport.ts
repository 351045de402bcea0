// The one place API requests touch the network. node:http rather than fetch because the engine
// must know whether a failed request ever reached the server: a create that never connected can be
// sent again, one that did may already have been billed. Through a proxy (proxy.ts decides which),
// "connected" means the tunnel to the target is open (CONNECT answered 200, SOCKS granted) or, for
// a plain-http target an HTTP proxy forwards, the proxy has the request; a proxy that refuses,
// cannot be reached or answers 407 fails as "not sent", naming the proxy.
import http from 'node:http'
import https from 'node:https'
import tls from 'node:tls'
import { ProxyConfigError, type ProxyDecider, type ProxyRoute } from './proxy'
import { type ProxyAgents, type ProxyFailure, proxyDetail, proxyFailureOf, sharedProxyAgents } from './proxyAgents'

export interface TransportRequest {
  method: string
  url: string
  headers: Record<string, string>
  body?: Uint8Array
  signal?: AbortSignal
  /** Time allowed to open the connection. */
  connectTimeoutMs: number
  /** Longest silence allowed once connected (waiting for headers or between body chunks). */
  readTimeoutMs: number
  /** Largest body we accept (API answers are small JSON). */
  maxBodyBytes: number
  /** Use a new connection: a stale keep-alive socket would make a create's outcome look unknown. */
  freshConnection?: boolean
  /** Called when the request starts going on the wire (connected, first bytes written). */
  onSend?: () => void
}

export interface TransportResponse {
  status: number
  headers: Record<string, string>
  body: Buffer
}

export type TransportErrorCode =
  | 'connect_timeout'
  | 'read_timeout'
  | 'refused'
  | 'dns'
  | 'reset'
  | 'canceled'
  | 'too_large'
  | 'other'
  // The proxy, not the target: refused, timed out, not found, unreachable, 407, could not reach the target, failed otherwise; or its address is unusable.
  | 'proxy_refused'
  | 'proxy_timeout'
  | 'proxy_not_found'
  | 'proxy_unreachable'
  | 'proxy_auth'
  | 'proxy_target'
  | 'proxy_failed'
  | 'proxy_invalid'

/** Which proxy a failure was about, for the sentence. */
export interface ProxyContext {
  /** `host:port`. */
  proxy: string
  source: ProxyRoute['source']
  /** The host the request was for. */
  target: string
  /** The proxy's HTTP answer (407, or its CONNECT refusal). */
  status?: number
  /** The SOCKS or config words (no credentials). */
  detail?: string
}

export class TransportError extends Error {
  constructor(
    message: string,
    readonly code: TransportErrorCode,
    /** True once any request byte may have reached the server. */
    readonly sent: boolean,
    /** Set when the failure is about a proxy. */
    readonly proxy?: ProxyContext
  ) {
    super(message)
    this.name = 'TransportError'
  }
}

export type HttpTransport = (req: TransportRequest) => Promise<TransportResponse>

const keepAliveHttp = new http.Agent({ keepAlive: true, maxSockets: 32 })
const keepAliveHttps = new https.Agent({ keepAlive: true, maxSockets: 32 })

const PROXY_CODES: Record<ProxyFailure, TransportErrorCode> = {
  refused: 'proxy_refused',
  timeout: 'proxy_timeout',
  not_found: 'proxy_not_found',
  unreachable: 'proxy_unreachable',
  auth: 'proxy_auth',
  target: 'proxy_target',
  failed: 'proxy_failed'
}

/** A failure on the way to or through a proxy: the request never reached the target. */
export function proxyError(failure: ProxyFailure, route: Pick<ProxyRoute, 'display' | 'source'>, target: string, extra: { status?: number; detail?: string } = {}): TransportError {
  const ctx: ProxyContext = { proxy: route.display, source: route.source, target, ...extra }
  const what: Record<ProxyFailure, string> = {
    refused: 'refused the connection',
    timeout: 'did not answer in time',
    not_found: 'could not be found (DNS)',
    unreachable: 'cannot be reached',
    auth: `asks for a user name and password${extra.status ? ` (${extra.status})` : ''}`,
    target: `could not connect to ${target}${extra.status ? ` (${extra.status})` : ''}`,
    failed: `failed${extra.detail ? ` (${extra.detail})` : ''}`
  }
  return new TransportError(`The proxy ${route.display} ${what[failure]}`, PROXY_CODES[failure], false, ctx)
}

/** TLS sockets whose handshake completed: a reused one is ready at once. (`authorized` would not do: it stays false when certificates are not verified.) */
const secured = new WeakSet<tls.TLSSocket>()

/** The request's socket is ready to carry bytes to the target: connected, and for https the TLS handshake done. */
function whenReady(socket: import('node:net').Socket, isHttps: boolean, ready: () => void): void {
  if (isHttps && socket instanceof tls.TLSSocket) {
    // A TLS socket over a tunnel is handed over before its handshake; a reused one is long past it.
    if (secured.has(socket)) ready()
    else
      socket.once('secureConnect', () => {
        secured.add(socket)
        ready()
      })
    return
  }
  if (!socket.connecting) ready()
  else socket.once('connect', ready)
}

export interface HttpTransportOptions {
  /** Decides each request's proxy (none: always direct). */
  proxies?: ProxyDecider
  agents?: ProxyAgents
}

/** The node:http transport; with `proxies`, each request goes through the proxy they name. */
export function createHttpTransport(o: HttpTransportOptions = {}): HttpTransport {
  const agents = o.agents ?? sharedProxyAgents
  return async (req) => {
    let url: URL
    try {
      url = new URL(req.url)
    } catch {
      throw new TransportError('Invalid URL', 'other', false)
    }
    let route: ProxyRoute | null = null
    if (o.proxies && (url.protocol === 'https:' || url.protocol === 'http:')) {
      try {
        route = await decideBounded(o.proxies, url, req)
      } catch (err) {
        if (err instanceof ProxyConfigError) {
          throw new TransportError(err.message, 'proxy_invalid', false, { proxy: err.proxy, source: err.source, target: url.host, detail: err.reason })
        }
        throw err
      }
    }
    return send(req, url, route, route ? agents.agentFor(route, !!req.freshConnection, url.protocol === 'https:') : null)
  }
}

export const nodeHttpTransport: HttpTransport = createHttpTransport()

/**
 * The proxy decision, within the connect timeout and the abort signal: asking the system
 * (Electron's resolveProxy, a PAC script) or the keychain can stall, and a create is already
 * claimed as submitting. Either way nothing was sent.
 */
export function decideBounded(proxies: ProxyDecider, url: URL, req: Pick<TransportRequest, 'connectTimeoutMs' | 'signal'>): Promise<ProxyRoute | null> {
  if (req.signal?.aborted) return Promise.reject(new TransportError('Request canceled', 'canceled', false))
  return new Promise<ProxyRoute | null>((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer)
      req.signal?.removeEventListener('abort', onAbort)
    }
    const onAbort = (): void => {
      done()
      reject(new TransportError('Request canceled', 'canceled', false))
    }
    const timer = setTimeout(() => {
      done()
      reject(decideTimeout(url.host, req.connectTimeoutMs))
    }, req.connectTimeoutMs)
    req.signal?.addEventListener('abort', onAbort, { once: true })
    proxies.resolve(url).then(
      (route) => {
        done()
        resolve(route)
      },
      (err: unknown) => {
        done()
        reject(err)
      }
    )
  })
}

/** Deciding the proxy took longer than the connect timeout (no proxy is known yet to name). */
export function decideTimeout(target: string, ms: number): TransportError {
  return new TransportError(`Deciding which proxy to use for ${target} took longer than ${ms} ms`, 'proxy_timeout', false, {
    proxy: '',
    source: 'system',
    target
  })
}

/** The proxy itself reads and forwards the request (a plain-http target through an HTTP(S) proxy), so its own 407 can come back. */
export function proxyForwards(route: Pick<ProxyRoute, 'protocol'>, targetIsHttps: boolean): boolean {
  return !targetIsHttps && (route.protocol === 'http' || route.protocol === 'https')
}

function send(req: TransportRequest, url: URL, route: ProxyRoute | null, proxyAgent: http.Agent | null): Promise<TransportResponse> {
  return new Promise<TransportResponse>((resolve, reject) => {
    const isHttps = url.protocol === 'https:'
    if (!isHttps && url.protocol !== 'http:') {
      reject(new TransportError(`Unsupported URL scheme ${url.protocol}`, 'other', false))
      return
    }
    if (req.signal?.aborted) {
      reject(new TransportError('Request canceled', 'canceled', false))
      return
    }
    let connected = false
    let settled = false
    /** Through a proxy: the agent handed over a socket (the tunnel is open, or the proxy is connected). */
    let tunnel = false
    /** The proxy's answer to CONNECT when it was not 200 (the tunnel never opened). */
    let refusedWith: number | null = null
    const headers: Record<string, string> = { ...req.headers }
    if (req.body) headers['content-length'] = String(req.body.byteLength)
    const request = (isHttps ? https : http).request(url, {
      method: req.method,
      headers,
      agent: proxyAgent ?? (req.freshConnection ? false : isHttps ? keepAliveHttps : keepAliveHttp)
    })

    const fail = (err: TransportError): void => {
      if (settled) return
      settled = true
      cleanup()
      request.destroy()
      reject(err)
    }
    const onAbort = (): void => fail(new TransportError('Request canceled', 'canceled', connected))
    req.signal?.addEventListener('abort', onAbort, { once: true })

    const connectTimer = setTimeout(() => {
      if (connected) return
      if (route && !tunnel) fail(proxyError('timeout', route, url.host))
      else fail(new TransportError(`Could not connect to ${url.host} within ${req.connectTimeoutMs} ms`, 'connect_timeout', false))
    }, req.connectTimeoutMs)
    let readTimer: ReturnType<typeof setTimeout> | null = null
    const armRead = (): void => {
      if (readTimer) clearTimeout(readTimer)
      readTimer = setTimeout(() => {
        fail(new TransportError(`No answer from ${url.host} for ${req.readTimeoutMs} ms`, 'read_timeout', true))
      }, req.readTimeoutMs)
    }
    const cleanup = (): void => {
      clearTimeout(connectTimer)
      if (readTimer) clearTimeout(readTimer)
      req.signal?.removeEventListener('abort', onAbort)
    }

    if (route) {
      request.on('proxyConnect', (answer: { statusCode?: number }) => {
        // http-proxy-agent sends one too, without a status, once it is connected to the proxy.
      if (typeof answer.statusCode === 'number' && answer.statusCode !== 200) refusedWith = answer.statusCode
      })
    }

    request.on('socket', (socket) => {
      tunnel = true
      // A refused CONNECT hands over a stand-in socket that replays the proxy's answer: nothing goes out.
      if (refusedWith !== null) return
      whenReady(socket, isHttps, () => {
        connected = true
        clearTimeout(connectTimer)
        req.onSend?.()
        armRead()
      })
    })

    request.on('response', (res) => {
      // The proxy answering for itself: its CONNECT refusal replayed, or a 407 instead of forwarding.
      // Inside an open tunnel (CONNECT or SOCKS) a 407 comes from the far end, after the request went.
      if (route && (refusedWith !== null || (res.statusCode === 407 && proxyForwards(route, isHttps)))) {
        const status = refusedWith ?? res.statusCode ?? 0
        res.resume()
        fail(proxyError(status === 407 ? 'auth' : 'target', route, url.host, { status }))
        return
      }
      armRead()
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        armRead()
        size += chunk.length
        if (size > req.maxBodyBytes) {
          fail(new TransportError(`Answer larger than ${req.maxBodyBytes} bytes`, 'too_large', true))
          return
        }
        chunks.push(chunk)
      })
      res.on('end', () => {
        if (settled) return
        settled = true
        cleanup()
        const flat: Record<string, string> = {}
        for (const [k, v] of Object.entries(res.headers)) {
          if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v
        }
        resolve({ status: res.statusCode ?? 0, headers: flat, body: Buffer.concat(chunks) })
      })
      res.on('error', (err) => fail(new TransportError(`Connection broke while reading the answer: ${err.message}`, 'reset', true)))
      res.on('aborted', () => fail(new TransportError('Connection broke while reading the answer', 'reset', true)))
    })

    request.on('error', (err: NodeJS.ErrnoException) => {
      // Before the agent handed over a socket, every error is the proxy's (reaching it, or its SOCKS answer).
      if (route && !tunnel) {
        const failure = proxyFailureOf(err)
        fail(proxyError(failure, route, url.host, failure === 'failed' ? { detail: proxyDetail(err) } : {}))
        return
      }
      const code = err.code ?? ''
      if (code === 'ECONNREFUSED') fail(new TransportError(`Connection refused by ${url.host}`, 'refused', false))
      else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') fail(new TransportError(`Could not find the host ${url.hostname}`, 'dns', false))
      else if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED')
        fail(new TransportError('The connection was reset', 'reset', connected))
      else fail(new TransportError(err.message, 'other', connected))
    })

    if (req.body) request.end(req.body)
    else request.end()
  })
}
