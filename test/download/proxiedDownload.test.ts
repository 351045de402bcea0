// Downloads through real proxies on loopback (the `proxy` package, and the test SOCKS5 server):
// the whole file, a resume, a redirect, the address guard still judging the link, and what a
// proxy that is down or asks for a password says.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DownloadError, downloadFile, type DownloadRequest } from '../../src/core/download/downloader'
import type { ProxyDecider, ProxyRoute } from '../../src/core/http/proxy'
import { manualRoute, routeFromUrl } from '../../src/core/http/proxy'
import { closedPort, type CountingProxy, type CountingSocks, startHttpProxy, startSocks5 } from '../helpers/proxies'
import { fakeMp4, RangeServer } from './rangeServer'

const SIZE = 3 * 1024 * 1024 + 77
let server: RangeServer
let base: string
let proxy: CountingProxy
let socks: CountingSocks
let dir: string
let partial: string

beforeAll(async () => {
  server = new RangeServer(fakeMp4(SIZE))
  base = await server.start()
  proxy = await startHttpProxy()
  socks = await startSocks5()
})
afterAll(async () => {
  await server.stop()
  await proxy.close()
  await socks.close()
})
beforeEach(() => {
  server.setBody(fakeMp4(SIZE), '"v1"')
  server.fault = 'none'
  server.requests = []
  proxy.forwarded.length = 0
  proxy.refused.length = 0
  proxy.requireAuth(null)
  socks.tunnels.length = 0
  dir = mkdtempSync(join(tmpdir(), 'cvs-pdl-'))
  partial = join(dir, '.partial', 'job-1.part')
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const through = (route: ProxyRoute | null): ProxyDecider => ({ resolve: async () => route })

function req(proxyDecider: ProxyDecider, extra: Partial<DownloadRequest> = {}): DownloadRequest {
  return { url: `${base}/video.mp4?sig=SECRETSIG`, partialPath: partial, apiBaseUrl: base, connectTimeoutMs: 5000, idleTimeoutMs: 5000, proxy: proxyDecider, ...extra }
}

async function failure(p: Promise<unknown>): Promise<DownloadError> {
  try {
    await p
  } catch (err) {
    expect(err).toBeInstanceOf(DownloadError)
    return err as DownloadError
  }
  throw new Error('expected the download to fail')
}

describe('downloads through an HTTP proxy', () => {
  it('fetches the whole video through the proxy, and resumes through it', async () => {
    const route = routeFromUrl(proxy.url, 'environment')
    const r = await downloadFile(req(through(route)))
    expect(r).toMatchObject({ bytes: SIZE, resumedFrom: 0, container: 'mp4' })
    expect(readFileSync(partial).equals(server.body)).toBe(true)
    expect(proxy.paths()).toEqual(['/video.mp4'])

    // Cut in the middle, then resumed with a Range request, both through the proxy.
    rmSync(partial)
    server.fault = 'cut-half'
    // This proxy keeps its side open when the server drops the connection: the download notices the silence.
    const cut = await failure(downloadFile(req(through(route), { idleTimeoutMs: 800 })))
    expect(cut).toMatchObject({ retryable: true })
    expect(['network', 'timeout']).toContain(cut.kind)
    server.fault = 'none'
    const resumed = await downloadFile(req(through(route)))
    expect(resumed.resumedFrom).toBeGreaterThan(0)
    expect(resumed.bytes).toBe(SIZE)
    expect(readFileSync(partial).equals(server.body)).toBe(true)
    expect(server.requests.at(-1)?.range).toMatch(/^bytes=\d+-$/)
    expect(proxy.paths()).toHaveLength(3)
  })

  it('follows a redirect through the proxy and judges every hop with the address guard', async () => {
    server.fault = 'redirect'
    const route = routeFromUrl(proxy.url, 'environment')
    await downloadFile(req(through(route)))
    expect(proxy.paths()).toEqual(['/video.mp4', '/final'])

    // A link (or a redirect) to the cloud-metadata address is refused before anything is sent to the proxy.
    proxy.forwarded.length = 0
    const meta = await failure(downloadFile(req(through(route), { url: 'http://169.254.169.254/latest/meta-data/' })))
    expect(meta.kind).toBe('refused')
    server.fault = 'cross-redirect'
    server.redirectTo = 'http://169.254.169.254/latest/meta-data/'
    const hop = await failure(downloadFile(req(through(route))))
    expect(hop.kind).toBe('refused')
    expect(proxy.paths()).toEqual(['/video.mp4'])

    // A name that resolves here to the metadata address is refused too; the proxy never hears of it.
    const lookup = ((host: string, _o: unknown, cb: (e: Error | null, a: { address: string; family: number }[]) => void) =>
      host === 'metadata.evil.test' ? cb(null, [{ address: '169.254.169.254', family: 4 }]) : cb(Object.assign(new Error('nope'), { code: 'ENOTFOUND' }), [])) as never
    const byName = await failure(downloadFile(req(through(route), { url: 'http://metadata.evil.test/latest/', lookup })))
    expect(byName.kind).toBe('refused')
    expect(byName.message).toContain('169.254.169.254')
    expect(proxy.paths()).toEqual(['/video.mp4'])

    // Loopback links are allowed only when the API is on loopback too, proxy or not.
    proxy.forwarded.length = 0
    server.fault = 'none'
    // (The API named by a public address literal: nothing to resolve on a machine without DNS.)
    const local = await failure(downloadFile(req(through(route), { apiBaseUrl: 'https://93.184.215.14' })))
    expect(local.kind).toBe('refused')
    expect(proxy.forwarded).toEqual([])
  })

  it('keeps the API key off a link on another origin, through the proxy as directly', async () => {
    server.fault = 'cross-redirect'
    const other = new RangeServer(fakeMp4(1024 * 64))
    const otherBase = await other.start()
    try {
      server.redirectTo = `${otherBase.replace('127.0.0.1', 'localhost')}/cdn.mp4`
      await downloadFile(req(through(routeFromUrl(proxy.url, 'environment')), { headers: { Authorization: 'Bearer sk-SECRETKEY' } }))
      expect(server.requests[0].authorization).toBe('Bearer sk-SECRETKEY')
      expect(other.requests).toHaveLength(1)
      expect(other.requests[0].authorization).toBeUndefined()
    } finally {
      await other.stop()
    }
  })

  it('a proxy that is down: a network problem naming the proxy, tried again later; nothing reached the server', async () => {
    const port = await closedPort()
    const route = manualRoute({ mode: 'manual', type: 'http', host: '127.0.0.1', port }, { username: 'ann', password: 'pw-SECRET' })!
    const e = await failure(downloadFile(req(through(route))))
    expect(e).toMatchObject({ kind: 'network', retryable: true, sentence: { code: 'proxy.refused', params: { proxy: `127.0.0.1:${port}` } } })
    expect(e.message).toContain(`The proxy 127.0.0.1:${port} refused the connection`)
    expect(`${e.message} ${JSON.stringify(e)}`).not.toMatch(/SECRET/)
    expect(server.requests).toEqual([])
  })

  it('407: says the proxy wants credentials; with them the video comes', async () => {
    proxy.requireAuth({ username: 'ann', password: 'right one' })
    const e = await failure(downloadFile(req(through(routeFromUrl(proxy.url, 'environment')))))
    expect(e).toMatchObject({ kind: 'network', retryable: true, sentence: { code: 'proxy.auth', params: { status: 407 } } })
    expect(server.requests).toEqual([])
    const ok = manualRoute({ mode: 'manual', type: 'http', host: '127.0.0.1', port: proxy.port }, { username: 'ann', password: 'right one' })!
    expect((await downloadFile(req(through(ok)))).bytes).toBe(SIZE)
  })
})

describe('downloads through SOCKS5', () => {
  it('tunnels the download (and its redirect) to the server', async () => {
    server.fault = 'redirect'
    const route = manualRoute({ mode: 'manual', type: 'socks5', host: '127.0.0.1', port: socks.port }, null)!
    const r = await downloadFile(req(through(route)))
    expect(r.bytes).toBe(SIZE)
    expect(readFileSync(partial).equals(server.body)).toBe(true)
    expect(socks.requests()).toEqual(['GET /video.mp4?sig=SECRETSIG', 'GET /final?sig=abc'])
    expect(socks.tunnels.every((t) => t.target === new URL(base).host)).toBe(true)
  })
})

describe('a decider that goes direct', () => {
  it('uses the direct client (nothing reaches the proxy)', async () => {
    const r = await downloadFile(req(through(null)))
    expect(r.bytes).toBe(SIZE)
    expect(proxy.forwarded).toEqual([])
    expect(server.requests).toHaveLength(1)
  })
})
