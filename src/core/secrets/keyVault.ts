// The keys themselves, one keychain entry (or fallback file) per named key. The profile 'default'
// is the entry a single key always lived in (and COMETAPI_KEY stands in for it), so a person who had
// one key before named keys keeps it without doing anything. Labels and caps are in keyProfiles.ts.
import { DEFAULT_KEY_ID } from '../../shared/keys'
import type { KeySource } from '../http/cometClient'
import { KEYTAR_ACCOUNT, type SecretBackend, SecretStore } from './secretStore'

/** Profile ids are made by keyProfiles (`k-` and hex); anything else never names a file or an account. */
const SAFE_ID = /^[a-z0-9-]{1,40}$/

/** The keychain account of a named key. */
export function keyAccount(id: string): string {
  if (id === DEFAULT_KEY_ID) return KEYTAR_ACCOUNT
  if (!SAFE_ID.test(id)) throw new Error(`Not a key profile id: ${JSON.stringify(id).slice(0, 60)}`)
  return `${KEYTAR_ACCOUNT}:${id}`
}

/** The fallback file of a named key, in the data folder. */
export function keyFileName(id: string): string {
  if (id === DEFAULT_KEY_ID) return 'cometapi-key.enc'
  if (!SAFE_ID.test(id)) throw new Error(`Not a key profile id: ${JSON.stringify(id).slice(0, 60)}`)
  return `cometapi-key-${id}.enc`
}

export class KeyVault implements KeySource {
  private readonly stores = new Map<string, SecretStore>()

  constructor(
    private readonly o: {
      /** The store of the profile 'default' (with COMETAPI_KEY in front of it). */
      defaultStore: SecretStore
      /** Where another profile's key may be kept, in order of preference (keychain first). */
      backendsFor: (profileId: string) => SecretBackend[]
    }
  ) {}

  store(id: string = DEFAULT_KEY_ID): SecretStore {
    if (id === DEFAULT_KEY_ID) return this.o.defaultStore
    let s = this.stores.get(id)
    if (!s) {
      s = new SecretStore({ backends: this.o.backendsFor(id) })
      this.stores.set(id, s)
    }
    return s
  }

  getKey(id: string = DEFAULT_KEY_ID): Promise<string | null> {
    return this.store(id).getKey()
  }

  /** Removes a named key's secret from everywhere it may be kept. */
  async forget(id: string): Promise<void> {
    await this.store(id).clearKey()
    if (id !== DEFAULT_KEY_ID) this.stores.delete(id)
  }
}
