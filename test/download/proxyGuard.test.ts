// The download address guard through a SOCKS proxy that is given addresses (socks5://: this
// computer resolves the name): the address handed to the proxy is the one the guard judged, so a
// name that answers a public address first and the metadata address next (DNS rebinding) is
// refused and never tunnelled to. And a 407 from the far end of a tunnel is the server's answer.
import http from 'node:http'
import type { AddressInfo, LookupFunction } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DownloadError, downloadFile } from '../../src/core/download/downloader'
import type { ProxyDecider, ProxyRoute } from '../../src/core/http/proxy'
import { manualRoute, routeFromUrl } from '../../src/core/http/proxy'
import { type CountingSocks, startSocks5 } from '../helpers/proxies'

let socks: CountingSocks
let dir: string
beforeAll(async () => {
  socks = await startSocks5()
  dir = mkdtempSync(join(tmpdir(), 'cvs-pguard-'))
})
afterAll(async () => {
  await socks.close()
  rmSync(dir, { recursive: true, force: true })
})

const through = (route: ProxyRoute): ProxyDecider => ({ resolve: async () => route })

async function failure(p: Promise<unknown>): Promise<DownloadError> {
  try {
    await p
  } catch (err) {
    expect(err).toBeInstanceOf(DownloadError)
    return err as DownloadError
  }
  throw new Error('expected the download to fail')
}

describe('the address guard through a SOCKS proxy that takes addresses', () => {
  it('a name that rebinds to 169.254.169.254 after a public answer is refused; nothing is tunnelled', async () => {
    const answers: string[] = []
    const rebinding: LookupFunction = (hostname, options, callback) => {
      const address = answers.length === 0 ? '93.184.216.34' : '169.254.169.254'
      answers.push(address)
      if ((options as { all?: boolean }).all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family: 4 }])
      else (callback as (e: null, a: string, f: number) => void)(null, address, 4)
    }
    const route = routeFromUrl(`socks5://127.0.0.1:${socks.port}`, 'environment')
    expect(route.protocol).toBe('socks5')
    const err = await failure(
      downloadFile({ url: 'http://cdn.rebind.test/video.mp4', partialPath: join(dir, 'a.part'), apiBaseUrl: 'https://api.cometapi.com', connectTimeoutMs: 3000, idleTimeoutMs: 3000, proxy: through(route), lookup: rebinding })
    )
    expect(err.kind).toBe('refused')
    expect(err.message).toContain('169.254.169.254')
    expect(answers.length).toBeGreaterThanOrEqual(2)
    expect(socks.tunnels).toEqual([])
  })
})

describe('a 407 inside a SOCKS tunnel', () => {
  it('is the server’s answer (an HTTP error of the link), not the proxy asking for a password', async () => {
    const target = http.createServer((_req, res) => res.writeHead(407).end('no'))
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r))
    try {
      const port = (target.address() as AddressInfo).port
      const route = manualRoute({ mode: 'manual', type: 'socks5', host: '127.0.0.1', port: socks.port }, null)!
      const err = await failure(
        downloadFile({ url: `http://127.0.0.1:${port}/video.mp4`, partialPath: join(dir, 'b.part'), apiBaseUrl: `http://127.0.0.1:${port}`, connectTimeoutMs: 3000, idleTimeoutMs: 3000, proxy: through(route) })
      )
      expect(err.sentence?.code ?? '').not.toMatch(/^proxy\./)
      expect(err).toMatchObject({ kind: 'http', status: 407 })
      expect(socks.tunnels).toHaveLength(1)
    } finally {
      await new Promise<void>((r) => target.close(() => r()))
    }
  })
})
