// A result URL comes from the provider's poll answer, so whoever controls that answer chooses where
// the app connects. Downloads reach only http(s), follow at most 5 redirects, never a link-local or
// cloud-metadata address, and a private or loopback one only when the API itself lives on one —
// judged by the address a name resolves to when the connection is made, on every hop.
import type { LookupAddress } from 'node:dns'
import { mkdtempSync, rmSync } from 'node:fs'
import net, { type LookupFunction } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { addressClass } from '../../src/core/download/addressPolicy'
import { DownloadError, downloadFile, type DownloadRequest } from '../../src/core/download/downloader'
import { RangeServer, fakeMp4 } from './rangeServer'

const SIZE = 64 * 1024
let server: RangeServer
let base: string
let port: number
let dir: string

beforeAll(async () => {
  server = new RangeServer(fakeMp4(SIZE))
  base = await server.start()
  port = Number(new URL(base).port)
})
afterAll(async () => {
  await server.stop()
})
beforeEach(() => {
  server.fault = 'none'
  server.requests = []
  dir = mkdtempSync(join(tmpdir(), 'cvs-dl-addr-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

/** A resolver for made-up names; answers in turn when a name has several lists (a rebinding name). */
function resolver(names: Record<string, string[] | string[][]>, asked: string[] = []): LookupFunction {
  const turns = new Map<string, number>()
  return (hostname, options, callback) => {
    asked.push(hostname)
    const entry = names[hostname]
    if (!entry) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 0)
    const turn = turns.get(hostname) ?? 0
    turns.set(hostname, turn + 1)
    const list = (Array.isArray(entry[0]) ? (entry as string[][])[Math.min(turn, entry.length - 1)] : (entry as string[])).map(
      (address): LookupAddress => ({ address, family: net.isIP(address) })
    )
    if (options.all) callback(null, list)
    else callback(null, list[0].address, list[0].family)
  }
}

function req(extra: Partial<DownloadRequest> = {}): DownloadRequest {
  return { url: `${base}/video.mp4`, partialPath: join(dir, '.partial', 'job.part'), apiBaseUrl: base, connectTimeoutMs: 3000, idleTimeoutMs: 3000, ...extra }
}

async function refusal(p: Promise<unknown>): Promise<DownloadError> {
  const err = await p.then(() => null, (e: unknown) => e)
  expect(err, 'expected the download to be refused').toBeInstanceOf(DownloadError)
  expect(err).toMatchObject({ kind: 'refused', retryable: false })
  return err as DownloadError
}

describe('which addresses a download may reach', () => {
  it('classifies addresses, including IPv4 inside IPv6', () => {
    const cases: Record<string, string> = {
      '93.184.216.34': 'public', '2606:4700::1111': 'public', '8.8.8.8': 'public', '64:ff9b::5db8:d822': 'public',
      '127.0.0.1': 'local', '127.255.0.9': 'local', '::1': 'local', '10.1.2.3': 'local', '172.16.0.1': 'local', '172.31.255.255': 'local',
      '192.168.1.1': 'local', 'fc00::1': 'local', 'fd12:3456::1': 'local', '0.0.0.0': 'local', '::': 'local', '::ffff:127.0.0.1': 'local',
      '::ffff:10.0.0.1': 'local', '64:ff9b::a00:1': 'local', '100.64.0.1': 'local',
      '169.254.169.254': 'forbidden', '169.254.0.1': 'forbidden', 'fe80::1': 'forbidden', 'febf::1': 'forbidden', '::ffff:169.254.169.254': 'forbidden',
      '::ffff:a9fe:a9fe': 'forbidden', '64:ff9b::a9fe:a9fe': 'forbidden', '::a9fe:a9fe': 'forbidden', '2002:a9fe:a9fe::1': 'forbidden',
      '100.100.100.200': 'forbidden', 'fd00:ec2::254': 'forbidden', '224.0.0.1': 'forbidden', '255.255.255.255': 'forbidden', 'ff02::1': 'forbidden',
      '172.32.0.1': 'public', '172.15.255.255': 'public', '11.0.0.1': 'public', '192.169.0.1': 'public', 'fec0::1': 'local'
    }
    const got = Object.fromEntries(Object.keys(cases).map((ip) => [ip, addressClass(ip)]))
    expect(got).toEqual(cases)
  })

  it('downloads only https: and http: links', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.com/video.mp4', 'data:video/mp4;base64,AAAAGGZ0eXA=', 'javascript:alert(1)', 'gopher://example.com/', 'ws://example.com/v.mp4']) {
      const e = await refusal(downloadFile(req({ url })))
      expect(e.message).toMatch(/only https: and http:/)
    }
    // A redirect to one is refused the same way.
    server.fault = 'cross-redirect'
    for (const to of ['file:///etc/passwd', 'ftp://example.com/x.mp4', 'data:text/plain,hi']) {
      server.redirectTo = to
      const e = await refusal(downloadFile(req()))
      expect(e.message).toMatch(/only https: and http:/)
    }
  })

  it('follows 5 redirects and refuses the 6th', async () => {
    server.fault = 'chain'
    server.chainHops = 5
    expect((await downloadFile(req())).bytes).toBe(SIZE)
    expect(server.requests.map((r) => r.url)).toEqual(['/video.mp4', '/hop1', '/hop2', '/hop3', '/hop4', '/hop5'])
    server.requests = []
    server.chainHops = 6
    const e = await refusal(downloadFile(req()))
    expect(e.message).toMatch(/more than 5 times/)
    expect(server.requests.map((r) => r.url)).toEqual(['/video.mp4', '/hop1', '/hop2', '/hop3', '/hop4', '/hop5'])
  })

  it('never reaches a link-local or cloud-metadata address, whichever way it is written, even when the API is on this computer', async () => {
    const asked: string[] = []
    const lookup = resolver({}, asked)
    const targets = [
      'http://169.254.169.254/latest/meta-data/', 'http://169.254.169.254./', 'http://0xa9fea9fe/', 'http://2852039166/', 'http://0251.0376.0251.0376/',
      'http://[::ffff:169.254.169.254]/', 'http://[::ffff:a9fe:a9fe]/', 'http://[64:ff9b::a9fe:a9fe]/', 'http://[fe80::1]/', 'http://[febf::a9fe:a9fe]/',
      'http://100.100.100.200/latest/meta-data/', 'http://[fd00:ec2::254]/latest/meta-data/', 'http://metadata.google.internal/computeMetadata/v1/',
      'http://METADATA.Google.Internal./', 'http://metadata/', 'http://metadata./computeMetadata/v1/', 'https://169.254.169.254/'
    ]
    for (const url of targets) {
      const direct = await refusal(downloadFile(req({ url, lookup })))
      expect(direct.message, url).toMatch(/link-local, cloud-metadata or reserved/)
      server.fault = 'cross-redirect'
      server.redirectTo = url
      const redirected = await refusal(downloadFile(req({ lookup })))
      expect(redirected.message, url).toMatch(/link-local, cloud-metadata or reserved/)
      server.fault = 'none'
    }
    // Refused from the name or the address alone: no DNS question was even asked.
    expect(asked).toEqual([])
  })

  it('a name that resolves to 127.0.0.1 is allowed when the API base is loopback or private, refused when it is public', async () => {
    const names = { 'cdn.test': ['127.0.0.1'], 'api.cometapi.com': ['104.18.10.20'], 'gateway.lan': ['10.0.0.5'], 'both.test': ['104.18.10.20', '10.0.0.5'] }
    const url = `http://cdn.test:${port}/video.mp4`
    expect((await downloadFile(req({ url, lookup: resolver(names), apiBaseUrl: base }))).bytes).toBe(SIZE)
    expect((await downloadFile(req({ url, lookup: resolver(names), apiBaseUrl: 'https://gateway.lan' }))).bytes).toBe(SIZE)
    expect(server.requests).toHaveLength(2)
    server.requests = []
    for (const apiBaseUrl of ['https://api.cometapi.com', 'https://93.184.216.34', 'https://both.test', 'not a url', undefined]) {
      const e = await refusal(downloadFile(req({ url, lookup: resolver(names), apiBaseUrl })))
      expect(e.message, String(apiBaseUrl)).toMatch(/private or loopback address \(127\.0\.0\.1\)/)
    }
    // The API's own name not resolving right now is a passing network problem: tried again, not refused for good.
    const dnsDown = await downloadFile(req({ url, lookup: resolver(names), apiBaseUrl: 'https://unknown.test' })).then(() => null, (e: unknown) => e)
    expect(dnsDown).toMatchObject({ kind: 'network', retryable: true })
    // The literal address, the same.
    const e = await refusal(downloadFile(req({ apiBaseUrl: 'https://api.cometapi.com', lookup: resolver(names) })))
    expect(e.message).toMatch(/private or loopback/)
    expect(server.requests).toEqual([])
  })

  it('checks the address a name resolves to when connecting, on every hop', async () => {
    const names = {
      'evil.test': ['169.254.169.254'],
      'mixed.test': ['127.0.0.1', '169.254.169.254'],
      'v6meta.test': ['::ffff:169.254.169.254'],
      'rebind.test': [['127.0.0.1'], ['169.254.169.254']]
    }
    for (const host of ['evil.test', 'mixed.test', 'v6meta.test']) {
      const e = await refusal(downloadFile(req({ url: `http://${host}:${port}/video.mp4`, lookup: resolver(names) })))
      expect(e.message).toMatch(new RegExp(`${host.replace('.', '\\.')} resolves to a link-local, cloud-metadata or reserved address`))
      server.fault = 'cross-redirect'
      server.redirectTo = `http://${host}:${port}/video.mp4`
      await refusal(downloadFile(req({ lookup: resolver(names) })))
      server.fault = 'none'
    }
    expect(server.requests.map((r) => r.url)).toEqual(['/video.mp4', '/video.mp4', '/video.mp4'])
    server.requests = []
    // The first hop's answer was fine; the same name answers otherwise on the redirect (DNS rebinding).
    server.fault = 'redirect'
    const asked: string[] = []
    await refusal(downloadFile(req({ url: `http://rebind.test:${port}/video.mp4`, lookup: resolver(names, asked) })))
    expect(asked).toEqual(['rebind.test', 'rebind.test'])
    expect(server.requests.map((r) => r.url)).toEqual(['/video.mp4'])
  })

  it('uses the system resolver when none is given', async () => {
    const url = `http://localhost:${port}/video.mp4`
    expect((await downloadFile(req({ url }))).bytes).toBe(SIZE)
    const e = await refusal(downloadFile(req({ url, apiBaseUrl: 'https://93.184.216.34' })))
    expect(e.message).toMatch(/localhost resolves to a private or loopback address/)
    await refusal(downloadFile(req({ url: `http://[::1]:${port}/video.mp4`, apiBaseUrl: 'https://93.184.216.34' })))
  })
})
