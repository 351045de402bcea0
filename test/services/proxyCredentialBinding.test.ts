// The stored proxy user name and password belong to one proxy (type, host, port): changing the
// manual proxy's host without typing them again must not send them to the new host. The store
// keeps the proxy with them, the resolver uses them only for that proxy, and the setting forgets
// them when the proxy changes (the Settings screen then says none are stored).
import { describe, expect, it } from 'vitest'
import { ProxyService } from '../../src/app/proxyService'
import type { Engine } from '../../src/core/engine'
import { ProxyResolver } from '../../src/core/http/proxy'
import { ProxyCredentialStore } from '../../src/core/secrets/proxyCredentials'
import type { SecretBackend } from '../../src/core/secrets/secretStore'
import { DEFAULT_PROXY_SETTINGS, type ProxySettings } from '../../src/shared/proxy'
import { FakeClock } from '../helpers/fakeClock'

function memoryBackend(): SecretBackend & { value(): string | null } {
  let v: string | null = null
  return { kind: 'encrypted-file', get: async () => v, set: async (x) => void (v = x), clear: async () => void (v = null), check: async () => null, value: () => v }
}

/** The engine as ProxyService uses it: its proxy setting, changed and resumed. */
function engineStandIn(): { engine: Engine; resumed: () => number } {
  let proxy: ProxySettings = { ...DEFAULT_PROXY_SETTINGS }
  let resumes = 0
  const engine = {
    get settings() {
      return { proxy }
    },
    updateSettings(patch: { proxy?: ProxySettings }) {
      if (patch.proxy) proxy = patch.proxy
      return { proxy }
    },
    resume() {
      resumes++
    },
    proxyInUse: async () => null
  } as unknown as Engine
  return { engine, resumed: () => resumes }
}

const gw: ProxySettings = { mode: 'manual', type: 'http', host: 'gw.corp', port: 3128 }

describe('stored proxy credentials are tied to their proxy', () => {
  it('the resolver uses them only for the proxy they were stored for', async () => {
    const store = new ProxyCredentialStore({ backends: [memoryBackend()] })
    await store.set({ username: 'ann', password: 'old-secret', proxy: { type: 'http', host: 'gw.corp', port: 3128 } })
    const routeFor = async (s: ProxySettings): Promise<string> => (await new ProxyResolver({ settings: () => s, clock: new FakeClock(), credentials: store }).resolve('https://api.cometapi.com/'))!.url
    expect(await routeFor(gw)).toBe('http://ann:old-secret@gw.corp:3128')
    expect(await routeFor({ ...gw, host: 'GW.corp' })).toMatch(/^http:\/\/ann:old-secret@gw\.corp:3128$/i)
    expect(await routeFor({ ...gw, host: 'evil.example' })).toBe('http://evil.example:3128')
    expect(await routeFor({ ...gw, port: 8080 })).toBe('http://gw.corp:8080')
    expect(await routeFor({ ...gw, type: 'socks5' })).toBe('socks5h://gw.corp:3128')
  })

  it('credentials stored without a proxy (an older format) are used for none', async () => {
    const backend = memoryBackend()
    await backend.set(JSON.stringify({ username: 'ann', password: 'old-secret' }))
    const store = new ProxyCredentialStore({ backends: [backend] })
    const route = await new ProxyResolver({ settings: () => gw, clock: new FakeClock(), credentials: store }).resolve('https://api.cometapi.com/')
    expect(route!.url).toBe('http://gw.corp:3128')
  })

  it('changing the manual host with empty password fields forgets them; the same proxy keeps them', async () => {
    const backend = memoryBackend()
    const store = new ProxyCredentialStore({ backends: [backend] })
    const { engine } = engineStandIn()
    const service = new ProxyService(engine, store)
    expect((await service.set({ settings: gw, credentials: { username: 'ann', password: 'old-secret' } })).credentials.stored).toBe(true)
    expect(backend.value()).toContain('gw.corp')
    // Only the mode changes, the proxy stays: kept.
    expect((await service.set({ settings: { ...gw, mode: 'auto' } })).credentials.stored).toBe(true)
    expect((await service.set({ settings: { ...gw, host: ' gw.corp ' } })).credentials.stored).toBe(true)
    // A new host (or port, or type) and no password typed: forgotten.
    const moved = await service.set({ settings: { ...gw, host: 'evil.example' } })
    expect(moved.credentials.stored).toBe(false)
    expect(backend.value()).toBeNull()
    const route = await new ProxyResolver({ settings: () => engine.settings.proxy, clock: new FakeClock(), credentials: store }).resolve('https://api.cometapi.com/')
    expect(route!.url).toBe('http://evil.example:3128')
    // New credentials typed with the new host: stored for it.
    await service.set({ settings: { ...gw, host: 'evil.example', port: 8080 }, credentials: { username: 'bob', password: 'new' } })
    expect(await store.get()).toMatchObject({ username: 'bob', proxy: { type: 'http', host: 'evil.example', port: 8080 } })
    expect((await service.set({ settings: { ...gw, host: 'evil.example', port: 8081 } })).credentials.stored).toBe(false)
  })
})

describe('the status the Settings screen shows', () => {
  it('says none are stored for a manual proxy whose stored credentials belong to no proxy (an older store)', async () => {
    const backend = memoryBackend()
    await backend.set(JSON.stringify({ username: 'ann', password: 'old-secret' }))
    const { engine } = engineStandIn()
    engine.updateSettings({ proxy: gw })
    const status = await new ProxyService(engine, new ProxyCredentialStore({ backends: [backend] })).status()
    expect(status.credentials.stored).toBe(false)
  })
})
