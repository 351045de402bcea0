// A whole job (catalog, create, polls, download) against the fake CometAPI through a real proxy
// on loopback, counting what it forwarded: the environment's proxy, NO_PROXY, a manual proxy
// over the environment's, the system's (PAC) answer, SOCKS5, and a proxy that is down or asks for
// a password — where the job waits, is never failed, and a create is sent again only when it
// surely never reached CometAPI.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { EngineOptions } from '../../src/core/engine'
import type { ProxyCredentials } from '../../src/core/http/proxy'
import { environmentProxies } from '../../src/core/http/proxyEnv'
import type { ProxySettings } from '../../src/shared/proxy'
import { closedPort, type CountingProxy, type CountingSocks, startGatedRelay, startHttpProxy, startSocks5 } from '../helpers/proxies'
import { createOne, harness, settle, sora, until, type Harness } from './harness'

let h: Harness | undefined
let proxy: CountingProxy
let other: CountingProxy | undefined
let socks: CountingSocks | undefined

const VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy']

/** Engine options whose proxy ports read these environment variables (through proxy-from-env). */
function withEnv(vars: Record<string, string>, extra: Partial<EngineOptions> = {}): Partial<EngineOptions> {
  for (const v of VARS) vi.stubEnv(v, '')
  for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v)
  return { ...extra, proxy: { environment: environmentProxies(process.env), ...extra.proxy } }
}

const manual = (port: number, type: ProxySettings['type'] = 'http'): ProxySettings => ({ mode: 'manual', type, host: '127.0.0.1', port })

/** Paths the fake received, sorted: what a proxy must have carried, one for one. */
function received(): string[] {
  return h!.fake.log.map((e) => `${e.method} ${e.path}`).sort()
}

function carried(p: CountingProxy): string[] {
  return p.forwarded.filter((f) => f.method !== 'CONNECT').map((f) => `${f.method} ${new URL(f.url).pathname}`).sort()
}

beforeEach(async () => {
  proxy = await startHttpProxy()
})
afterEach(async () => {
  vi.unstubAllEnvs()
  await h?.cleanup()
  h = undefined
  await proxy.close()
  await other?.close()
  other = undefined
  await socks?.close()
  socks = undefined
})

describe('a whole job through a proxy', () => {
  it('HTTP_PROXY: the catalog, the create, every poll and the download go through it, and nothing goes around it', async () => {
    h = await harness({}, withEnv({ HTTP_PROXY: proxy.url }))
    h.engine.start()
    const id = await createOne(h.engine, sora('through the proxy'))
    const [job] = await settle(h.engine, [id])
    expect(job.state).toBe('completed')
    const paths = carried(proxy)
    expect(paths.filter((p) => p === 'GET /api/models').length).toBeGreaterThanOrEqual(1)
    expect(paths.filter((p) => p === 'POST /v1/videos')).toHaveLength(1)
    expect(paths.filter((p) => /^GET \/v1\/videos\/[^/]+$/.test(p)).length).toBeGreaterThanOrEqual(1)
    expect(paths.filter((p) => p.startsWith('GET /files/'))).toHaveLength(1)
    // One for one: every request the fake received came through the proxy.
    expect(paths).toEqual(received())
    expect(await h.engine.proxyInUse()).toEqual({ source: 'environment', proxy: `127.0.0.1:${proxy.port}` })
  })

  it('NO_PROXY: the same job never touches the proxy', async () => {
    h = await harness({}, withEnv({ HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' }))
    h.engine.start()
    const [job] = await settle(h.engine, [await createOne(h.engine, sora('around the proxy'))])
    expect(job.state).toBe('completed')
    expect(h.fake.log.some((e) => e.kind === 'file')).toBe(true)
    expect(proxy.forwarded).toEqual([])
    expect(proxy.connections).toBe(0)
    expect(await h.engine.proxyInUse()).toBeNull()
  })

  it('a manual proxy in Settings wins over the environment', async () => {
    other = await startHttpProxy()
    h = await harness({}, withEnv({ HTTP_PROXY: proxy.url, ALL_PROXY: proxy.url }, { settingsOverrides: { proxy: manual(other.port) } }))
    h.engine.start()
    const [job] = await settle(h.engine, [await createOne(h.engine, sora('manual wins'))])
    expect(job.state).toBe('completed')
    expect(proxy.forwarded).toEqual([])
    expect(carried(other)).toEqual(received())
    expect(carried(other).filter((p) => p.startsWith('GET /files/'))).toHaveLength(1)
    expect(await h.engine.proxyInUse()).toEqual({ source: 'manual', proxy: `127.0.0.1:${other.port}` })
  })

  it('the system proxy (a PAC answer from the shell) when the environment names none', async () => {
    const asked: string[] = []
    h = await harness({}, withEnv({}, { proxy: { system: async (url) => (asked.push(url), `QUIC 127.0.0.1:1; PROXY 127.0.0.1:${proxy.port}; DIRECT`) } }))
    h.engine.start()
    const [job] = await settle(h.engine, [await createOne(h.engine, sora('system proxy'))])
    expect(job.state).toBe('completed')
    expect(carried(proxy)).toEqual(received())
    expect(asked.some((u) => u.startsWith(h!.fake.url))).toBe(true)
  })

  it('SOCKS5 (manual): every request is tunnelled through it', async () => {
    socks = await startSocks5()
    h = await harness({}, withEnv({ HTTP_PROXY: proxy.url }, { settingsOverrides: { proxy: manual(socks.port, 'socks5') } }))
    h.engine.start()
    const [job] = await settle(h.engine, [await createOne(h.engine, sora('over socks'))])
    expect(job.state).toBe('completed')
    const tunnelled = socks.requests().map((r) => r.replace(/\?.*$/, '')).sort()
    expect(tunnelled).toEqual(received())
    expect(tunnelled.filter((p) => p === 'POST /v1/videos')).toHaveLength(1)
    expect(tunnelled.some((p) => p.startsWith('GET /files/'))).toBe(true)
    expect(socks.tunnels.every((t) => t.target === new URL(h!.fake.url).host)).toBe(true)
    expect(proxy.forwarded).toEqual([])
  })
})

describe('a proxy that fails', () => {
  it('is down: the create waits (never sent, never failed), the banner names the proxy; once it works the job is made once', async () => {
    h = await harness({}, withEnv({}, { settingsOverrides: { proxy: manual(proxy.port) } }))
    h.engine.start()
    await h.engine.refreshModels()
    const down = await closedPort()
    h.engine.updateSettings({ proxy: manual(down) })
    const id = await createOne(h.engine, sora('proxy down'))
    await until(() => h!.engine.getJob(id)?.noteCode === 'proxy.refused', 15_000)
    const waiting = h.engine.getJob(id)!
    expect(waiting.state).toBe('queued')
    expect(waiting.error).toBeNull()
    expect(waiting.note).toBe(`The proxy 127.0.0.1:${down} refused the connection. Check that it is running and the proxy settings (Settings → Proxy, or HTTPS_PROXY); trying again shortly.`)
    // A few failures in a row and the banner every screen shows says it is the proxy.
    await until(() => h!.engine.status().unreachable !== null, 20_000)
    expect(h.engine.status().unreachable).toMatchObject({ code: 'proxy.refused', params: { proxy: `127.0.0.1:${down}` } })
    expect(h.engine.getJob(id)!.state).toBe('queued')
    expect(h.fake.creates()).toHaveLength(0)
    // The person fixes the proxy setting: the same job goes out, once.
    h.engine.updateSettings({ proxy: manual(proxy.port) })
    const [job] = await settle(h.engine, [id], 30_000)
    expect(job.state).toBe('completed')
    expect(h.fake.createCountsByPrompt().get('proxy down')).toBe(1)
    expect(h.engine.status().unreachable).toBeNull()
  }, 60_000)

  it('answers 407: the create waits with a sentence asking for credentials; with them it goes out once', async () => {
    let stored: ProxyCredentials | null = null
    h = await harness({}, withEnv({}, { settingsOverrides: { proxy: manual(proxy.port) }, proxy: { credentials: { get: async () => stored } } }))
    h.engine.start()
    await h.engine.refreshModels()
    proxy.requireAuth({ username: 'ann', password: 'team secret' })
    const id = await createOne(h.engine, sora('needs a password'))
    await until(() => h!.engine.getJob(id)?.noteCode === 'proxy.auth', 15_000)
    expect(h.engine.getJob(id)).toMatchObject({ state: 'queued', error: null })
    expect(h.engine.getJob(id)!.note).toContain(`The proxy 127.0.0.1:${proxy.port} asks for a user name and password (407)`)
    expect(proxy.refused.some((r) => r.method === 'POST')).toBe(true)
    expect(h.fake.creates()).toHaveLength(0)
    stored = { username: 'ann', password: 'team secret', proxy: { type: 'http', host: '127.0.0.1', port: proxy.port } }
    const [job] = await settle(h.engine, [id], 30_000)
    expect(job.state).toBe('completed')
    expect(h.fake.createCountsByPrompt().get('needs a password')).toBe(1)
    // Nothing the person or a log sees holds the password.
    expect(JSON.stringify([h.logs, h.engine.listJobs(), h.engine.status()])).not.toContain('team secret')
  }, 60_000)

  it('drops a create it had forwarded: the outcome is unknown, so the job waits for the person and is never re-sent by itself', async () => {
    h = await harness({}, withEnv({ HTTP_PROXY: proxy.url }))
    h.engine.start()
    await h.engine.refreshModels()
    // CometAPI makes the task, then the connection breaks; the proxy can only answer 500.
    h.fake.injectOnce({ kind: 'create', fault: 'create-then-reset' })
    const id = await createOne(h.engine, sora('lost behind the proxy'))
    await until(() => h!.engine.getJob(id)?.state === 'needs_decision', 15_000)
    await new Promise((r) => setTimeout(r, 1500))
    expect(h.engine.getJob(id)!.state).toBe('needs_decision')
    expect(h.fake.createCountsByPrompt().get('lost behind the proxy')).toBe(1)
    expect(carried(proxy).filter((p) => p === 'POST /v1/videos')).toHaveLength(1)
  }, 30_000)

  it('a download through a proxy that went down waits and resumes; the video is never made again', async () => {
    // The download goes through a relay that holds it after 256 KiB, so it is caught mid-way for certain.
    const gate = await startGatedRelay(proxy.port, 256 * 1024)
    h = await harness({ videoBytes: { '*': 2 * 1024 * 1024 } }, withEnv({}, { settingsOverrides: { proxy: manual(gate.port) } }))
    h.engine.start()
    const id = await createOne(h.engine, sora('download interrupted'))
    await until(() => (h!.engine.getJob(id)?.downloadedBytes ?? 0) > 0 && gate.held() > 0, 20_000)
    expect(h.engine.getJob(id)!.state).toBe('downloading')
    const down = await closedPort()
    h.engine.updateSettings({ proxy: manual(down) })
    await gate.close() // cuts the download in flight
    await until(() => h!.engine.getJob(id)?.noteCode === 'proxy.refused', 20_000)
    expect(h.engine.getJob(id)!.state).toBe('downloading')
    other = await startHttpProxy()
    h.engine.updateSettings({ proxy: manual(other.port) })
    const [job] = await settle(h.engine, [id], 30_000)
    expect(job.state).toBe('completed')
    expect(h.fake.createCountsByPrompt().get('download interrupted')).toBe(1)
    expect(carried(other).some((p) => p.startsWith('GET /files/'))).toBe(true)
    // The second proxy's download resumed where the first stopped.
    expect(h.fake.log.filter((e) => e.kind === 'file').at(-1)?.range).toMatch(/^bytes=[1-9]\d*-$/)
  }, 60_000)
})
