// NO_PROXY as curl, Go and Python read it (not proxy-from-env 2.x, which matches a bare domain
// exactly and knows no CIDR): a bare domain covers its subdomains, a leading dot or `*.` the same,
// `*` everything, `host:port` only that port, IPv4/IPv6 literals and CIDR ranges for IP hosts.
import { describe, expect, it } from 'vitest'
import { environmentProxies } from '../../src/core/http/proxyEnv'

const P = 'http://p:1'
const lookup = (noProxy: string, extra: Record<string, string> = {}): ((url: string) => string) =>
  environmentProxies({ HTTPS_PROXY: P, HTTP_PROXY: P, NO_PROXY: noProxy, ...extra })

describe('NO_PROXY', () => {
  it('a bare domain covers the domain and its subdomains, not a look-alike', () => {
    const l = lookup('cometapi.com')
    expect(l('https://cometapi.com/')).toBe('')
    expect(l('https://api.cometapi.com/v1/videos')).toBe('')
    expect(l('https://a.b.cometapi.com/')).toBe('')
    expect(l('https://notcometapi.com/')).toBe(P)
    expect(l('https://cometapi.com.evil.test/')).toBe(P)
  })

  it('a leading dot and *. mean the same; case and a trailing dot do not matter', () => {
    for (const entry of ['.cometapi.com', '*.cometapi.com', 'CometAPI.com.']) {
      expect(lookup(entry)('https://API.cometapi.com./')).toBe('')
      expect(lookup(entry)('https://cometapi.com/')).toBe('')
    }
  })

  it('* alone bypasses everything; entries are split by commas and spaces', () => {
    expect(lookup('*')('https://anything.test/')).toBe('')
    const l = lookup(' localhost ,  example.org internal.corp')
    expect(l('http://localhost:8080/')).toBe('')
    expect(l('http://svc.internal.corp/')).toBe('')
    expect(l('https://example.org/')).toBe('')
    expect(l('https://cometapi.com/')).toBe(P)
  })

  it('host:port matches only that port (default ports included)', () => {
    expect(lookup('api.cometapi.com:443')('https://api.cometapi.com/')).toBe('')
    expect(lookup('api.cometapi.com:443')('http://api.cometapi.com/')).toBe(P)
    expect(lookup('127.0.0.1:8080')('http://127.0.0.1:8080/')).toBe('')
    expect(lookup('127.0.0.1:9999')('http://127.0.0.1:8080/')).toBe(P)
  })

  it('IP addresses and CIDR ranges match IP hosts', () => {
    const l = lookup('10.0.0.0/8, 192.168.1.7, ::1, [fd00::]/8')
    expect(l('http://10.20.30.40/')).toBe('')
    expect(l('http://11.0.0.1/')).toBe(P)
    expect(l('http://192.168.1.7:3000/')).toBe('')
    expect(l('http://192.168.1.8/')).toBe(P)
    expect(l('http://[::1]:8080/')).toBe('')
    expect(l('http://[fd12::5]/')).toBe('')
    // A CIDR range never matches a name.
    expect(l('http://10.example/')).toBe(P)
  })

  it('lower case first, then upper; an empty NO_PROXY bypasses nothing', () => {
    expect(environmentProxies({ HTTPS_PROXY: P, no_proxy: 'cometapi.com', NO_PROXY: '' })('https://api.cometapi.com/')).toBe('')
    expect(environmentProxies({ https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' })('https://api.cometapi.com/')).toBe('http://lower:1')
    expect(lookup('')('https://api.cometapi.com/')).toBe(P)
    expect(environmentProxies({})('https://api.cometapi.com/')).toBe('')
    expect(environmentProxies({ ALL_PROXY: 'socks5h://127.0.0.1:1080' })('http://x.test/')).toBe('socks5h://127.0.0.1:1080')
    expect(environmentProxies({ HTTPS_PROXY: 'proxy.corp:3128' })('https://x.test/')).toBe('http://proxy.corp:3128')
  })
})
