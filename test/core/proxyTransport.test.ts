// The API transport through real proxies on loopback: what each forwarded, what "sent" means
// through a proxy, and the sentences a proxy's failure gives (naming it, never its password).
import { readFileSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { classifyTransportError } from '../../src/core/http/apiError'
import type { ProxyDecider, ProxyRoute } from '../../src/core/http/proxy'
import { manualRoute, routeFromUrl } from '../../src/core/http/proxy'
import { ProxyAgents } from '../../src/core/http/proxyAgents'
import { createHttpTransport, TransportError, type TransportRequest } from '../../src/core/http/transport'
import { closedPort, type CountingProxy, type CountingSocks, startHttpProxy, startSocks5 } from '../helpers/proxies'

let target: http.Server
let targetUrl: string
let hits: string[] = []
let proxy: CountingProxy
let socks: CountingSocks
const agents = new ProxyAgents()

beforeAll(async () => {
  target = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`)
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ ok: true, method: req.method, body, viaProxy: req.headers.via ?? null }))
    })
  })
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r))
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`
  proxy = await startHttpProxy()
  socks = await startSocks5()
})
afterAll(async () => {
  agents.destroy()
  await proxy.close()
  await socks.close()
  await new Promise<void>((r) => target.close(() => r()))
})
afterEach(() => {
  hits = []
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

/** Runs one request and returns how it ended plus whether onSend fired. */
async function run(decider: ProxyDecider, req: TransportRequest): Promise<{ status?: number; body?: unknown; error?: TransportError; sentSeen: boolean }> {
  let sentSeen = false
  const transport = createHttpTransport({ proxies: decider, agents })
  try {
    const res = await transport({ ...req, onSend: () => (sentSeen = true) })
    return { status: res.status, body: JSON.parse(res.body.toString('utf8')), sentSeen }
  } catch (err) {
    if (!(err instanceof TransportError)) throw err
    return { error: err, sentSeen }
  }
}

describe('the transport through an HTTP proxy', () => {
  it('forwards a create and a poll (absolute-URI requests) and answers come back', async () => {
    const route = routeFromUrl(proxy.url, 'environment')
    const created = await run(through(route), request(`${targetUrl}/v1/videos`, { method: 'POST', body: Buffer.from('{"prompt":"x"}'), freshConnection: true }))
    expect(created).toMatchObject({ status: 200, sentSeen: true, body: { method: 'POST', body: '{"prompt":"x"}' } })
    expect((created.body as { viaProxy: string | null }).viaProxy).toMatch(/proxy\//)
    const polled = await run(through(route), request(`${targetUrl}/v1/videos/task_1`))
    expect(polled.status).toBe(200)
    expect(proxy.paths()).toEqual(['/v1/videos', '/v1/videos/task_1'])
    expect(hits).toEqual(['POST /v1/videos', 'GET /v1/videos/task_1'])
  })

  it('a proxy that is down: "not sent", naming the proxy, and nothing reached the target', async () => {
    const port = await closedPort()
    const route = manualRoute({ mode: 'manual', type: 'http', host: '127.0.0.1', port }, { username: 'ann', password: 's3cret-pw' })!
    const r = await run(through(route), request(`${targetUrl}/v1/videos`, { method: 'POST', body: Buffer.from('{}'), freshConnection: true }))
    expect(r.error).toMatchObject({ code: 'proxy_refused', sent: false, proxy: { proxy: `127.0.0.1:${port}`, source: 'manual' } })
    expect(r.sentSeen).toBe(false)
    expect(hits).toEqual([])
    const api = classifyTransportError(r.error!, { baseUrl: targetUrl, path: '/v1/videos', action: 'create' })
    expect(api).toMatchObject({ kind: 'network', retryable: true, outcomeUnknown: false, code: 'proxy.refused' })
    expect(api.message).toContain(`The proxy 127.0.0.1:${port} refused the connection`)
    expect(JSON.stringify([api.message, api.params, r.error!.message])).not.toContain('s3cret-pw')
  })

  it('407 from a proxy that forwards http://: "not sent", asks for credentials; with them it forwards', async () => {
    proxy.requireAuth({ username: 'ann', password: 'p@ss:word/1' })
    const bare = routeFromUrl(proxy.url, 'environment')
    const r = await run(through(bare), request(`${targetUrl}/v1/videos`, { method: 'POST', body: Buffer.from('{}'), freshConnection: true }))
    expect(r.error).toMatchObject({ code: 'proxy_auth', sent: false, proxy: { status: 407 } })
    expect(hits).toEqual([])
    expect(proxy.refused).toHaveLength(1)
    const api = classifyTransportError(r.error!, { baseUrl: targetUrl, path: '/v1/videos', action: 'create' })
    // The environment's proxy: no setting here answers its 407, so new work pauses instead of retrying.
    expect(api).toMatchObject({ retryable: false, proxyPause: true, outcomeUnknown: false, code: 'proxy.authPaused' })
    expect(api.message).toBe(
      `The proxy 127.0.0.1:${proxy.port} (environment) asks for a user name and password (407). New work is paused: put them in the proxy address (http://user:password@host:port), or choose the proxy and its password in Settings → Proxy.`
    )
    // Credentials with characters a URL must escape reach the proxy intact.
    const withCreds = manualRoute({ mode: 'manual', type: 'http', host: '127.0.0.1', port: proxy.port }, { username: 'ann', password: 'p@ss:word/1' })!
    const ok = await run(through(withCreds), request(`${targetUrl}/v1/videos`, { method: 'POST', body: Buffer.from('{}'), freshConnection: true }))
    expect(ok.status).toBe(200)
    expect(hits).toEqual(['POST /v1/videos'])
  })

  it('CONNECT for https://: a refused tunnel (407, or the proxy cannot reach the host) is "not sent"', async () => {
    const route = routeFromUrl(proxy.url, 'environment')
    // The proxy cannot resolve this name: it answers the CONNECT with 404, and no byte of ours left.
    const unknown = await run(through(route), request('https://api.cometapi.invalid/v1/videos', { method: 'POST', body: Buffer.from('{}'), freshConnection: true }))
    expect(unknown.error).toMatchObject({ code: 'proxy_target', sent: false, proxy: { target: 'api.cometapi.invalid', status: 404 } })
    expect(unknown.sentSeen).toBe(false)
    expect(proxy.forwarded).toEqual([{ method: 'CONNECT', url: 'api.cometapi.invalid:443' }])
    const api = classifyTransportError(unknown.error!, { baseUrl: 'https://api.cometapi.invalid', path: '/v1/videos', action: 'create' })
    expect(api.message).toBe(`The proxy 127.0.0.1:${proxy.port} could not connect to api.cometapi.invalid (404). Trying again shortly.`)
    expect(api.outcomeUnknown).toBe(false)

    proxy.requireAuth({ username: 'ann', password: 'right' })
    const wrong = manualRoute({ mode: 'manual', type: 'http', host: '127.0.0.1', port: proxy.port }, { username: 'ann', password: 'wrong-pw' })!
    const refused = await run(through(wrong), request('https://api.cometapi.invalid/v1/models'))
    expect(refused.error).toMatchObject({ code: 'proxy_auth', sent: false, proxy: { status: 407 } })
    expect(proxy.refused).toEqual([{ method: 'CONNECT', url: 'api.cometapi.invalid:443' }])
    expect(refused.error!.message).not.toContain('wrong-pw')
  })

  it('https:// through the tunnel: the TLS handshake with the target decides "sent" (a certificate it cannot verify: not sent)', async () => {
    const tlsDir = join(import.meta.dirname, '../fixtures/tls')
    let reached = 0
    const secure = https.createServer({ key: readFileSync(join(tlsDir, 'localhost-key.pem')), cert: readFileSync(join(tlsDir, 'localhost-cert.pem')) }, (_req, res) => {
      reached++
      res.end('{}')
    })
    await new Promise<void>((r) => secure.listen(0, '127.0.0.1', r))
    try {
      const port = (secure.address() as AddressInfo).port
      const route = routeFromUrl(proxy.url, 'environment')
      const r = await run(through(route), request(`https://127.0.0.1:${port}/v1/videos`, { method: 'POST', body: Buffer.from('{}'), freshConnection: true }))
      // The tunnel opened (the proxy reached the target) but this process does not trust the certificate.
      expect(proxy.forwarded).toEqual([{ method: 'CONNECT', url: `127.0.0.1:${port}` }])
      expect(r.error).toMatchObject({ sent: false })
      expect(r.error!.code.startsWith('proxy_')).toBe(false)
      expect(r.sentSeen).toBe(false)
      expect(reached).toBe(0)
    } finally {
      await new Promise<void>((r) => secure.close(() => r()))
    }
  })

  it('a fresh connection for every create; polls one after another all reach the target', async () => {
    const route = routeFromUrl(proxy.url, 'environment')
    const before = proxy.connections
    for (let i = 0; i < 3; i++) expect((await run(through(route), request(`${targetUrl}/v1/videos`, { method: 'POST', body: Buffer.from('{}'), freshConnection: true }))).status).toBe(200)
    expect(proxy.connections - before).toBe(3)
    // Polls one after another: each forwarded with its absolute URL (a reused connection would lose it).
    for (let i = 0; i < 3; i++) expect((await run(through(route), request(`${targetUrl}/v1/videos/t${i}`))).status).toBe(200)
    expect(proxy.paths('/v1/videos/')).toEqual(['/v1/videos/t0', '/v1/videos/t1', '/v1/videos/t2'])
    expect(hits.slice(-3)).toEqual(['GET /v1/videos/t0', 'GET /v1/videos/t1', 'GET /v1/videos/t2'])
  })
})

describe('the transport through SOCKS5', () => {
  it('tunnels requests to the target by name, the proxy resolving it', async () => {
    const route = manualRoute({ mode: 'manual', type: 'socks5', host: '127.0.0.1', port: socks.port }, null)!
    expect(route.protocol).toBe('socks5h')
    const port = new URL(targetUrl).port
    const r = await run(through(route), request(`http://localhost:${port}/v1/videos`, { method: 'POST', body: Buffer.from('{}'), freshConnection: true }))
    expect(r).toMatchObject({ status: 200, sentSeen: true })
    expect(socks.tunnels.map((t) => t.target)).toEqual([`localhost:${port}`])
    expect(socks.requests()).toEqual(['POST /v1/videos'])
  })

  it('wrong credentials and a target the proxy cannot reach are "not sent", naming the proxy', async () => {
    socks.requireAuth({ username: 'bob', password: 'good' })
    const bad = manualRoute({ mode: 'manual', type: 'socks5', host: '127.0.0.1', port: socks.port }, { username: 'bob', password: 'bad-secret' })!
    const denied = await run(through(bad), request(`${targetUrl}/v1/videos`, { method: 'POST', body: Buffer.from('{}'), freshConnection: true }))
    expect(denied.error).toMatchObject({ code: 'proxy_auth', sent: false })
    expect(denied.error!.message).toBe(`The proxy 127.0.0.1:${socks.port} asks for a user name and password`)
    expect(hits).toEqual([])

    const good = manualRoute({ mode: 'manual', type: 'socks5', host: '127.0.0.1', port: socks.port }, { username: 'bob', password: 'good' })!
    const closed = await closedPort()
    const unreachable = await run(through(good), request(`http://127.0.0.1:${closed}/v1/videos`, { method: 'POST', body: Buffer.from('{}'), freshConnection: true }))
    expect(unreachable.error).toMatchObject({ code: 'proxy_target', sent: false })
    expect(unreachable.error!.message).toBe(`The proxy 127.0.0.1:${socks.port} could not connect to 127.0.0.1:${closed}`)

    const down = await closedPort()
    const gone = manualRoute({ mode: 'manual', type: 'socks5', host: '127.0.0.1', port: down }, null)!
    expect((await run(through(gone), request(`${targetUrl}/v1/models`))).error).toMatchObject({ code: 'proxy_refused', sent: false })
  })
})

describe('a proxy address that cannot be used', () => {
  it('fails every request as "not sent" naming the address without its password, instead of going around it', async () => {
    const decider: ProxyDecider = { resolve: async () => routeFromUrl('ftp://ann:hunter22@proxy.corp:21', 'environment') }
    const r = await run(decider, request(`${targetUrl}/v1/models`))
    expect(r.error).toMatchObject({ code: 'proxy_invalid', sent: false })
    const api = classifyTransportError(r.error!, { baseUrl: targetUrl, path: '/v1/models', action: 'catalog' })
    expect(api.code).toBe('proxy.invalid')
    expect(api.message).toContain('ftp://proxy.corp:21')
    expect(api.message).not.toContain('hunter22')
    expect(hits).toEqual([])
  })
})
