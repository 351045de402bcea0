// The desktop app's proxy ports: the environment (as the CLI reads it), the system's proxy as
// Chromium resolves it (PAC answers included), and the manual proxy's credentials in the keychain
// or, without one, a safeStorage file of their own. The decision itself is src/core/http/proxy.ts.
import { session } from 'electron'
import { join } from 'node:path'
import type { StudioProxyOptions } from '../app/studio'
import { environmentProxies } from '../core/http/proxyEnv'
import { PROXY_CREDENTIALS_FILE, PROXY_KEYTAR_ACCOUNT, ProxyCredentialStore } from '../core/secrets/proxyCredentials'
import { KEYTAR_SERVICE, keytarBackend } from '../core/secrets/secretStore'
import { safeStorageBackend } from './safeStorageBackend'

export function desktopProxyOptions(userData: string): StudioProxyOptions {
  return {
    environment: environmentProxies(process.env),
    system: (url) => session.defaultSession.resolveProxy(url),
    credentials: new ProxyCredentialStore({
      backends: [keytarBackend(KEYTAR_SERVICE, PROXY_KEYTAR_ACCOUNT), safeStorageBackend(join(userData, PROXY_CREDENTIALS_FILE))]
    })
  }
}
