// The proxy setting over the IPC contract, as the Settings screen uses it: validation with a
// sentence per field, credentials kept like the key (their own keychain account / file), never in
// the settings, a reply, a log line or the database; the renderer learns only that some are stored.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/app/dispatch'
import { createHandlers, type Handlers } from '../../src/app/handlers'
import { Studio } from '../../src/app/studio'
import { PROXY_CREDENTIALS_FILE, ProxyCredentialStore } from '../../src/core/secrets/proxyCredentials'
import { SecretStore, type SecretBackend } from '../../src/core/secrets/secretStore'
import type { ProxyStatus } from '../../src/shared/proxy'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import { type CountingProxy, startHttpProxy } from '../helpers/proxies'
import { standInFileBackend } from '../helpers/safeStorage'

const PASSWORD = 'Corp-Pa55word!'
const USER = 'ann.lee'

function memoryBackend(): SecretBackend {
  let v: string | null = null
  return { kind: 'encrypted-file', get: async () => v, set: async (x) => void (v = x), clear: async () => void (v = null), check: async () => null }
}

describe('the proxy setting through the contract', () => {
  let fake: FakeCometApi
  let proxy: CountingProxy
  let studio: Studio
  let handlers: Handlers
  let data: string
  const logs: string[] = []
  const pushed: unknown[] = []

  beforeAll(async () => {
    fake = await startFakeCometApi({ durations: { '*': 300 } })
    proxy = await startHttpProxy()
    data = mkdtempSync(join(tmpdir(), 'cvs-proxy-svc-'))
    studio = new Studio({
      dataDir: data,
      defaultLibraryDir: join(data, 'library'),
      secrets: new SecretStore({ backends: [memoryBackend()] }),
      version: '0.0.0-test',
      platform: 'linux',
      systemLocale: 'en-US',
      logger: { log: (level, message, fields) => void logs.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`) },
      posterFrames: null,
      pushIntervalMs: 20,
      proxy: { environment: () => '', credentials: new ProxyCredentialStore({ backends: [standInFileBackend(join(data, PROXY_CREDENTIALS_FILE))] }) },
      engine: { settingsOverrides: { baseUrl: fake.url } },
      shell: {
        openPath: async () => true,
        showItemInFolder: () => {},
        trashItem: async () => {},
        chooseFolder: async () => null,
        chooseSaveFile: async () => null,
        openExternal: async () => {},
        notify: () => {}
      }
    })
    studio.onPush((event, payload) => {
      if (event === 'settings.changed') pushed.push(payload)
    })
    handlers = createHandlers(studio)
  })
  afterAll(async () => {
    await studio.stop()
    await fake.close()
    await proxy.close()
    rmSync(data, { recursive: true, force: true })
  })

  const call = (channel: string, payload: unknown) => dispatch(handlers, channel, payload, { log: () => {} })
  const ok = async (channel: string, payload: unknown): Promise<ProxyStatus> => {
    const r = await call(channel, payload)
    if (!r.ok) throw new Error(JSON.stringify(r.error))
    return r.value as ProxyStatus
  }

  it('starts from the environment or the system, with nothing stored', async () => {
    expect(await ok('proxy.status', {})).toEqual({
      settings: { mode: 'auto', type: 'http', host: '', port: null },
      credentials: { stored: false, storage: 'encrypted-file', problem: null },
      inUse: null
    })
  })

  it('says which field is wrong, without echoing what was typed', async () => {
    const cases: [unknown, string][] = [
      [{ settings: { mode: 'manual', type: 'http', host: '', port: 3128 } }, 'proxy.hostMissing'],
      [{ settings: { mode: 'manual', type: 'http', host: 'http://evil.example/<b>', port: 3128 } }, 'proxy.hostInvalid'],
      [{ settings: { mode: 'manual', type: 'socks5', host: 'gw.corp', port: 0 } }, 'proxy.portInvalid'],
      [{ settings: { mode: 'manual', type: 'http', host: 'gw.corp', port: 3128 }, credentials: { username: '', password: PASSWORD } }, 'proxy.passwordWithoutUser'],
      [{ settings: { mode: 'manual', type: 'http', host: 'gw.corp', port: 3128 }, credentials: { username: 'a:b', password: PASSWORD } }, 'proxy.credentialsInvalid']
    ]
    for (const [payload, code] of cases) {
      const r = await call('proxy.set', payload)
      expect(r).toMatchObject({ ok: false, error: { code: 'ProxyInputError', messageCode: code } })
      expect(JSON.stringify(r)).not.toContain(PASSWORD)
      expect(JSON.stringify(r)).not.toContain('evil.example')
    }
    // The schema refuses what is not a setting at all.
    expect(await call('proxy.set', { settings: { mode: 'manual', type: 'ftp', host: 'x', port: 1 } })).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    expect((await ok('proxy.status', {})).settings.mode).toBe('auto')
  })

  it('stores a manual proxy with credentials: they go to their own file, and nowhere else', async () => {
    proxy.requireAuth({ username: USER, password: PASSWORD })
    const status = await ok('proxy.set', { settings: { mode: 'manual', type: 'http', host: ' 127.0.0.1 ', port: proxy.port }, credentials: { username: USER, password: PASSWORD } })
    expect(status).toEqual({
      settings: { mode: 'manual', type: 'http', host: '127.0.0.1', port: proxy.port },
      credentials: { stored: true, storage: 'encrypted-file', problem: null },
      inUse: { source: 'manual', proxy: `127.0.0.1:${proxy.port}` }
    })
    const settings = await call('settings.get', {})
    expect(settings).toMatchObject({ ok: true, value: { proxy: { mode: 'manual', host: '127.0.0.1', port: proxy.port } } })
    // The stand-in keeps them in plain text, so a leak anywhere else would show.
    expect(readFileSync(join(data, PROXY_CREDENTIALS_FILE), 'utf8')).toContain(PASSWORD)
    for (const file of ['studio.db', 'studio.db-wal']) {
      if (existsSync(join(data, file))) expect(readFileSync(join(data, file)).includes(Buffer.from(PASSWORD))).toBe(false)
    }
    expect(JSON.stringify([status, settings, pushed])).not.toContain(PASSWORD)
    expect(JSON.stringify([status, settings, pushed])).not.toContain(USER)
    expect(pushed.length).toBeGreaterThan(0)

    // The engine's requests now go through the proxy with them.
    const models = await call('catalog.list', { refresh: true })
    expect(models).toMatchObject({ ok: true, value: { problem: null } })
    expect(proxy.paths('/api/models').length).toBeGreaterThanOrEqual(1)
    expect(proxy.refused).toEqual([])
    expect(logs.join('\n')).not.toContain(PASSWORD)
  })

  it('keeps the stored credentials when only the setting changes; forgets them on request', async () => {
    const kept = await ok('proxy.set', { settings: { mode: 'auto', type: 'http', host: '127.0.0.1', port: proxy.port } })
    expect(kept.credentials.stored).toBe(true)
    expect(kept.inUse).toBeNull()
    const cleared = await ok('proxy.set', { settings: { mode: 'auto', type: 'http', host: '127.0.0.1', port: proxy.port }, credentials: { clear: true } })
    expect(cleared.credentials.stored).toBe(false)
    expect(existsSync(join(data, PROXY_CREDENTIALS_FILE))).toBe(false)
  })
})

describe('proxy credentials where only an obfuscated file is left', () => {
  it('are stored there only when the person agrees', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cvs-proxy-obf-'))
    try {
      const store = new ProxyCredentialStore({ backends: [standInFileBackend(join(dir, PROXY_CREDENTIALS_FILE), 'basic_text')] })
      await expect(store.set({ username: USER, password: PASSWORD })).rejects.toMatchObject({ needsConsent: true, sentence: { code: 'proxy.obfuscatedAsk' } })
      expect(existsSync(join(dir, PROXY_CREDENTIALS_FILE))).toBe(false)
      expect(await store.set({ username: USER, password: PASSWORD }, { allowObfuscated: true })).toEqual({ stored: true, storage: 'obfuscated-file', problem: null })
      // Read back by a new store (the next launch).
      const again = new ProxyCredentialStore({ backends: [standInFileBackend(join(dir, PROXY_CREDENTIALS_FILE), 'basic_text')] })
      expect(await again.get()).toEqual({ username: USER, password: PASSWORD })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('with nowhere to keep them, says so', async () => {
    const store = new ProxyCredentialStore({ backends: [] })
    await expect(store.set({ username: USER, password: PASSWORD })).rejects.toMatchObject({ sentence: { code: 'proxy.noStorage' } })
    expect(await store.status()).toMatchObject({ stored: false, storage: null })
  })
})
