// The app's services around the engine: what the desktop shell and the browser test host both run.
// Plain Node: no electron import here (the shell passes its OS actions in as ShellPorts).
import { join } from 'node:path'
import type { EventChannel, EventOf } from '../shared/ipc/contract'
import { ACTIVE_STATES, isIn, type JobState, OUTCOME_STATES } from '../shared/jobStates'
import type { KeyTestResult } from '../shared/keys'
import { Engine, type EngineOptions } from '../core/engine'
import { nodeHttpTransport } from '../core/http/transport'
import { type Clock, type Logger, silentLogger, systemClock } from '../core/ports'
import { ffmpegPosterFrames, type PosterFrames } from '../core/library/posterFrames'
import { storePoster } from '../core/library/posters'
import { checkAndStoreKey } from '../core/secrets/keyCheck'
import type { SecretStore, SetKeyOptions } from '../core/secrets/secretStore'
import { ChosenFiles } from './chosenFiles'
import { EventCoalescer } from './eventCoalescer'
import { installedFfmpeg } from './ffmpegBinaries'
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
  logger?: Logger
  clock?: Clock
  /** Extra engine options (tests: transport, timing). */
  engine?: Partial<EngineOptions>
  /** How often coalesced events are pushed to the renderer (ms). */
  pushIntervalMs?: number
  /** Makes a landed video's poster. Default: the ffmpeg/ffprobe shipped with the app; null: none (the renderer makes them). */
  posterFrames?: PosterFrames | null
}

type Listener = <E extends EventChannel>(event: E, payload: EventOf<E>) => void

export class Studio {
  readonly engine: Engine
  readonly tokens = new ImageTokens()
  /** What the person chose in the app this session (drops, pickers, main's folder dialog). */
  readonly chosen = new ChosenFiles()
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
      posterFrames: (o.posterFrames === undefined ? ffmpegPosterFrames(installedFfmpeg()) : o.posterFrames) ?? undefined,
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
    return ACTIVE_STATES.reduce((n, s) => n + (c[s] ?? 0), 0)
  }

  private maybeNotify(id: string, state: JobState, prompt: string, model: string, error: string | null): void {
    if (!isIn(OUTCOME_STATES, state)) return
    if (this.notified.has(id) || !this.engine.settings.notifications) return
    this.notified.add(id)
    const short = prompt.length > 80 ? `${prompt.slice(0, 79)}…` : prompt
    const title = state === 'completed' ? `Video ready — ${model}` : `Video failed — ${model}`
    this.o.shell.notify(title, state === 'completed' ? short : (error ?? short), () => this.push('focus.job', { id }))
  }

  /** Checks a key against the API (an authenticated list call), then stores it. */
  async setKey(raw: string, opts: SetKeyOptions = {}): Promise<KeyTestResult> {
    const result = await checkAndStoreKey(raw, this.o.secrets, {
      baseUrl: this.engine.settings.baseUrl,
      transport: this.o.engine?.transport ?? nodeHttpTransport,
      clock: this.o.clock ?? systemClock,
      logger: this.o.logger ?? silentLogger
    }, opts)
    if (result.ok) this.engine.resume()
    return result
  }

  /** Writes a poster the renderer made from the video and records it with the item. */
  async savePoster(id: string, bytes: Uint8Array): Promise<void> {
    await storePoster(this.engine.library, id, bytes)
    this.push('library.changed', { itemIds: [id] })
  }

  /** Where fixed (resized/cropped) copies of dropped images go. */
  get fixedImagesDir(): string {
    return join(this.o.dataDir, 'fixed-images')
  }
}
