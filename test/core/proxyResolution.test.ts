// Which proxy a request goes through: the environment variables (through proxy-from-env), PAC
// answers as Electron's resolveProxy gives them, the order manual > environment > system > direct,
// and the check of a manual proxy the renderer and main share.
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  manualRoute,
  parsePacAnswer,
  ProxyConfigError,
  ProxyResolver,
  routeFromPac,
  routeFromUrl,
  withoutCredentials,
  type ProxyPorts
} from '../../src/core/http/proxy'
import { environmentProxies } from '../../src/core/http/proxyEnv'
import { DEFAULT_PROXY_SETTINGS, normalizeProxySettings, proxyProblems, type ProxySettings } from '../../src/shared/proxy'
import { FakeClock } from '../helpers/fakeClock'

const VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy']

function env(vars: Record<string, string>): (url: string) => string {
  for (const v of VARS) vi.stubEnv(v, '')
  for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v)
  return environmentProxies(process.env)
}

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('the environment (proxy-from-env)', () => {
  it('HTTPS_PROXY for https links, HTTP_PROXY for http links, ALL_PROXY for either', () => {
    let lookup = env({ HTTPS_PROXY: 'http://secure.proxy:3128', HTTP_PROXY: 'http://plain.proxy:8080' })
    expect(lookup('https://api.cometapi.com/v1/videos')).toBe('http://secure.proxy:3128')
    expect(lookup('http://cdn.example.com/a.mp4')).toBe('http://plain.proxy:8080')
    lookup = env({ ALL_PROXY: 'socks5h://127.0.0.1:1080' })
    expect(lookup('https://api.cometapi.com/')).toBe('socks5h://127.0.0.1:1080')
    expect(lookup('http://cdn.example.com/')).toBe('socks5h://127.0.0.1:1080')
    lookup = env({ HTTPS_PROXY: 'http://a:1', ALL_PROXY: 'http://b:2' })
    expect(lookup('https://x.test/')).toBe('http://a:1')
    expect(lookup('http://x.test/')).toBe('http://b:2')
    expect(env({})('https://api.cometapi.com/')).toBe('')
  })

  it('reads lower case before upper case', () => {
    const lookup = env({ https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2', NO_PROXY: '', no_proxy: '' })
    expect(lookup('https://api.cometapi.com/')).toBe('http://lower:1')
    expect(env({ HTTPS_PROXY: 'http://upper:2' })('https://api.cometapi.com/')).toBe('http://upper:2')
  })

  it('NO_PROXY: exact hosts, domain suffixes, *.wildcards, host:port, and * for everything', () => {
    const base = { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1' }
    expect(env({ ...base, NO_PROXY: 'api.cometapi.com' })('https://api.cometapi.com/')).toBe('')
    expect(env({ ...base, NO_PROXY: '.cometapi.com' })('https://api.cometapi.com/')).toBe('')
    expect(env({ ...base, NO_PROXY: '*.cometapi.com' })('https://api.cometapi.com/')).toBe('')
    // A bare domain covers its subdomains, as curl, Go and Python read it (see proxyEnv.test.ts).
    expect(env({ ...base, NO_PROXY: 'cometapi.com' })('https://api.cometapi.com/')).toBe('')
    expect(env({ ...base, NO_PROXY: 'localhost, 127.0.0.1' })('http://127.0.0.1:8080/')).toBe('')
    expect(env({ ...base, NO_PROXY: '127.0.0.1:9999' })('http://127.0.0.1:8080/')).toBe('http://p:1')
    expect(env({ ...base, NO_PROXY: '127.0.0.1:8080' })('http://127.0.0.1:8080/')).toBe('')
    expect(env({ ...base, no_proxy: '*' })('https://anything.test/')).toBe('')
    // Loopback is not bypassed by itself (the tests' fake API goes through the proxy).
    expect(env(base)('http://127.0.0.1:8080/')).toBe('http://p:1')
  })

  it('an address without a scheme is a plain HTTP proxy (as curl reads it), also for https links', () => {
    expect(env({ HTTPS_PROXY: 'proxy.corp:3128' })('https://api.cometapi.com/')).toBe('http://proxy.corp:3128')
    expect(env({ https_proxy: 'proxy.corp:3128' })('https://api.cometapi.com/')).toBe('http://proxy.corp:3128')
    expect(env({ ALL_PROXY: '10.0.0.1:8080' })('https://api.cometapi.com/')).toBe('http://10.0.0.1:8080')
  })

  it('a proxy URL becomes a route that names host:port and keeps the credentials only for the agent', () => {
    expect(routeFromUrl('http://ann:p%40ss@proxy.corp:3128', 'environment')).toEqual({
      source: 'environment',
      protocol: 'http',
      display: 'proxy.corp:3128',
      url: 'http://ann:p%40ss@proxy.corp:3128'
    })
    expect(routeFromUrl('https://proxy.corp', 'environment')).toMatchObject({ protocol: 'https', display: 'proxy.corp:443' })
    expect(routeFromUrl('http://proxy.corp', 'environment')).toMatchObject({ display: 'proxy.corp:80' })
    expect(routeFromUrl('socks://127.0.0.1:1080', 'environment')).toMatchObject({ protocol: 'socks5h', url: 'socks5h://127.0.0.1:1080' })
    expect(routeFromUrl('socks5://[::1]:1080', 'environment')).toMatchObject({ protocol: 'socks5', display: '[::1]:1080' })
    expect(routeFromUrl('socks4a://gw:1081/', 'environment')).toMatchObject({ protocol: 'socks4a', url: 'socks4a://gw:1081' })
  })

  it('an address that cannot be used is an error naming it without its password, never "go direct"', () => {
    for (const bad of ['ftp://ann:hunter2@proxy:21', 'http://ann:hunter2@', 'not a url at all']) {
      let err: unknown
      try {
        routeFromUrl(bad, 'environment')
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(ProxyConfigError)
      expect((err as Error).message).not.toContain('hunter2')
    }
    expect(withoutCredentials('http://ann:hunter2@proxy:3128 and socks5://u:p@h:1')).toBe('http://proxy:3128 and socks5://h:1')
  })
})

describe('PAC answers (Electron session.resolveProxy)', () => {
  it('parses every documented entry', () => {
    expect(parsePacAnswer('DIRECT')).toEqual([{ kind: 'direct' }])
    expect(parsePacAnswer('PROXY proxy.corp:3128')).toEqual([{ kind: 'proxy', protocol: 'http', host: 'proxy.corp', port: 3128 }])
    expect(parsePacAnswer('HTTP proxy.corp:8080')).toEqual([{ kind: 'proxy', protocol: 'http', host: 'proxy.corp', port: 8080 }])
    expect(parsePacAnswer('HTTPS secure.corp:8443')).toEqual([{ kind: 'proxy', protocol: 'https', host: 'secure.corp', port: 8443 }])
    expect(parsePacAnswer('SOCKS gw:1080')).toEqual([{ kind: 'proxy', protocol: 'socks4', host: 'gw', port: 1080 }])
    expect(parsePacAnswer('SOCKS4 gw:1081')).toEqual([{ kind: 'proxy', protocol: 'socks4', host: 'gw', port: 1081 }])
    expect(parsePacAnswer('SOCKS5 gw:1082')).toEqual([{ kind: 'proxy', protocol: 'socks5h', host: 'gw', port: 1082 }])
    expect(parsePacAnswer('QUIC q.corp:443')).toEqual([{ kind: 'unsupported', type: 'QUIC' }])
  })

  it('lists with fallbacks, default ports, IPv6, any case and spacing', () => {
    expect(parsePacAnswer(' proxy a.corp:1;  socks5 [::1]:1080 ;DIRECT; ')).toEqual([
      { kind: 'proxy', protocol: 'http', host: 'a.corp', port: 1 },
      { kind: 'proxy', protocol: 'socks5h', host: '::1', port: 1080 },
      { kind: 'direct' }
    ])
    expect(parsePacAnswer('PROXY p.corp; HTTPS s.corp; SOCKS5 g')).toEqual([
      { kind: 'proxy', protocol: 'http', host: 'p.corp', port: 80 },
      { kind: 'proxy', protocol: 'https', host: 's.corp', port: 443 },
      { kind: 'proxy', protocol: 'socks5h', host: 'g', port: 1080 }
    ])
    expect(parsePacAnswer('PROXY')).toEqual([{ kind: 'unsupported', type: 'PROXY' }])
    expect(parsePacAnswer('PROXY p:99999')).toEqual([{ kind: 'unsupported', type: 'PROXY' }])
    expect(parsePacAnswer('')).toEqual([])
  })

  it('uses the first entry it can; DIRECT, nothing usable or nothing at all go direct', () => {
    expect(routeFromPac('QUIC q:443; PROXY p.corp:3128; DIRECT')).toEqual({ source: 'system', protocol: 'http', display: 'p.corp:3128', url: 'http://p.corp:3128' })
    expect(routeFromPac('DIRECT; PROXY p.corp:3128')).toBeNull()
    expect(routeFromPac('QUIC q:443')).toBeNull()
    expect(routeFromPac('')).toBeNull()
    expect(routeFromPac('SOCKS5 [fd00::1]:1080')).toMatchObject({ display: '[fd00::1]:1080', url: 'socks5h://[fd00::1]:1080' })
  })
})

describe('the order: manual > environment > system > direct', () => {
  const manual: ProxySettings = { mode: 'manual', type: 'http', host: 'manual.corp', port: 8888 }

  function resolver(setting: ProxySettings, ports: ProxyPorts, clock = new FakeClock()): ProxyResolver {
    return new ProxyResolver({ settings: () => setting, clock, ...ports })
  }

  it('manual wins over the environment and the system', async () => {
    const system = vi.fn(async () => 'PROXY sys.corp:80')
    const r = resolver(manual, { environment: () => 'http://env.corp:3128', system })
    expect(await r.resolve('https://api.cometapi.com/v1/videos')).toMatchObject({ source: 'manual', display: 'manual.corp:8888', url: 'http://manual.corp:8888' })
    expect(system).not.toHaveBeenCalled()
  })

  it('the environment wins over the system; the system over direct', async () => {
    const system = vi.fn(async () => 'PROXY sys.corp:80')
    expect(await resolver(DEFAULT_PROXY_SETTINGS, { environment: () => 'http://env.corp:3128', system }).resolve('https://x.test/')).toMatchObject({ source: 'environment', display: 'env.corp:3128' })
    expect(system).not.toHaveBeenCalled()
    expect(await resolver(DEFAULT_PROXY_SETTINGS, { environment: () => '', system }).resolve('https://x.test/')).toMatchObject({ source: 'system', display: 'sys.corp:80' })
    expect(await resolver(DEFAULT_PROXY_SETTINGS, { environment: () => '' }).resolve('https://x.test/')).toBeNull()
  })

  it('"none" goes direct whatever the environment and the system say', async () => {
    const r = resolver({ ...manual, mode: 'none' }, { environment: () => 'http://env.corp:3128', system: async () => 'PROXY sys.corp:80' })
    expect(await r.resolve('https://x.test/')).toBeNull()
  })

  it('the manual proxy carries the stored credentials, escaped, and SOCKS5 lets the proxy resolve names', async () => {
    const credentials = { get: async () => ({ username: 'ann@corp', password: 'p:ss/w@rd', proxy: { type: manual.type, host: manual.host, port: manual.port! } }) }
    const route = await resolver(manual, { credentials }).resolve('https://x.test/')
    expect(route).toMatchObject({ display: 'manual.corp:8888', url: 'http://ann%40corp:p%3Ass%2Fw%40rd@manual.corp:8888' })
    expect(new URL(route!.url).password).toBe('p%3Ass%2Fw%40rd')
    expect(await resolver({ ...manual, type: 'socks5' }, {}).resolve('https://x.test/')).toMatchObject({ protocol: 'socks5h', url: 'socks5h://manual.corp:8888' })
    expect(await resolver({ ...manual, type: 'https', host: '[2001:db8::1]' }, {}).resolve('https://x.test/')).toMatchObject({ display: '[2001:db8::1]:8888' })
  })

  it('credentials that cannot be read (a locked keychain): the proxy without them, and one warning', async () => {
    const lines: string[] = []
    const r = new ProxyResolver({
      settings: () => manual,
      clock: new FakeClock(),
      logger: { log: (l, m) => void (l === 'warn' && lines.push(m)) },
      credentials: { get: async () => Promise.reject(new Error('keychain is locked')) }
    })
    expect(await r.resolve('https://x.test/')).toMatchObject({ url: 'http://manual.corp:8888' })
    await r.resolve('https://x.test/')
    expect(lines).toEqual(['proxy: the stored proxy credentials could not be read (keychain is locked)'])
  })

  it('an incomplete manual proxy fails (it never silently goes direct)', async () => {
    await expect(resolver({ ...manual, port: null }, {}).resolve('https://x.test/')).rejects.toBeInstanceOf(ProxyConfigError)
  })

  it('says once which way requests to a host go (the CLI shows it with --verbose)', async () => {
    const lines: string[] = []
    const r = new ProxyResolver({ settings: () => manual, clock: new FakeClock(), logger: { log: (l, m) => void lines.push(`${l} ${m}`) } })
    await r.resolve('https://api.cometapi.com/v1/videos')
    await r.resolve('https://api.cometapi.com/v1/videos/1')
    expect(lines).toEqual(['info proxy: requests to api.cometapi.com go through the proxy manual.corp:8888 (manual)'])
  })

  it('asks the system once per origin for a while, and goes direct (with a warning) when it cannot', async () => {
    const clock = new FakeClock()
    const system = vi.fn(async (url: string) => (url.startsWith('https://a.test') ? 'PROXY a-proxy:1' : 'DIRECT'))
    const r = resolver(DEFAULT_PROXY_SETTINGS, { system }, clock)
    expect(await r.resolve('https://a.test/one')).toMatchObject({ display: 'a-proxy:1' })
    expect(await r.resolve('https://a.test/two')).toMatchObject({ display: 'a-proxy:1' })
    expect(await r.resolve('https://b.test/')).toBeNull()
    expect(system).toHaveBeenCalledTimes(2)
    await clock.advance(31_000)
    await r.resolve('https://a.test/three')
    expect(system).toHaveBeenCalledTimes(3)

    const lines: string[] = []
    const failing = new ProxyResolver({ settings: () => DEFAULT_PROXY_SETTINGS, clock, logger: { log: (l, m) => void (l === 'warn' && lines.push(m)) }, system: async () => Promise.reject(new Error('no session')) })
    expect(await failing.resolve('https://a.test/')).toBeNull()
    expect(lines[0]).toContain('the system proxy could not be asked (no session)')
  })

  it('settings read back from disk in any shape become a valid setting', () => {
    expect(normalizeProxySettings(undefined)).toEqual(DEFAULT_PROXY_SETTINGS)
    expect(normalizeProxySettings({ mode: 'bogus', type: 'ftp', host: 42, port: 70000 })).toEqual(DEFAULT_PROXY_SETTINGS)
    expect(normalizeProxySettings({ mode: 'manual', type: 'socks5', host: ' gw.corp ', port: 1080 })).toEqual({ mode: 'manual', type: 'socks5', host: 'gw.corp', port: 1080 })
    expect(manualRoute({ mode: 'manual', type: 'http', host: 'http://x', port: 80 }, null)).toBeNull()
  })
})

describe('checking a manual proxy (the renderer and main alike)', () => {
  const m = (host: string, port: number | null): Pick<ProxySettings, 'mode' | 'host' | 'port'> => ({ mode: 'manual', host, port })

  it('wants a host name or IP literal and a port from 1 to 65535', () => {
    expect(proxyProblems(m('proxy.corp', 3128))).toEqual([])
    expect(proxyProblems(m('10.0.0.1', 8080))).toEqual([])
    expect(proxyProblems(m('[::1]', 1080))).toEqual([])
    expect(proxyProblems(m('fe80::1', 1080))).toEqual([])
    expect(proxyProblems(m('', 3128))).toEqual([{ field: 'host', code: 'proxy.hostMissing' }])
    for (const bad of ['http://proxy.corp', 'proxy.corp/path', 'user@proxy.corp', 'proxy corp', 'proxy.corp:3128', 'cafe:3128', '-bad.corp']) {
      expect(proxyProblems(m(bad, 3128))).toEqual([{ field: 'host', code: 'proxy.hostInvalid' }])
    }
    for (const port of [null, 0, 65536, 80.5]) expect(proxyProblems(m('proxy.corp', port))).toEqual([{ field: 'port', code: 'proxy.portInvalid' }])
    // Other modes need no manual proxy.
    expect(proxyProblems({ mode: 'auto', host: '', port: null })).toEqual([])
  })

  it('checks the credentials about to be stored', () => {
    expect(proxyProblems(m('p', 1), { username: 'ann', password: 'x' })).toEqual([])
    expect(proxyProblems(m('p', 1), { username: '', password: '' })).toEqual([])
    expect(proxyProblems(m('p', 1), { username: '', password: 'x' })).toEqual([{ field: 'username', code: 'proxy.passwordWithoutUser' }])
    expect(proxyProblems(m('p', 1), { username: 'a:b', password: 'x' })).toEqual([{ field: 'username', code: 'proxy.credentialsInvalid' }])
    expect(proxyProblems(m('p', 1), { username: 'ann', password: 'x\ny' })).toEqual([{ field: 'password', code: 'proxy.credentialsInvalid' }])
  })
})
