// The manual proxy's user name and password, kept like the API key: the OS keychain (keytar, its
// own account), else the app's safeStorage file (its own file), never the settings, a log line or
// an answer to the renderer, which learns only whether some are stored and where.
import { msg, SentenceError } from '../../shared/messages'
import type { ProxyCredentialStatus } from '../../shared/proxy'
import type { ProxyCredentials } from '../http/proxy'
import type { SecretBackend } from './secretStore'

export const PROXY_KEYTAR_ACCOUNT = 'proxy-credentials'
/** The safeStorage file in the app's data folder. */
export const PROXY_CREDENTIALS_FILE = 'proxy-credentials.enc'

export class ProxyCredentialsError extends SentenceError {
  constructor(
    sentence: ReturnType<typeof msg>,
    /** Not stored: the only place left only obfuscates; the person must agree first. */
    readonly needsConsent: boolean = false
  ) {
    super(sentence)
    this.name = 'ProxyCredentialsError'
  }
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err))

function parse(stored: string | null): ProxyCredentials | null {
  if (!stored) return null
  try {
    const v = JSON.parse(stored) as { username?: unknown; password?: unknown; proxy?: { type?: unknown; host?: unknown; port?: unknown } }
    if (typeof v.username === 'string' && v.username && typeof v.password === 'string') {
      const p = v.proxy
      // The proxy they belong to; without one (an older format) they fit no proxy.
      const proxy =
        p && (p.type === 'http' || p.type === 'https' || p.type === 'socks5') && typeof p.host === 'string' && typeof p.port === 'number' ? { type: p.type as 'http' | 'https' | 'socks5', host: p.host, port: p.port } : undefined
      return { username: v.username, password: v.password, ...(proxy ? { proxy } : {}) }
    }
  } catch {
    // not ours: treat as nothing stored
  }
  return null
}

export class ProxyCredentialStore {
  private cached: { value: ProxyCredentials | null; from: SecretBackend | null } | null = null
  private usable: Promise<{ list: SecretBackend[]; problem: string | null }> | null = null

  constructor(private readonly o: { backends: SecretBackend[] }) {}

  private backends(): Promise<{ list: SecretBackend[]; problem: string | null }> {
    this.usable ??= (async () => {
      const list: SecretBackend[] = []
      let problem: string | null = null
      for (const b of this.o.backends) {
        const why = await b.check()
        if (why) problem ??= why
        else list.push(b)
      }
      return { list, problem: list.length ? null : (problem ?? 'No OS keychain or protected file is available.') }
    })()
    return this.usable
  }

  /** The stored credentials (read once, then from memory). */
  async get(): Promise<ProxyCredentials | null> {
    if (this.cached) return this.cached.value
    const { list } = await this.backends()
    let failure: unknown = null
    for (const b of list) {
      try {
        const value = parse(await b.get())
        if (value) {
          this.cached = { value, from: b }
          return value
        }
      } catch (err) {
        failure ??= err
      }
    }
    if (failure) throw failure
    this.cached = { value: null, from: null }
    return null
  }

  async set(value: ProxyCredentials, opts: { allowObfuscated?: boolean } = {}): Promise<ProxyCredentialStatus> {
    const { list, problem } = await this.backends()
    if (!list.length) throw new ProxyCredentialsError(msg('proxy.noStorage', { detail: problem ?? '' }))
    const failures: string[] = []
    const text = JSON.stringify({ username: value.username, password: value.password, ...(value.proxy ? { proxy: value.proxy } : {}) })
    for (const b of list) {
      if (b.kind === 'obfuscated-file' && !opts.allowObfuscated) throw new ProxyCredentialsError(msg('proxy.obfuscatedAsk'), true)
      try {
        await b.set(text)
      } catch (err) {
        failures.push(messageOf(err))
        continue
      }
      // One place only: an older copy elsewhere must not come back.
      await Promise.allSettled(list.filter((o) => o !== b).map((o) => o.clear()))
      this.cached = { value, from: b }
      return this.status()
    }
    throw new ProxyCredentialsError(msg('proxy.noStorage', { detail: failures[0] ?? '' }))
  }

  async clear(): Promise<ProxyCredentialStatus> {
    const { list } = await this.backends()
    await Promise.allSettled(list.map((b) => b.clear()))
    this.cached = { value: null, from: null }
    return this.status()
  }

  async status(): Promise<ProxyCredentialStatus> {
    const { list, problem } = await this.backends()
    let readProblem: string | null = null
    let value: ProxyCredentials | null = null
    try {
      value = await this.get()
    } catch (err) {
      readProblem = messageOf(err)
    }
    const where = (value ? this.cached?.from : list[0]) ?? null
    const storage = where && where.kind !== 'session' ? where.kind : null
    return { stored: !!value, storage, problem: readProblem ?? problem }
  }
}
