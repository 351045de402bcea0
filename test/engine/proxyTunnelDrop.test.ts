// A create through a proxy tunnel to an https CometAPI: CONNECT answered (or SOCKS granted), the
// TLS handshake done, the whole body written, CometAPI made the task, then the connection dropped.
// The create may have been billed: the job waits for the person (needs_decision), exactly one
// create reached CometAPI, and it is never sent again by itself.
import { readFileSync } from 'node:fs'
import net, { type AddressInfo } from 'node:net'
import { join } from 'node:path'
import tls from 'node:tls'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { environmentProxies } from '../../src/core/http/proxyEnv'
import { type CountingProxy, type CountingSocks, startHttpProxy, startSocks5 } from '../helpers/proxies'
import { createOne, harness, sora, until, type Harness } from './harness'

const tlsDir = join(import.meta.dirname, '../fixtures/tls')

let h: Harness | undefined
let proxy: CountingProxy
let socks: CountingSocks
let front: tls.Server | undefined

const VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy']

/** CometAPI over https: a TLS front that passes every connection through to the fake (and drops it when the fake does). */
async function tlsFront(upstream: string): Promise<string> {
  const { hostname, port } = new URL(upstream)
  front = tls.createServer({ key: readFileSync(join(tlsDir, 'localhost-key.pem')), cert: readFileSync(join(tlsDir, 'localhost-cert.pem')) }, (client) => {
    const up = net.connect({ host: hostname, port: Number(port) })
    client.on('error', () => up.destroy())
    up.on('error', () => client.destroy())
    up.on('close', () => client.destroy())
    client.on('close', () => up.destroy())
    client.pipe(up)
    up.pipe(client)
  })
  await new Promise<void>((r) => front!.listen(0, '127.0.0.1', r))
  return `https://127.0.0.1:${(front.address() as AddressInfo).port}`
}

beforeEach(async () => {
  proxy = await startHttpProxy()
  socks = await startSocks5()
  for (const v of VARS) vi.stubEnv(v, '')
  // The front's certificate is the tests' own.
  vi.stubEnv('NODE_TLS_REJECT_UNAUTHORIZED', '0')
})
afterEach(async () => {
  vi.unstubAllEnvs()
  await h?.cleanup()
  h = undefined
  if (front) await new Promise<void>((r) => front!.close(() => r()))
  front = undefined
  await proxy.close()
  await socks.close()
})

describe('a create dropped inside a proxy tunnel after its body went out', () => {
  for (const via of ['an HTTP proxy (CONNECT)', 'SOCKS5'] as const) {
    it(`through ${via}: needs_decision, exactly one create, never re-sent`, async () => {
      h = await harness({}, {})
      await h.engine.close()
      const base = await tlsFront(h.fake.url)
      if (via === 'SOCKS5') {
        h.engine = (await h.restart({ settingsOverrides: { baseUrl: base, proxy: { mode: 'manual', type: 'socks5', host: '127.0.0.1', port: socks.port } } }))
      } else {
        vi.stubEnv('HTTPS_PROXY', proxy.url)
        h.engine = await h.restart({ settingsOverrides: { baseUrl: base }, proxy: { environment: environmentProxies(process.env) } })
      }
      h.engine.start()
      await h.engine.refreshModels()
      h.fake.injectOnce({ kind: 'create', fault: 'create-then-reset' })
      const id = await createOne(h.engine, sora(`dropped in the tunnel via ${via}`))
      await until(() => h!.engine.getJob(id)?.state === 'needs_decision', 15_000)
      await new Promise((r) => setTimeout(r, 1500))
      expect(h.engine.getJob(id)!.state).toBe('needs_decision')
      expect(h.fake.createCountsByPrompt().get(`dropped in the tunnel via ${via}`)).toBe(1)
      // It really went through the tunnel.
      if (via === 'SOCKS5') expect(socks.tunnels.some((t) => t.target === new URL(base).host)).toBe(true)
      else expect(proxy.forwarded.some((f) => f.method === 'CONNECT' && f.url === new URL(base).host)).toBe(true)
    }, 40_000)
  }
})
