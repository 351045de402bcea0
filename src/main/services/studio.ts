// The app's services around the engine: what the desktop shell and the browser test host both run.
// Plain Node: no electron import here (the shell passes its OS actions in as ShellPorts).
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { EventChannel, EventOf } from '../../shared/ipc/contract'
import type { KeyTestResult } from '../../shared/keys'
import { Engine, type EngineOptions } from '../core/engine'
import { ApiError } from '../core/http/apiError'
import { CometClient } from '../core/http/cometClient'
import { RequestBudget } from '../core/http/requestBudget'
import { nodeHttpTransport } from '../core/http/transport'
import { type Clock, type Logger, silentLogger, systemClock } from '../core/ports'
import { normalizeKey, type SecretStore, SecretStoreError } from '../core/secrets/secretStore'
import { EventCoalescer } from './eventCoalescer'
import { ImageTokens } from './fileInspector'
import type { MediaSources } from './mediaServer'
import type { ShellPorts } from './shellPorts'

export interface StudioOptions {
  dataDir: string
  defaultLibraryDir: string
  secrets: SecretStore
  shell: ShellPorts
  version: string
  platform: string
  systemLocale: string
  testHost: boolean
  logger?: Logger
  clock?: Clock
  /** Extra engine options (tests: transport, duration priors, poll tuning). */
  engine?: Partial<EngineOptions>
  /** How often coalesced events are pushed to the renderer (ms). */
  pushIntervalMs?: number
}

type Listener = <E extends EventChannel>(event: E, payload: EventOf<E>) => void

export class Studio {
  readonly engine: Engine
  readonly tokens = new ImageTokens()
  readonly coalescer: EventCoalescer
  private listeners = new Set<Listener>()
  private notified = new Set<string>()

  constructor(readonly o: StudioOptions) {
    this.engine = new Engine({
      dataDir: o.dataDir,
      defaultLibraryDir: o.defaultLibraryDir,
      keys: o.secrets,
      logger: o.logger ?? silentLogger,
      clock: o.clock ?? systemClock,
      ...o.engine
    })
    this.coalescer = new EventCoalescer((event, payload) => this.push(event, payload), o.pushIntervalMs ?? 250)
    this.engine.on((e) => {
      this.coalescer.handle(e)
      if (e.type === 'job.updated') this.maybeNotify(e.job.id, e.job.state, e.job.spec.prompt, e.job.model, e.job.error?.message ?? null)
    })
  }

  /** Subscribes to pushes for the renderer (already coalesced). */
  onPush(fn: Listener): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  push<E extends EventChannel>(event: E, payload: EventOf<E>): void {
    for (const fn of this.listeners) fn(event, payload)
  }

  start(): void {
    this.engine.start()
  }

  async stop(): Promise<void> {
    this.coalescer.flush()
    this.coalescer.dispose()
    await this.engine.close()
  }

  get media(): MediaSources {
    return {
      libraryRoot: () => this.engine.library.root,
      posterOf: (id) => this.engine.library.get(id)?.poster ?? null,
      imageOf: (token) => this.tokens.pathOf(token),
      jobImageOf: (jobId, index) => this.engine.getJob(jobId)?.spec.images?.[index] ?? null
    }
  }

  /** Running jobs, for the window title / dock badge. */
  runningCount(): number {
    const c = this.engine.status().counts
    return (c.queued ?? 0) + (c.submitting ?? 0) + (c.submitted ?? 0) + (c.running ?? 0) + (c.downloading ?? 0)
  }

  private maybeNotify(id: string, state: string, prompt: string, model: string, error: string | null): void {
    if (state !== 'completed' && state !== 'failed') return
    if (this.notified.has(id) || !this.engine.settings.notifications) return
    this.notified.add(id)
    const short = prompt.length > 80 ? `${prompt.slice(0, 79)}…` : prompt
    const title = state === 'completed' ? `Video ready — ${model}` : `Video failed — ${model}`
    this.o.shell.notify(title, state === 'completed' ? short : (error ?? short), () => this.push('focus.job', { id }))
  }

  /** Checks a key against the API (an authenticated list call), then stores it. */
  async setKey(raw: string): Promise<KeyTestResult> {
    let key: string
    try {
      key = normalizeKey(raw)
    } catch (err) {
      return { ok: false, verified: false, message: err instanceof Error ? err.message : String(err), status: await this.o.secrets.status() }
    }
    const client = new CometClient({
      baseUrl: () => this.engine.settings.baseUrl,
      keys: { getKey: async () => key },
      transport: this.o.engine?.transport ?? nodeHttpTransport,
      clock: this.o.clock ?? systemClock,
      budget: new RequestBudget(this.o.clock ?? systemClock, 5),
      logger: this.o.logger ?? silentLogger,
      readTimeoutMs: 20_000
    })
    let warning = ''
    try {
      await client.call({ method: 'GET', path: '/v1/models' }, { cls: 'urgent', action: 'keyCheck' })
    } catch (err) {
      if (err instanceof ApiError && (err.kind === 'auth' || err.kind === 'forbidden' || err.kind === 'bad_base_url')) {
        return { ok: false, verified: true, message: err.message, status: await this.o.secrets.status() }
      }
      // Offline or CometAPI busy: keep the key, say it is not checked yet.
      warning = ` It could not be checked now (${err instanceof Error ? err.message : String(err)}); it will be used as soon as CometAPI answers.`
    }
    try {
      const status = await this.o.secrets.setKey(key)
      this.engine.resume()
      const where = status.storage === 'keychain' ? 'the OS keychain' : status.storage === 'encrypted-file' ? 'an encrypted file (no OS keychain is available)' : 'COMETAPI_KEY'
      return { ok: true, verified: !warning, message: `Key …${status.last4} saved in ${where}.${warning}`, status }
    } catch (err) {
      const message = err instanceof SecretStoreError ? err.message : `Could not save the key: ${err instanceof Error ? err.message : String(err)}`
      return { ok: false, verified: !warning, message, status: await this.o.secrets.status() }
    }
  }

  /** Writes a poster the renderer made from the video and records it with the item. */
  async savePoster(id: string, bytes: Uint8Array): Promise<void> {
    const lib = this.engine.library
    const item = lib.get(id)
    if (!item) throw new Error('That video is no longer in the library.')
    const dir = join(lib.root, '.posters')
    await mkdir(dir, { recursive: true })
    const rel = `.posters/${id}.jpg`
    const tmp = join(dir, `${id}.jpg.tmp`)
    await writeFile(tmp, bytes)
    await rename(tmp, join(lib.root, rel))
    lib.setMediaInfo(id, { poster: rel })
    this.push('library.changed', { itemIds: [id] })
  }

  /** Where fixed (resized/cropped) copies of dropped images go. */
  get fixedImagesDir(): string {
    return join(this.o.dataDir, 'fixed-images')
  }
}
