// The proxy setting as the desktop app changes it: mode and manual proxy into the settings,
// user name and password into the credential store (never back out), one check for both.
import type { ProxySettings, ProxyStatus } from '../shared/proxy'
import { cleanProxyHost, proxyProblems } from '../shared/proxy'
import { msg, SentenceError } from '../shared/messages'
import type { Engine } from '../core/engine'
import type { ProxyCredentialStore } from '../core/secrets/proxyCredentials'
import { credentialsFit, credentialsProxyOf } from '../core/http/proxy'

export interface ProxySetRequest {
  settings: ProxySettings
  /** New credentials to store (both given), or `clear` to forget them; absent: keep what is stored. */
  credentials?: { username: string; password: string } | { clear: true }
  /** The person agreed to a file that is only obfuscated. */
  store?: 'anyway'
}

/** A proxy setting the person must fix: the sentence names the field. */
export class ProxyInputError extends SentenceError {
  constructor(
    sentence: ReturnType<typeof msg>,
    readonly field: string
  ) {
    super(sentence)
    this.name = 'ProxyInputError'
  }
}

export class ProxyService {
  constructor(
    private readonly engine: Engine,
    private readonly credentials: ProxyCredentialStore,
    private readonly changed: () => void = () => {}
  ) {}

  /** Stored credentials that belong to another proxy than `next` names (an unreadable store: left alone). */
  private async storedForAnother(next: ProxySettings): Promise<boolean> {
    let stored
    try {
      stored = await this.credentials.get()
    } catch {
      return false
    }
    return !!stored && !credentialsFit(stored, next)
  }

  async status(): Promise<ProxyStatus> {
    let inUse: ProxyStatus['inUse'] = null
    try {
      inUse = await this.engine.proxyInUse()
    } catch {
      inUse = null // an unusable address: the requests themselves say why
    }
    const settings = this.engine.settings.proxy
    const credentials = await this.credentials.status()
    // Stored for another proxy (an older store that names none): not used, so not "stored" for this one.
    if (credentials.stored && settings.mode === 'manual' && (await this.storedForAnother(settings))) credentials.stored = false
    return { settings, credentials, inUse }
  }

  async set(req: ProxySetRequest): Promise<ProxyStatus> {
    const creds = req.credentials && 'username' in req.credentials ? { username: req.credentials.username.trim(), password: req.credentials.password } : undefined
    const next: ProxySettings = { ...req.settings, host: cleanProxyHost(req.settings.host) }
    const problem = proxyProblems(next, creds)[0]
    if (problem) throw new ProxyInputError(msg(problem.code), problem.field)
    // Credentials first: a manual proxy that needs them must not start without them. They are
    // stored with the proxy they are for, and forgotten when that proxy changes (type, host or port)
    // without new ones typed: the old password must never go to another host.
    const forProxy = credentialsProxyOf(next)
    if (creds && creds.username) await this.credentials.set({ ...creds, ...(forProxy ? { proxy: forProxy } : {}) }, { allowObfuscated: req.store === 'anyway' })
    else if (req.credentials) await this.credentials.clear()
    else if (next.mode === 'manual' && (await this.storedForAnother(next))) await this.credentials.clear()
    this.engine.updateSettings({ proxy: next })
    this.engine.resume()
    this.changed()
    return this.status()
  }
}
