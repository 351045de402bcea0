// Where the API key lives: COMETAPI_KEY for scripts, else the OS keychain (keytar), else a
// fallback backend the shell provides (Electron safeStorage). The key is never logged or returned
// to anything but the HTTP client; status() exposes only where it is and its last four characters.

import type { KeyStatus, KeyStorage } from '../../../shared/keys'

export type { KeyStatus, KeyStorage }

export interface SecretBackend {
  readonly kind: Exclude<KeyStorage, 'env'>
  get(): Promise<string | null>
  set(value: string): Promise<void>
  clear(): Promise<void>
  /** Resolves with null when usable, else a sentence saying why not and what to do. */
  check(): Promise<string | null>
}

export class SecretStoreError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SecretStoreError'
  }
}

const KEPT_INSTEAD: Record<SecretBackend['kind'], string> = {
  keychain: 'The key is kept in the OS keychain instead.',
  'encrypted-file': 'The key is kept in an encrypted file in the app’s data folder instead.'
}

export const KEYTAR_SERVICE = 'comet-video-studio'
export const KEYTAR_ACCOUNT = 'cometapi-key'

/** Turns what a person pasted into a key, or explains why it is not one. */
export function normalizeKey(raw: string): string {
  let key = raw.trim().replace(/^bearer\s+/i, '').trim()
  if (key.startsWith('"') && key.endsWith('"')) key = key.slice(1, -1).trim()
  if (!key) throw new SecretStoreError('The key is empty. Paste the key from https://www.cometapi.com/console/token.')
  if (/\s/.test(key)) throw new SecretStoreError('The key contains spaces or line breaks inside it. Paste only the key itself (it looks like sk-…).')
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) throw new SecretStoreError('The key contains invisible control characters. Copy it again from the CometAPI console.')
  if (key.length < 8) throw new SecretStoreError('That key is too short to be a CometAPI key. Copy the whole key from the console.')
  return key
}

interface KeytarModule {
  getPassword(service: string, account: string): Promise<string | null>
  setPassword(service: string, account: string, password: string): Promise<void>
  deletePassword(service: string, account: string): Promise<boolean>
}

function explainKeychainError(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err)
  if (/autolaunch D-Bus|DBUS_SESSION_BUS_ADDRESS|org\.freedesktop\.secrets|Secret Service|No such interface|ServiceUnknown/i.test(msg)) {
    return 'No OS keychain is available (no Secret Service on D-Bus); install and unlock a keyring such as gnome-keyring to use it.'
  }
  if (/Cannot find module|keytar/i.test(msg)) {
    return 'The keychain module (keytar) is not installed; on Linux install libsecret-1-dev and reinstall to use the OS keychain.'
  }
  return `The OS keychain failed: ${msg}`
}

/** The OS keychain through keytar, loaded lazily because it is an optional native module. */
export function keytarBackend(service = KEYTAR_SERVICE, account = KEYTAR_ACCOUNT): SecretBackend {
  let mod: Promise<KeytarModule> | null = null
  const load = (): Promise<KeytarModule> => {
    mod ??= import('keytar').then((m) => ((m as { default?: KeytarModule }).default ?? (m as unknown as KeytarModule)))
    return mod
  }
  const wrap = async <T>(fn: (k: KeytarModule) => Promise<T>): Promise<T> => {
    try {
      return await fn(await load())
    } catch (err) {
      throw new SecretStoreError(explainKeychainError(err))
    }
  }
  return {
    kind: 'keychain',
    get: () => wrap((k) => k.getPassword(service, account)),
    set: (v) => wrap((k) => k.setPassword(service, account, v)),
    clear: () => wrap((k) => k.deletePassword(service, account)).then(() => undefined),
    check: async () => {
      try {
        const k = await load()
        await k.getPassword(service, account)
        return null
      } catch (err) {
        return explainKeychainError(err)
      }
    }
  }
}

export class SecretStore {
  private cached: { key: string | null; source: KeyStorage | null } | null = null
  private backendChoice: Promise<{ backend: SecretBackend | null; problem: string | null }> | null = null

  constructor(
    private readonly opts: {
      /** Value of COMETAPI_KEY, read once by the caller (no module reads process.env deep inside). */
      envKey?: string | null
      /** In order of preference: keychain first, then fallbacks. */
      backends: SecretBackend[]
    }
  ) {}

  private chooseBackend(): Promise<{ backend: SecretBackend | null; problem: string | null }> {
    this.backendChoice ??= (async () => {
      const problems: string[] = []
      for (const b of this.opts.backends) {
        const problem = await b.check()
        // Say where the key is kept instead, so nobody wonders where it went.
        if (!problem) return { backend: b, problem: problems[0] ? `${problems[0]} ${KEPT_INSTEAD[b.kind]}` : null }
        problems.push(problem)
      }
      return { backend: null, problem: problems[0] ? `${problems[0]} Set COMETAPI_KEY instead.` : 'No place to store the key is available; set COMETAPI_KEY instead.' }
    })()
    return this.backendChoice
  }

  async getKey(): Promise<string | null> {
    if (this.cached) return this.cached.key
    const env = this.opts.envKey?.trim()
    if (env) {
      this.cached = { key: normalizeKey(env), source: 'env' }
      return this.cached.key
    }
    const { backend } = await this.chooseBackend()
    const stored = backend ? await backend.get() : null
    this.cached = { key: stored, source: stored && backend ? backend.kind : null }
    return stored
  }

  async setKey(raw: string): Promise<KeyStatus> {
    const key = normalizeKey(raw)
    const { backend, problem } = await this.chooseBackend()
    if (!backend) throw new SecretStoreError(problem ?? 'No place to store the key is available; set COMETAPI_KEY instead.')
    await backend.set(key)
    if (!this.opts.envKey?.trim()) this.cached = { key, source: backend.kind }
    return this.status()
  }

  async clearKey(): Promise<KeyStatus> {
    const { backend } = await this.chooseBackend()
    if (backend) await backend.clear()
    this.cached = null
    return this.status()
  }

  async status(): Promise<KeyStatus> {
    const { backend, problem } = await this.chooseBackend()
    let key: string | null = null
    let readProblem: string | null = null
    try {
      key = await this.getKey()
    } catch (err) {
      readProblem = err instanceof Error ? err.message : String(err)
    }
    return {
      set: !!key,
      source: key ? (this.cached?.source ?? null) : null,
      storage: backend?.kind ?? null,
      last4: key ? key.slice(-4) : null,
      problem: readProblem ?? problem
    }
  }
}
