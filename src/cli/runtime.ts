// Builds the engine the way the CLI runs it: same data folder and library as the desktop app,
// key from COMETAPI_KEY or the OS keychain, base URL from COMETAPI_BASE_URL, the proxy from
// Settings or HTTPS_PROXY / HTTP_PROXY / ALL_PROXY / NO_PROXY.
import { Engine, type EngineOptions } from '../core/engine'
import { normalizeBaseUrl } from '../core/http/cometClient'
import { defaultLibraryDir, resolveDataDir } from '../core/paths'
import type { Logger } from '../core/ports'
import { KEYTAR_SERVICE, keytarBackend, SecretStore } from '../core/secrets/secretStore'
import { keyAccount, KeyVault } from '../core/secrets/keyVault'
import type { KeySource } from '../core/http/cometClient'
import type { ProxyPorts } from '../core/http/proxy'
import { environmentProxies } from '../core/http/proxyEnv'
import { PROXY_KEYTAR_ACCOUNT, ProxyCredentialStore } from '../core/secrets/proxyCredentials'
import type { Settings } from '../shared/settings'

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean }
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }
  stdin: NodeJS.ReadableStream & { isTTY?: boolean }
  env: NodeJS.ProcessEnv
}

export function makeSecrets(env: NodeJS.ProcessEnv): SecretStore {
  return new SecretStore({ envKey: env.COMETAPI_KEY ?? null, backends: [keytarBackend()] })
}

/** Every named key: the default one as before (COMETAPI_KEY, then the keychain), the others in their own keychain entries. */
export function makeVault(env: NodeJS.ProcessEnv): KeyVault {
  return new KeyVault({ defaultStore: makeSecrets(env), backendsFor: (id) => [keytarBackend(KEYTAR_SERVICE, keyAccount(id))] })
}

/**
 * The proxy as the app decides it: the manual one from Settings (its credentials from the OS
 * keychain; the CLI cannot read the app's safeStorage file), else HTTPS_PROXY, HTTP_PROXY,
 * ALL_PROXY and NO_PROXY (read by proxyEnv.ts from `env`, the process's environment).
 */
export function makeProxyPorts(env: NodeJS.ProcessEnv): ProxyPorts {
  return {
    environment: environmentProxies(env),
    credentials: new ProxyCredentialStore({ backends: [keytarBackend(KEYTAR_SERVICE, PROXY_KEYTAR_ACCOUNT)] })
  }
}

export function makeLogger(io: CliIo, verbose: boolean): Logger {
  return {
    log(level, message) {
      if (level === 'debug' && !verbose) return
      if (level === 'info' && !verbose) return
      if (!verbose && level === 'warn') return
      io.stderr.write(`[${level}] ${message}\n`)
    }
  }
}

/**
 * The engine for one command. `extra` is for callers that embed the CLI (its tests pass short
 * timings); a person sets the same things in the environment or in the app's settings.
 */
export function makeEngine(io: CliIo, opts: { verbose?: boolean; observer?: boolean; keys?: KeySource; extra?: Partial<EngineOptions> } = {}): Engine {
  const env = io.env
  const overrides: Partial<Settings> = { ...opts.extra?.settingsOverrides }
  if (env.COMETAPI_BASE_URL?.trim()) overrides.baseUrl = normalizeBaseUrl(env.COMETAPI_BASE_URL)
  const rps = Number(env.COMET_VIDEO_REQUESTS_PER_SECOND)
  if (Number.isFinite(rps) && rps > 0) overrides.requestsPerSecond = rps
  return new Engine({
    dataDir: resolveDataDir(env),
    defaultLibraryDir: defaultLibraryDir(env),
    keys: opts.keys ?? makeVault(env),
    logger: makeLogger(io, !!opts.verbose),
    role: opts.observer ? 'observer' : 'auto',
    proxy: makeProxyPorts(env),
    ...opts.extra,
    settingsOverrides: overrides
  })
}
