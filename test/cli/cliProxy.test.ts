// `comet-video` behind a proxy, as a real child process: HTTPS_PROXY carries the API over CONNECT
// to an HTTPS CometAPI (the fake behind a TLS front whose test certificate the child trusts via
// NODE_EXTRA_CA_CERTS), HTTP_PROXY carries the plain-http result download, NO_PROXY bypasses it,
// and a proxy that is down is named in the message.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import net, { type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import tls from 'node:tls'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Engine } from '../../src/core/engine'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import { closedPort, type CountingProxy, startHttpProxy } from '../helpers/proxies'
import { cliEnv, runCli } from './cliHarness'

const TLS_DIR = join(import.meta.dirname, '../fixtures/tls')

let fake: FakeCometApi
let proxy: CountingProxy
let front: tls.Server
let frontUrl: string
let frontConnections = 0
const homes: string[] = []

beforeAll(async () => {
  fake = await startFakeCometApi({ durations: { '*': 500 } })
  proxy = await startHttpProxy()
  // HTTPS in front of the fake: TLS ends here, the bytes go on to the fake as they are.
  front = tls.createServer({ key: readFileSync(join(TLS_DIR, 'localhost-key.pem')), cert: readFileSync(join(TLS_DIR, 'localhost-cert.pem')) }, (socket) => {
    frontConnections++
    const upstream = net.connect(fake.port, '127.0.0.1')
    socket.pipe(upstream).pipe(socket)
    socket.on('error', () => upstream.destroy())
    upstream.on('error', () => socket.destroy())
    socket.on('close', () => upstream.destroy())
    upstream.on('close', () => socket.destroy())
  })
  await new Promise<void>((r) => front.listen(0, '127.0.0.1', r))
  frontUrl = `https://127.0.0.1:${(front.address() as AddressInfo).port}`
})
afterAll(async () => {
  await fake.close()
  await proxy.close()
  await new Promise<void>((r) => front.close(() => r()))
  for (const h of homes) rmSync(h, { recursive: true, force: true })
})
afterEach(() => {
  proxy.forwarded.length = 0
  fake.clearLog()
})

function newHome(): string {
  const h = mkdtempSync(join(tmpdir(), 'cvs-cli-proxy-'))
  homes.push(h)
  return h
}

describe('comet-video behind a proxy', () => {
  it('HTTPS_PROXY (written without a scheme, as many do): the whole job over CONNECT, the download through HTTP_PROXY', async () => {
    const home = newHome()
    frontConnections = 0
    const env = cliEnv(home, frontUrl, {
      HTTPS_PROXY: `127.0.0.1:${proxy.port}`,
      HTTP_PROXY: proxy.url,
      NODE_EXTRA_CA_CERTS: join(TLS_DIR, 'localhost-cert.pem')
    })
    const r = await runCli(['create', '--model', 'sora-2', '--prompt', 'cli through the proxy', '--seconds', '4', '--size', '1280x720', '--wait', '--json'], env)
    expect(r.stderr).not.toContain('sk-test-good')
    expect(r.code).toBe(0)
    const job = JSON.parse(r.stdout)
    expect(job).toMatchObject({ status: 'completed', error: null })
    expect(existsSync(job.file)).toBe(true)

    const tunnels = proxy.forwarded.filter((f) => f.method === 'CONNECT')
    expect(tunnels.length).toBeGreaterThanOrEqual(1)
    expect(new Set(tunnels.map((t) => t.url))).toEqual(new Set([new URL(frontUrl).host]))
    // Only the proxy reached the HTTPS front: every connection it had was one of the proxy's tunnels.
    expect(frontConnections).toBe(tunnels.length)
    const kinds = new Set(fake.log.filter((e) => e.kind !== 'file').map((e) => e.kind))
    expect(kinds).toEqual(new Set(['catalog', 'create', 'poll']))
    // The result link is plain http on the fake: forwarded by HTTP_PROXY, one for one.
    const files = fake.log.filter((e) => e.kind === 'file')
    expect(files.length).toBeGreaterThanOrEqual(1)
    expect(proxy.paths('/files/')).toHaveLength(files.length)
  }, 60_000)

  it('HTTP_PROXY carries every request to a plain-http API; NO_PROXY sends them around it', async () => {
    const home = newHome()
    const through = await runCli(['models', '--refresh', '--json'], cliEnv(home, fake.url, { HTTP_PROXY: proxy.url }))
    expect(through.code).toBe(0)
    expect(proxy.paths('/api/models')).toHaveLength(1)

    proxy.forwarded.length = 0
    const around = await runCli(['models', '--refresh', '--json'], cliEnv(home, fake.url, { http_proxy: proxy.url, no_proxy: '127.0.0.1' }))
    expect(around.code).toBe(0)
    expect(JSON.parse(around.stdout).models.length).toBeGreaterThan(0)
    expect(proxy.forwarded).toEqual([])
  }, 30_000)

  it('a manual proxy set in the app (the shared settings) wins over HTTP_PROXY', async () => {
    const home = newHome()
    const manual = await startHttpProxy()
    try {
      // The app stores the setting in the data folder the CLI shares.
      const app = new Engine({ dataDir: home, keys: { getKey: async () => null } })
      app.updateSettings({ proxy: { mode: 'manual', type: 'http', host: '127.0.0.1', port: manual.port } })
      await app.close()
      const r = await runCli(['models', '--refresh', '--json'], cliEnv(home, fake.url, { HTTP_PROXY: proxy.url }))
      expect(r.code).toBe(0)
      expect(manual.paths('/api/models')).toHaveLength(1)
      expect(proxy.forwarded).toEqual([])
    } finally {
      await manual.close()
    }
  }, 30_000)

  it('a proxy that is down: the message names it (never a generic network error)', async () => {
    const home = newHome()
    const down = await closedPort()
    const r = await runCli(['models', '--refresh', '--json'], cliEnv(home, fake.url, { HTTP_PROXY: `http://someone:pw-SECRET@127.0.0.1:${down}` }))
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain(`The proxy 127.0.0.1:${down} refused the connection`)
    expect(r.stderr + r.stdout).not.toContain('pw-SECRET')
    expect(fake.log.filter((e) => e.kind === 'catalog')).toHaveLength(0)
  }, 30_000)

  it('an unusable HTTP_PROXY whose password holds / and @: stderr names it without user or password; a create pauses, never sent', async () => {
    const home = newHome()
    const env = cliEnv(home, fake.url, { HTTP_PROXY: 'http://ann:pa/ss@w0rd@proxy.corp:99999' })
    const models = await runCli(['models', '--refresh', '--json'], env)
    expect(models.code).not.toBe(0)
    expect(models.stderr).toContain('http://proxy.corp:99999')
    const created = await runCli(['create', '--model', 'sora-2', '--prompt', 'behind a broken proxy', '--seconds', '4', '--size', '1280x720', '--wait', '--json'], env)
    expect(created.code).not.toBe(0)
    expect(created.stderr).toContain('http://proxy.corp:99999')
    for (const secret of ['pa/ss', 'w0rd', 'ann:']) expect(models.stderr + models.stdout + created.stderr + created.stdout).not.toContain(secret)
    expect(fake.creates()).toHaveLength(0)
  }, 60_000)
})
