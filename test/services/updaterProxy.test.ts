// The app's own updates go the way the proxy setting says: electron-updater's session gets the
// manual proxy (Chromium's proxy rules), direct for "No proxy", and the system's otherwise.
import { describe, expect, it } from 'vitest'
import { updaterProxyConfig } from '../../src/app/updaterProxy'

describe('the updater’s proxy', () => {
  it('a manual proxy becomes Chromium proxy rules of its type', () => {
    expect(updaterProxyConfig({ mode: 'manual', type: 'http', host: 'proxy.corp', port: 3128 })).toEqual({ mode: 'fixed_servers', proxyRules: 'http://proxy.corp:3128', proxyBypassRules: '<local>' })
    expect(updaterProxyConfig({ mode: 'manual', type: 'https', host: ' proxy.corp ', port: 443 })).toMatchObject({ proxyRules: 'https://proxy.corp:443' })
    expect(updaterProxyConfig({ mode: 'manual', type: 'socks5', host: '::1', port: 1080 })).toMatchObject({ proxyRules: 'socks5://[::1]:1080' })
  })

  it('no proxy: direct; environment or system, or an incomplete manual proxy: the system’s', () => {
    expect(updaterProxyConfig({ mode: 'none', type: 'http', host: 'proxy.corp', port: 3128 })).toEqual({ mode: 'direct' })
    expect(updaterProxyConfig({ mode: 'auto', type: 'http', host: '', port: null })).toEqual({ mode: 'system' })
    expect(updaterProxyConfig({ mode: 'manual', type: 'http', host: '', port: 3128 })).toEqual({ mode: 'system' })
  })
})
