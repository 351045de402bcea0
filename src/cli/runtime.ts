// Builds the engine the way the CLI runs it: same data folder and library as the desktop app,
// key from COMETAPI_KEY or the OS keychain, base URL from COMETAPI_BASE_URL.
import { Engine } from '../main/core/engine'
import { normalizeBaseUrl } from '../main/core/http/cometClient'
import { defaultLibraryDir, resolveDataDir } from '../main/core/paths'
import type { Logger } from '../main/core/ports'
import { keytarBackend, SecretStore } from '../main/core/secrets/secretStore'
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

export function makeEngine(io: CliIo, opts: { verbose?: boolean; observer?: boolean; secrets?: SecretStore } = {}): Engine {
  const env = io.env
  const overrides: Partial<Settings> = {}
  if (env.COMETAPI_BASE_URL?.trim()) overrides.baseUrl = normalizeBaseUrl(env.COMETAPI_BASE_URL)
  const rps = Number(env.COMET_VIDEO_REQUESTS_PER_SECOND)
  if (Number.isFinite(rps) && rps > 0) overrides.requestsPerSecond = rps
  const prior = Number(env.COMET_VIDEO_PRIOR_SECONDS)
  const scale = Number(env.COMET_VIDEO_BACKOFF_SCALE)
  return new Engine({
    dataDir: resolveDataDir(env),
    defaultLibraryDir: defaultLibraryDir(env),
    keys: opts.secrets ?? makeSecrets(env),
    logger: makeLogger(io, !!opts.verbose),
    settingsOverrides: overrides,
    role: opts.observer ? 'observer' : 'auto',
    // Tests and scripts against a fast fake server can say how long jobs usually take.
    durationPriorSeconds: Number.isFinite(prior) && prior > 0 ? () => prior : undefined,
    pollTuning: Number.isFinite(prior) && prior > 0 ? { minIntervalMs: Math.max(100, prior * 100), maxIntervalMs: Math.max(1000, prior * 2000) } : undefined,
    backoffScale: Number.isFinite(scale) && scale > 0 ? scale : undefined
  })
}
