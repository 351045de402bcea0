// What "sent" means through a proxy at its edges, and that a proxy's password never shows:
// credentials with `/`, `@`, `:` and percent-escapes in every sentence a proxy failure gives; a
// 407 from the far end of a tunnel (an ordinary answer, the request was sent); a create whose body
// went through the tunnel before the connection dropped (sent, never re-sent); the proxy decision
// bounded by the connect timeout and the abort signal; reused TLS sockets when certificates are
// not verified; and an evicted agent letting its requests in flight finish.
import { readFileSync } from 'node:fs'
import http from 'node:http'
import net, { type AddressInfo } from 'node:net'
import { join } from 'node:path'
import tls from 'node:tls'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { classifyTransportError } from '../../src/core/http/apiError'
import type { ProxyDecider, ProxyRoute } from '../../src/core/http/proxy'
import { manualRoute, ProxyConfigError, routeFromUrl, withoutCredentials } from '../../src/core/http/proxy'
import { ProxyAgents } from '../../src/core/http/proxyAgents'
import { createHttpTransport, TransportError, type TransportRequest } from '../../src/core/http/transport'
import { closedPort, type CountingProxy, type CountingSocks, startHttpProxy, startSocks5 } from '../helpers/proxies'

const tlsDir = join(import.meta.dirname, '../fixtures/tls')
const key = readFileSync(join(tlsDir, 'localhost-key.pem'))
const cert = readFileSync(join(tlsDir, 'localhost-cert.pem'))

let proxy: CountingProxy
let socks: CountingSocks
const agents = new ProxyAgents()

beforeAll(async () => {
  proxy = await startHttpProxy()
  socks = await startSocks5()
})
afterAll(async () => {
  agents.destroy()
  await proxy.close()
  await socks.close()
})
afterEach(() => {
  proxy.forwarded.length = 0
  proxy.refused.length = 0
  proxy.requireAuth(null)
  socks.tunnels.length = 0
  socks.requireAuth(null)
})

const through = (route: ProxyRoute | null): ProxyDecider => ({ resolve: async () => route })

function request(url: string, extra: Partial<TransportRequest> = {}): TransportRequest {
  return { method: 'GET', url, headers: { accept: 'application/json' }, connectTimeoutMs: 5000, readTimeoutMs: 5000, maxBodyBytes: 1 << 20, ...extra }
}

async function run(decider: ProxyDecider | undefined, req: TransportRequest, a = agents): Promise<{ status?: number; text?: string; error?: TransportError; sentSeen: boolean }> {
  let sentSeen = false
  const transport = createHttpTransport({ proxies: decider, agents: a })
  try {
    const res = await transport({ ...req, onSend: () => (sentSeen = true) })
    return { status: res.status, text: res.body.toString('utf8'), sentSeen }
  } catch (err) {
    if (!(err instanceof TransportError)) throw err
    return { error: err, sentSeen }
  }
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return (server.address() as AddressInfo).port
}
const close = (server: net.Server): Promise<void> => new Promise((r) => server.close(() => r()))

/** Certificates of the test's own TLS servers are not verified while `fn` runs (NODE_TLS_REJECT_UNAUTHORIZED=0). */
async function unverified<T>(fn: () => Promise<T>): Promise<T> {
  const before = process.env.NODE_TLS_REJECT_UNAUTHORIZED
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'
  try {
    return await fn()
  } finally {
    if (before === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED
    else process.env.NODE_TLS_REJECT_UNAUTHORIZED = before
  }
}

const SECRETS = ['pa/ss', 'p@ss', 'pa%2Fss', 'p%40ss', 'w0rd:x', 'ann:pa', 'ann%3Ax']

function expectNoSecret(...things: unknown[]): void {
  const text = JSON.stringify(things)
  for (const s of SECRETS) expect(text).not.toContain(s)
}

describe('the proxy password never shows', () => {
  it('withoutCredentials strips everything up to the last @ of the authority', () => {
    expect(withoutCredentials('http://ann:pa/ss@proxy:3128')).toBe('http://proxy:3128')
    expect(withoutCredentials('http://ann:p@ss@proxy:99999')).toBe('http://proxy:99999')
    expect(withoutCredentials('socks5://ann%3Ax:p%40ss@proxy.corp:1080')).toBe('socks5://proxy.corp:1080')
    expect(withoutCredentials('ann:w0rd:x@proxy:3128')).toBe('proxy:3128')
    expect(withoutCredentials('PROXY a:1; SOCKS5 ann:p@ss@b:2')).toBe('PROXY a:1; SOCKS5 b:2')
    expect(withoutCredentials('http://proxy.corp:3128')).toBe('http://proxy.corp:3128')
  })

  it('an unusable address (ProxyConfigError) names it without user or password', () => {
    for (const raw of ['http://ann:pa/ss@proxy:3128', 'http://ann:p@ss@proxy:99999', 'ftp://ann%3Ax:p%40ss@proxy:21', 'http://ann:w0rd:x@pro xy:3128']) {
      let err: unknown
      try {
        routeFromUrl(raw, 'environment')
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(ProxyConfigError)
      const e = err as ProxyConfigError
      expect(e.proxy).toMatch(/proxy|pro/)
      expectNoSecret(e.message, e.proxy, e.reason)
      const t = new TransportError(e.message, 'proxy_invalid', false, { proxy: e.proxy, source: e.source, target: 'api.cometapi.com', detail: e.reason })
      const api = classifyTransportError(t, { baseUrl: 'https://api.cometapi.com', path: '/v1/videos', action: 'create' })
      expectNoSecret(api.message, api.params, api.toMessage())
    }
  })

  it('refused, 407, DNS and timeout sentences name host:port only', async () => {
    const creds = { username: 'ann:pa', password: 'p@ss/w0rd:x%2F' }
    const refusedPort = await closedPort()
    // A proxy that accepts the connection and never answers.
    const held = new Set<net.Socket>()
    const silent = net.createServer((s) => void held.add(s))
    const silentPort = await listen(silent)
    proxy.requireAuth({ username: 'someone', password: 'else' })
    try {
      const routes: Array<[string, ProxyRoute]> = [
        ['proxy_refused', manualRoute({ mode: 'manual', type: 'http', host: '127.0.0.1', port: refusedPort }, creds)!],
        ['proxy_auth', manualRoute({ mode: 'manual', type: 'http', host: '127.0.0.1', port: proxy.port }, creds)!],
        ['proxy_not_found', manualRoute({ mode: 'manual', type: 'http', host: 'proxy.invalid', port: 3128 }, creds)!],
        ['proxy_timeout', manualRoute({ mode: 'manual', type: 'http', host: '127.0.0.1', port: silentPort }, creds)!],
        ['proxy_auth', routeFromUrl(`http://ann%3Ax:p%40ss@127.0.0.1:${proxy.port}`, 'environment')]
      ]
      for (const [code, route] of routes) {
        const r = await run(through(route), request('https://api.cometapi.invalid/v1/videos', { method: 'POST', body: Buffer.from('{}'), freshConnection: true, connectTimeoutMs: 800 }))
        expect(r.error?.code).toBe(code)
        const api = classifyTransportError(r.error!, { baseUrl: 'https://api.cometapi.invalid', path: '/v1/videos', action: 'create' })
        expectNoSecret(r.error!.message, r.error!.proxy, api.message, api.params)
        expect(JSON.stringify([r.error!.message, api.message])).not.toContain('p%40ss')
      }
    } finally {
      for (const s of held) s.destroy()
      await close(silent)
    }
  })
})

describe('a 407 from the far end of a tunnel is an ordinary answer: the request was sent', () => {
  it('through SOCKS5 to a plain-http target', async () => {
    let reached = 0
    const target = http.createServer((_req, res) => {
      reached++
      res.writeHead(407, { 'content-type': 'application/json' }).end('{"error":"far end"}')
    })
    const port = await listen(target)
    try {
      const route = manualRoute({ mode: 'manual', type: 'socks5', host: '127.0.0.1', port: socks.port }, null)!
      const r = await run(through(route), request(`http://127.0.0.1:${port}/v1/videos`, { method: 'POST', body: Buffer.from('{}'), freshConnection: true }))
      expect(r.error).toBeUndefined()
      expect(r).toMatchObject({ status: 407, sentSeen: true })
      expect(reached).toBe(1)
    } finally {
      await close(target)
    }
  })

  it('through an HTTP proxy CONNECT tunnel to an https target', async () => {
    let reached = 0
    const { createServer } = await import('node:https')
    const target = createServer({ key, cert }, (_req, res) => {
      reached++
      res.writeHead(407, { 'content-type': 'application/json' }).end('{"error":"far end"}')
    })
    const port = await listen(target)
    try {
      const route = routeFromUrl(proxy.url, 'environment')
      const r = await unverified(() => run(through(route), request(`https://127.0.0.1:${port}/v1/videos`, { method: 'POST', body: Buffer.from('{}'), freshConnection: true })))
      expect(r.error).toBeUndefined()
      expect(r).toMatchObject({ status: 407, sentSeen: true })
      expect(reached).toBe(1)
    } finally {
      await close(target)
    }
  })
})

/** A TLS front that reads one whole request (headers and Content-Length body), counts it, then drops the connection. */
async function droppingFront(): Promise<{ port: number; creates: string[]; server: tls.Server }> {
  const creates: string[] = []
  const server = tls.createServer({ key, cert }, (socket) => {
    let buf = Buffer.alloc(0)
    socket.on('error', () => {})
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk])
      const end = buf.indexOf('\r\n\r\n')
      if (end < 0) return
      const head = buf.subarray(0, end).toString('latin1')
      const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0)
      if (buf.length < end + 4 + length) return
      creates.push(`${head.split('\r\n')[0]} ${buf.subarray(end + 4, end + 4 + length).toString('utf8')}`)
      socket.destroy()
    })
  })
  const port = await listen(server)
  return { port, creates, server }
}

describe('a create whose whole body went through the tunnel, then the connection dropped', () => {
  for (const via of ['an HTTP proxy (CONNECT)', 'SOCKS5'] as const) {
    it(`through ${via}: sent=true, the outcome unknown, never retryable, exactly one create`, async () => {
      const front = await droppingFront()
      try {
        const route = via === 'SOCKS5' ? manualRoute({ mode: 'manual', type: 'socks5', host: '127.0.0.1', port: socks.port }, null)! : routeFromUrl(proxy.url, 'environment')
        const body = JSON.stringify({ prompt: 'bill me once', padding: 'x'.repeat(64 * 1024) })
        const r = await unverified(() => run(through(route), request(`https://127.0.0.1:${front.port}/v1/videos`, { method: 'POST', body: Buffer.from(body), freshConnection: true })))
        expect(r.sentSeen).toBe(true)
        expect(r.error).toMatchObject({ sent: true })
        expect(r.error!.code.startsWith('proxy_')).toBe(false)
        const api = classifyTransportError(r.error!, { baseUrl: `https://127.0.0.1:${front.port}`, path: '/v1/videos', action: 'create' })
        expect(api.outcomeUnknown).toBe(true)
        expect(front.creates).toHaveLength(1)
        expect(front.creates[0]).toContain('POST /v1/videos HTTP/1.1')
        expect(front.creates[0]).toContain('bill me once')
      } finally {
        await close(front.server)
      }
    })
  }
})

describe('deciding the proxy is bounded', () => {
  const stalled: ProxyDecider = { resolve: () => new Promise(() => {}) }

  it('by the connect timeout: a proxy timeout, not sent', async () => {
    const r = await run(stalled, request('https://api.cometapi.invalid/v1/videos', { method: 'POST', body: Buffer.from('{}'), connectTimeoutMs: 150 }))
    expect(r.error).toMatchObject({ code: 'proxy_timeout', sent: false })
    expect(r.sentSeen).toBe(false)
    const api = classifyTransportError(r.error!, { baseUrl: 'https://api.cometapi.invalid', path: '/v1/videos', action: 'create' })
    expect(api).toMatchObject({ outcomeUnknown: false, retryable: true, code: 'proxy.decideTimeout' })
    expect(api.message).toContain('Finding out which proxy to use for api.cometapi.invalid took too long')
  })

  it('by the abort signal: canceled, not sent', async () => {
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 50)
    const r = await run(stalled, request('https://api.cometapi.invalid/v1/videos', { method: 'POST', body: Buffer.from('{}'), connectTimeoutMs: 10_000, signal: ac.signal }))
    expect(r.error).toMatchObject({ code: 'canceled', sent: false })
  })
})

describe('reused TLS sockets when certificates are not verified (NODE_TLS_REJECT_UNAUTHORIZED=0)', () => {
  it('a request on a kept-alive socket counts as connected (it is not a connect timeout)', async () => {
    const { createServer } = await import('node:https')
    let n = 0
    const target = createServer({ key, cert, keepAlive: true }, (_req, res) => {
      n++
      // The second answer comes after the connect timeout: only a socket seen as connected survives it.
      setTimeout(() => res.end('{"n":' + n + '}'), n === 1 ? 0 : 400)
    })
    const port = await listen(target)
    try {
      await unverified(async () => {
        const first = await run(undefined, request(`https://127.0.0.1:${port}/v1/models`))
        expect(first.status).toBe(200)
        const second = await run(undefined, request(`https://127.0.0.1:${port}/v1/models`, { connectTimeoutMs: 150 }))
        expect(second.error).toBeUndefined()
        expect(second).toMatchObject({ status: 200, sentSeen: true })
      })
    } finally {
      target.closeAllConnections()
      await close(target)
    }
  })
})

describe('evicting an agent', () => {
  it('lets a request in flight finish; the evicted agent is not handed out again', async () => {
    let release: () => void = () => {}
    const held = new Promise<void>((r) => (release = r))
    const target = http.createServer((req, res) => {
      if (req.url === '/slow') void held.then(() => res.end('{"slow":true}'))
      else res.end('{}')
    })
    const port = await listen(target)
    const small = new ProxyAgents(1)
    try {
      const a = manualRoute({ mode: 'manual', type: 'socks5', host: '127.0.0.1', port: socks.port }, null)!
      const b = routeFromUrl(proxy.url, 'environment')
      const first = small.agentFor(a, false)
      const slow = run(through(a), request(`http://127.0.0.1:${port}/slow`, { method: 'POST', body: Buffer.from('{}') }), small)
      await new Promise<void>((r) => {
        const check = (): void => (socks.requests().includes('POST /slow') ? r() : void setTimeout(check, 10))
        check()
      })
      expect(small.agentFor(b, false)).not.toBe(first) // evicts a's agent
      release()
      const done = await slow
      expect(done.error).toBeUndefined()
      expect(done).toMatchObject({ status: 200, text: '{"slow":true}' })
      expect(small.agentFor(a, false)).not.toBe(first)
    } finally {
      small.destroy()
      target.closeAllConnections()
      await close(target)
    }
  })
})

describe('which proxy failures pause new work', () => {
  const ctx = { baseUrl: 'https://api.cometapi.com', path: '/v1/videos', action: 'create' as const }
  const at = (code: TransportError['code'], source: ProxyRoute['source'], sent = false): TransportError =>
    new TransportError('x', code, sent, { proxy: 'proxy.corp:3128', source, target: 'api.cometapi.com', status: code === 'proxy_auth' ? 407 : undefined, detail: 'not a valid address' })

  it('an unusable address and a 407 no setting here answers pause; a manual proxy’s 407 and passing trouble retry', () => {
    expect(classifyTransportError(at('proxy_invalid', 'environment'), ctx)).toMatchObject({ retryable: false, proxyPause: true, code: 'proxy.invalid' })
    expect(classifyTransportError(at('proxy_invalid', 'manual'), ctx)).toMatchObject({ retryable: false, proxyPause: true })
    expect(classifyTransportError(at('proxy_auth', 'environment'), ctx)).toMatchObject({ retryable: false, proxyPause: true, code: 'proxy.authPaused' })
    expect(classifyTransportError(at('proxy_auth', 'system'), ctx)).toMatchObject({ retryable: false, proxyPause: true })
    expect(classifyTransportError(at('proxy_auth', 'manual'), ctx)).toMatchObject({ retryable: true, proxyPause: false, code: 'proxy.auth' })
    expect(classifyTransportError(at('proxy_refused', 'environment'), ctx)).toMatchObject({ retryable: true, proxyPause: false })
  })

  it('a failure that may have been sent is never retryable', () => {
    expect(classifyTransportError(at('proxy_failed', 'manual', true), ctx)).toMatchObject({ retryable: false, outcomeUnknown: true, proxyPause: false })
  })
})
