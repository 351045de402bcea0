// The app's services around the engine: what the desktop shell and the browser test host both run.
// Plain Node: no electron import here (the shell passes its OS actions in as ShellPorts).
import { join } from 'node:path'
import type { EventChannel, EventOf } from '../shared/ipc/contract'
import { ACTIVE_STATES } from '../shared/jobStates'
import type { AppNavigation } from '../shared/navigation'
import type { KeyTestResult } from '../shared/keys'
import { Engine, type EngineOptions } from '../core/engine'
import { type Clock, type Logger, silentLogger, systemClock, type TimerHandle } from '../core/ports'
import { ffmpegPosterFrames, type PosterFrames } from '../core/library/posterFrames'
import { storePoster } from '../core/library/posters'
import { checkAndStoreKey } from '../core/secrets/keyCheck'
import type { SecretBackend, SecretStore, SetKeyOptions } from '../core/secrets/secretStore'
import { KeyVault } from '../core/secrets/keyVault'
import type { DragRef, KeyAddReply, KeyRemoveReply } from '../shared/ipc/contract'
import { DEFAULT_KEY_ID, type KeyProfile } from '../shared/keys'
import type { ProxyPorts } from '../core/http/proxy'
import { ProxyCredentialStore } from '../core/secrets/proxyCredentials'
import { ChosenFiles } from './chosenFiles'
import { ProxyService } from './proxyService'
import { dragFileFor, type DragFile } from './dragOut'
import { mainLanguage, type MainLang } from './mainTexts'
import { NotificationPolicy, type NotificationPolicyOptions } from './notificationPolicy'
import { EventCoalescer } from './eventCoalescer'
import { installedFfmpeg } from './ffmpegBinaries'
import { ImageTokens } from './fileInspector'
import type { MediaSources } from './mediaServer'
import type { ShellPorts } from './shellPorts'
import { UpdateController, type Updater } from './updates'
import type { WatchTiming } from '../core/watch/folderWatch'
import { WatchService } from '../core/watch/watchService'

export interface StudioOptions {
  dataDir: string
  defaultLibraryDir: string
  /** The default key's store (COMETAPI_KEY, then the keychain entry the one key always had). */
  secrets: SecretStore
  /** Where each other named key may be kept (keychain entry, fallback file). Absent: nowhere, so only the default key. */
  keyBackendsFor?: (profileId: string) => SecretBackend[]
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
  /** The app's own updater (electron-updater in the packaged app); absent or null: this run cannot update itself. */
  updater?: Updater | null
  /** How long a notification waits for more of its kind (tests shorten it). */
  notificationTiming?: NotificationPolicyOptions
  /** When the automatic update checks run (tests shorten them). */
  updateTiming?: { firstCheckDelayMs?: number; recheckIntervalMs?: number }
  /** The environment's and the system's proxy, and where the manual proxy's credentials are kept. */
  proxy?: StudioProxyOptions
  /** How long a watched folder's new file must stay unchanged, and the retry waits (tests shorten them). */
  watchTiming?: Partial<WatchTiming>
}

export interface StudioProxyOptions extends Omit<ProxyPorts, 'credentials'> {
  credentials?: ProxyCredentialStore
}

type Listener = <E extends EventChannel>(event: E, payload: EventOf<E>) => void

export class Studio {
  readonly engine: Engine
  readonly tokens = new ImageTokens()
  /** What the person chose in the app this session (drops, pickers, main's folder dialog). */
  readonly chosen = new ChosenFiles()
  readonly coalescer: EventCoalescer
  /** The keys themselves, one store per named key. */
  readonly keys: KeyVault
  /** The app's own updates: checks, the download, "restart to update". */
  readonly updates: UpdateController
  /** The proxy setting and its credentials (src/app/proxyService.ts). */
  readonly proxy: ProxyService
  /** The watched folders (src/core/watch): started with the engine, stopped before it. */
  readonly watchers: WatchService
  private watchPush: TimerHandle | null = null
  private listeners = new Set<Listener>()
  /** When the OS is told what happened (src/app/notificationPolicy.ts). */
  private readonly notices: NotificationPolicy
  private noticeTimer: TimerHandle | null = null
  private noticeDueAt: number | null = null

  constructor(readonly o: StudioOptions) {
    const proxyCredentials = o.proxy?.credentials ?? new ProxyCredentialStore({ backends: [] })
    this.keys = new KeyVault({ defaultStore: o.secrets, backendsFor: o.keyBackendsFor ?? (() => []) })
    this.engine = new Engine({
      dataDir: o.dataDir,
      defaultLibraryDir: o.defaultLibraryDir,
      keys: this.keys,
      logger: o.logger ?? silentLogger,
      clock: o.clock ?? systemClock,
      posterFrames: (o.posterFrames === undefined ? ffmpegPosterFrames(installedFfmpeg()) : o.posterFrames) ?? undefined,
      proxy: { environment: o.proxy?.environment, system: o.proxy?.system, credentials: proxyCredentials },
      ...o.engine
    })
    this.proxy = new ProxyService(this.engine, proxyCredentials, () => this.push('settings.changed', this.engine.settings))
    this.coalescer = new EventCoalescer((event, payload) => this.push(event, payload), o.pushIntervalMs ?? 250)
    this.watchers = new WatchService({ engine: this.engine, clock: o.clock ?? systemClock, logger: o.logger ?? silentLogger, timing: o.watchTiming })
    this.watchers.on(() => this.scheduleWatchPush())
    this.updates = new UpdateController({
      updater: o.updater ?? null,
      currentVersion: o.version,
      downloads: { count: () => this.engine.downloadsWriting(), onChange: (fn) => this.engine.onDownloadsWriting(fn) },
      automatic: () => this.engine.settings.autoUpdate,
      clock: o.clock ?? systemClock,
      logger: o.logger ?? silentLogger,
      ...o.updateTiming
    })
    this.updates.onChange((state) => this.push('updates.changed', state))
    this.notices = new NotificationPolicy({ jobsOfBatch: (batchId) => this.engine.listJobs({ batchId }) }, o.notificationTiming)
    this.notices.prime(this.engine.listJobs({ states: ACTIVE_STATES }))
    this.engine.on((e) => {
      this.coalescer.handle(e)
      this.notices.observe(e, this.clock.now())
      this.scheduleNotices()
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
    this.watchers.start()
    this.updates.start()
  }

  async stop(): Promise<void> {
    // No new jobs from watched folders while the engine stops (a file being sent finishes first).
    await this.watchers.stop()
    if (this.watchPush) this.clock.clearTimeout(this.watchPush)
    this.watchPush = null
    this.updates.stop()
    if (this.noticeTimer) this.clock.clearTimeout(this.noticeTimer)
    this.noticeTimer = null
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

  private get clock(): Clock {
    return this.o.clock ?? systemClock
  }

  /** The language the desktop speaks outside the page (notifications, tray, menu): the person's setting. */
  get lang(): MainLang {
    return mainLanguage(this.engine.settings.language, this.o.systemLocale)
  }

  /** Asks the page to show a screen (a notification clicked, a menu command). */
  navigate(to: AppNavigation): void {
    this.push('app.navigate', to)
  }

  /** The video (and its poster) to drag out of the window for a job or library item; null when there is none to give. */
  dragFile(ref: DragRef): Promise<DragFile | null> {
    return dragFileFor({ libraryRoot: () => this.engine.library.root, job: (id) => this.engine.getJob(id), item: (id) => this.engine.library.get(id) }, ref)
  }

  /** The watched folders' list for the page, at most a few times a second. */
  private scheduleWatchPush(): void {
    if (this.watchPush) return
    this.watchPush = this.clock.setTimeout(() => {
      this.watchPush = null
      this.push('watch.changed', this.watchers.list())
    }, this.o.pushIntervalMs ?? 250)
  }

  /** Wakes when the next notification is due (it waits a moment for more of its kind). */
  private scheduleNotices(): void {
    const at = this.notices.nextDueAt()
    if (at === this.noticeDueAt) return
    if (this.noticeTimer) this.clock.clearTimeout(this.noticeTimer)
    this.noticeTimer = null
    this.noticeDueAt = at
    if (at === null) return
    this.noticeTimer = this.clock.setTimeout(() => {
      this.noticeTimer = null
      this.noticeDueAt = null
      this.flushNotices()
    }, Math.max(0, at - this.clock.now()))
  }

  private flushNotices(): void {
    const ctx = { enabled: this.engine.settings.notifications, focused: this.o.shell.isWindowFocused?.() ?? false, lang: this.lang }
    for (const n of this.notices.due(this.clock.now(), ctx)) this.o.shell.notify(n.title, n.body, () => this.navigate(n.target))
    this.scheduleNotices()
  }

  /** Checks a key against the API (an authenticated list call), then stores it (as the named key `keyId`, default: 'default'). */
  async setKey(raw: string, opts: SetKeyOptions = {}, keyId: string = DEFAULT_KEY_ID): Promise<KeyTestResult> {
    const profile = this.engine.findKey(keyId)
    const result = await checkAndStoreKey(raw, this.keys.store(profile.id), this.keyCheckPorts(), opts)
    if (result.ok) this.engine.resume()
    return result
  }

  private keyCheckPorts(): Parameters<typeof checkAndStoreKey>[2] {
    return {
      baseUrl: this.engine.settings.baseUrl,
      transport: this.engine.transport,
      clock: this.o.clock ?? systemClock,
      logger: this.o.logger ?? silentLogger
    }
  }

  /** Every named key with where it is kept (never the key), today's spend and unfinished jobs. */
  async listKeys(): Promise<KeyProfile[]> {
    return Promise.all(this.engine.keys().map(async (k) => ({ ...k, status: await this.keys.store(k.id).status() })))
  }

  /** A new named key: the label is checked first, the key tested against the API, then stored; only then does the profile exist. */
  async addKey(label: string, raw: string, opts: SetKeyOptions = {}): Promise<KeyAddReply> {
    const { id, label: clean } = this.engine.prepareKey(label)
    const result = await checkAndStoreKey(raw, this.keys.store(id), this.keyCheckPorts(), opts)
    if (!result.ok) {
      await this.keys.forget(id).catch(() => undefined)
      return { result, profile: null }
    }
    this.engine.addKey(id, clean)
    const profile = (await this.listKeys()).find((k) => k.id === id) ?? null
    return { result, profile }
  }

  /** Removes a named key and its secret; with unfinished jobs it asks first (nothing removed without `force`). */
  async removeKey(id: string, force = false): Promise<KeyRemoveReply> {
    const r = this.engine.removeKey(id, force)
    if (r.removed) await this.keys.forget(id)
    return { removed: r.removed, inFlight: r.inFlight, question: r.question ? { text: r.question.text, code: r.question.code, params: r.question.params ?? {} } : null }
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
