// Where the API key lives: COMETAPI_KEY for scripts, else the OS keychain (keytar), else a
// fallback backend the shell provides (Electron safeStorage). The key is never logged or returned
// to anything but the HTTP client; status() exposes only where it is and its last four characters.

import type { KeyStatus, KeyStorage } from '../../shared/keys'
import { msg, type Message } from '../../shared/messages'

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
  /** The sentence as a code and parameters, where it has one (for translation). */
  readonly sentence: Message | null

  constructor(
    message: string | Message,
    /** The key was not stored because the person must agree first. */
    readonly needsConsent: 'obfuscated' | null = null
  ) {
    super(typeof message === 'string' ? message : message.text)
    this.name = 'SecretStoreError'
    this.sentence = typeof message === 'string' ? null : message
  }
}

const KEPT_INSTEAD: Record<SecretBackend['kind'], string> = {
  keychain: 'The key is kept in the OS keychain instead.',
  'encrypted-file': 'The key is kept in an encrypted file in the app’s data folder instead.',
  'obfuscated-file': 'The key can only be kept in a file in the app’s data folder that is obfuscated, not encrypted: anyone who can read your files can read it.',
  session: 'The key is kept for this session only.'
}

export interface SetKeyOptions {
  /** The person agreed to a file that is only obfuscated. */
  allowObfuscated?: boolean
  /** Keep the key in this process's memory only (asked again next time). */
  sessionOnly?: boolean
}

export const KEYTAR_SERVICE = 'comet-video-studio'
export const KEYTAR_ACCOUNT = 'cometapi-key'

/** Turns what a person pasted into a key, or explains why it is not one. */
export function normalizeKey(raw: string): string {
  let key = raw.trim().replace(/^bearer\s+/i, '').trim()
  if (key.startsWith('"') && key.endsWith('"')) key = key.slice(1, -1).trim()
  if (!key) throw new SecretStoreError(msg('key.empty'))
  if (/\s/.test(key)) throw new SecretStoreError(msg('key.spaces'))
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) throw new SecretStoreError(msg('key.control'))
  if (key.length < 8) throw new SecretStoreError(msg('key.short'))
  return key
}

interface KeytarModule {
  getPassword(service: string, account: string): Promise<string | null>
  setPassword(service: string, account: string, password: string): Promise<void>
  deletePassword(service: string, account: string): Promise<boolean>
}

export function explainKeychainError(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err)
  if (/autolaunch D-Bus|DBUS_SESSION_BUS_ADDRESS|org\.freedesktop\.secrets|Secret Service|No such interface|ServiceUnknown/i.test(msg)) {
    return 'No OS keychain is available (no Secret Service on D-Bus); install and unlock a keyring such as gnome-keyring to use it.'
  }
  if (/locked collection|is locked|prompt/i.test(msg)) {
    return 'The OS keychain is locked and could not be unlocked here (no unlock prompt could be shown); unlock your login keyring to keep the key there.'
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

type BackendChoice = { backend: SecretBackend | null; usable: SecretBackend[]; problem: string | null }

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err))

export class SecretStore {
  private cached: { key: string | null; source: KeyStorage | null } | null = null
  private backendChoice: Promise<BackendChoice> | null = null

  constructor(
    private readonly opts: {
      /** Value of COMETAPI_KEY, read once by the caller (no module reads process.env deep inside). */
      envKey?: string | null
      /** In order of preference: keychain first, then fallbacks. */
      backends: SecretBackend[]
    }
  ) {}

  private chooseBackend(): Promise<BackendChoice> {
    this.backendChoice ??= (async () => {
      const problems: string[] = []
      const usable: SecretBackend[] = []
      for (const b of this.opts.backends) {
        const problem = await b.check()
        if (problem) problems.push(problem)
        else usable.push(b)
      }
      const first = usable[0]
      if (!first) {
        return { backend: null, usable, problem: problems[0] ? `${problems[0]} Set COMETAPI_KEY instead.` : 'No place to store the key is available; set COMETAPI_KEY instead.' }
      }
      // Say where the key is kept instead, so nobody wonders where it went.
      const skipped = this.opts.backends.indexOf(first) > 0 ? problems[0] : undefined
      // A file that is only obfuscated is said so however it came to be the one left.
      const warn = skipped || first.kind === 'obfuscated-file'
      return { backend: first, usable, problem: warn ? [skipped, KEPT_INSTEAD[first.kind]].filter(Boolean).join(' ') : null }
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
    const { usable } = await this.chooseBackend()
    // A key saved to a fallback (because the keychain refused the write) is found there on later runs.
    let failure: unknown = null
    for (const b of usable) {
      try {
        const stored = await b.get()
        if (stored) {
          this.cached = { key: stored, source: b.kind }
          return stored
        }
      } catch (err) {
        failure ??= err
      }
    }
    if (failure) throw failure
    this.cached = { key: null, source: null }
    return null
  }

  async setKey(raw: string, opts: SetKeyOptions = {}): Promise<KeyStatus> {
    const key = normalizeKey(raw)
    if (opts.sessionOnly) {
      if (!this.opts.envKey?.trim()) this.cached = { key, source: 'session' }
      return this.status()
    }
    const choice = await this.chooseBackend()
    if (!choice.backend) throw new SecretStoreError(choice.problem ?? 'No place to store the key is available; set COMETAPI_KEY instead.')
    const failures: string[] = []
    for (const b of choice.usable) {
      // Never put the key in a file that only pretends to protect it without asking.
      if (b.kind === 'obfuscated-file' && !opts.allowObfuscated) throw new SecretStoreError(msg('key.obfuscatedAsk'), 'obfuscated')
      try {
        await b.set(key)
      } catch (err) {
        failures.push(messageOf(err))
        continue
      }
      if (b !== choice.backend) {
        // The preferred place refused the write (a locked keychain, say): keep the key here and say so.
        this.backendChoice = Promise.resolve({ backend: b, usable: choice.usable.slice(choice.usable.indexOf(b)), problem: `${failures[0]} ${KEPT_INSTEAD[b.kind]}` })
      }
      if (!this.opts.envKey?.trim()) this.cached = { key, source: b.kind }
      return this.status()
    }
    throw new SecretStoreError(`${failures[0] ?? 'The key could not be stored.'} Set COMETAPI_KEY instead.`)
  }

  async clearKey(): Promise<KeyStatus> {
    const { usable } = await this.chooseBackend()
    // Everywhere a key may have been kept, so an old one cannot come back from a fallback.
    const results = await Promise.allSettled(usable.map((b) => b.clear()))
    this.cached = null
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    if (failed && results.every((r) => r.status === 'rejected')) throw failed.reason
    return this.status()
  }

  async status(): Promise<KeyStatus> {
    const { backend, problem } = await this.chooseBackend()
    let key: string | null = null
    let readProblem: string | null = null
    try {
      key = await this.getKey()
    } catch (err) {
      readProblem = messageOf(err)
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
