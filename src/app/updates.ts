// The app's own updates, in plain Node: when to check, what to download, when a restart may
// install, and what to tell the person. The updater itself (electron-updater in the packaged app,
// a fake in tests) is a port; src/main/updater.ts wires the real one.
import { type MessageCode, msg } from '../shared/messages'
import type { RestartMode, RestartReply, UpdateFailure, UpdateProgress, UpdateState } from '../shared/updates'
import type { Clock, Logger, TimerHandle } from '../core/ports'

/** What the updater reports, in the order electron-updater emits it. */
export type UpdaterEvent =
  | { type: 'checking' }
  | { type: 'available'; version: string }
  | { type: 'notAvailable'; version: string }
  | ({ type: 'progress' } & UpdateProgress)
  | { type: 'downloaded'; version: string }
  | { type: 'error'; error: unknown }

/** The updater, as the controller drives it. */
export interface Updater {
  /**
   * Asks the feed; the outcome arrives as events before the promise settles. Resolves false when
   * this install cannot update itself (electron-updater's "updater is not active").
   */
  checkForUpdates(): Promise<boolean>
  /** Downloads the version the last check found; progress and the outcome arrive as events. */
  downloadUpdate(): Promise<void>
  /** Quits the app and installs the downloaded version. */
  quitAndInstall(): void
  on(listener: (event: UpdaterEvent) => void): () => void
}

/** The engine's "a video download is being written" signal. */
export interface DownloadsWriting {
  count(): number
  onChange(listener: () => void): () => void
}

export interface UpdateControllerOptions {
  /** null: this run cannot update itself (development, an unpackaged build). */
  updater: Updater | null
  currentVersion: string
  downloads: DownloadsWriting
  /** The person's setting: check (and download) on their own. On-demand checks work either way. */
  automatic: () => boolean
  clock: Clock
  logger: Logger
  /** After start, before the first automatic check (ms): start-up comes first. */
  firstCheckDelayMs?: number
  /** Between automatic checks while the app keeps running (ms). */
  recheckIntervalMs?: number
  /** After the updater was told to install: still running this long later means it did not (ms). */
  installTimeoutMs?: number
}

/**
 * How the app hands over to the installer: given the updater's quitAndInstall, it stops what must
 * stop first (the engine, the single-instance lock) and then calls it. A rejection is an install failure.
 */
export type InstallHook = (quitAndInstall: () => void) => Promise<void>

export type CheckTrigger = 'automatic' | 'manual'

const FIRST_CHECK_DELAY_MS = 10_000
const RECHECK_INTERVAL_MS = 6 * 3600_000
const INSTALL_TIMEOUT_MS = 30_000

export class UpdateController {
  private value: UpdateState
  private readonly listeners = new Set<(state: UpdateState) => void>()
  private readonly unsubscribe: (() => void)[] = []
  private trigger: CheckTrigger = 'automatic'
  /** An automatic check already failed this session: the next ones fail quietly. */
  private automaticFailed = false
  private installing = false
  private installHook: InstallHook | null = null
  private installTimer: TimerHandle | null = null
  private timer: TimerHandle | null = null
  private started = false

  constructor(private readonly o: UpdateControllerOptions) {
    this.value = {
      phase: o.updater ? 'idle' : 'unsupported',
      currentVersion: o.currentVersion,
      version: null,
      progress: null,
      failure: null,
      checkedAt: null,
      notice: false,
      restartWhenIdle: false,
      downloadsWriting: o.downloads.count()
    }
    if (o.updater) this.unsubscribe.push(o.updater.on((e) => this.onEvent(e)))
    this.unsubscribe.push(o.downloads.onChange(() => this.downloadsChanged()))
  }

  get state(): UpdateState {
    return this.value
  }

  onChange(listener: (state: UpdateState) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Plans the automatic checks: one shortly after start, then now and then (each only while the setting is on). */
  start(): void {
    if (this.started || !this.o.updater) return
    this.started = true
    this.schedule(this.o.firstCheckDelayMs ?? FIRST_CHECK_DELAY_MS)
  }

  stop(): void {
    this.started = false
    if (this.timer) this.o.clock.clearTimeout(this.timer)
    this.timer = null
    for (const off of this.unsubscribe.splice(0)) off()
  }

  /**
   * Checks the feed. `manual` (the menu, the Settings button) always reports what it found, also
   * with automatic checks off; `automatic` reports only a download ready and its first failure.
   * Resolves once the feed answered (a download found goes on in the background).
   */
  async check(trigger: CheckTrigger): Promise<UpdateState> {
    const { updater } = this.o
    if (!updater) {
      if (trigger === 'manual') this.set({ notice: true })
      return this.value
    }
    const phase = this.value.phase
    if (phase === 'checking' || phase === 'downloading' || phase === 'ready') {
      // Already under way (or done): an on-demand check shows where it is.
      if (trigger === 'manual') {
        this.trigger = 'manual'
        this.set({ notice: true })
      }
      return this.value
    }
    this.trigger = trigger
    this.set({ phase: 'checking', failure: null, progress: null, notice: trigger === 'manual' })
    try {
      const active = await updater.checkForUpdates()
      if (!active) this.set({ phase: 'unsupported' })
    } catch (err) {
      this.fail(err)
    }
    return this.value
  }

  /** "Restart to update": never while a video download is being written unless the person agreed. */
  restart(mode: RestartMode): RestartReply {
    const writing = this.o.downloads.count()
    if (mode === 'cancel') {
      this.set({ restartWhenIdle: false })
      return { restarting: false, waiting: false, downloadsWriting: writing }
    }
    if (this.value.phase !== 'ready' || !this.o.updater) return { restarting: false, waiting: false, downloadsWriting: writing }
    if (writing > 0 && mode === 'ask') return { restarting: false, waiting: false, downloadsWriting: writing }
    if (writing > 0 && mode === 'whenDownloadsFinish') {
      this.set({ restartWhenIdle: true, downloadsWriting: writing })
      return { restarting: false, waiting: true, downloadsWriting: writing }
    }
    this.install()
    return { restarting: this.installing, waiting: false, downloadsWriting: writing }
  }

  /** The shell's way to hand over to the installer (src/main: stop the engine first); null: call the updater at once. */
  setInstallHook(hook: InstallHook | null): void {
    this.installHook = hook
  }

  /** The person closed the notice: it stays closed until something new happens. */
  dismiss(): UpdateState {
    this.set({ notice: false })
    return this.value
  }

  private schedule(ms: number): void {
    if (this.timer) this.o.clock.clearTimeout(this.timer)
    this.timer = this.o.clock.setTimeout(() => {
      this.timer = null
      if (!this.started) return
      if (this.o.automatic() && this.value.phase !== 'ready') void this.check('automatic')
      this.schedule(this.o.recheckIntervalMs ?? RECHECK_INTERVAL_MS)
    }, ms)
  }

  private install(): void {
    if (this.installing || !this.o.updater) return
    this.installing = true
    this.set({ restartWhenIdle: false })
    this.o.logger.log('info', `updates: restarting to install ${this.value.version ?? 'the update'}`)
    const updater = this.o.updater
    const quitAndInstall = (): void => {
      updater.quitAndInstall()
      this.watchInstall()
    }
    const hook = this.installHook
    if (!hook) {
      try {
        quitAndInstall()
      } catch (err) {
        this.fail(err)
      }
      return
    }
    hook(quitAndInstall).catch((err: unknown) => this.fail(err))
  }

  /** The app should be gone soon after quitAndInstall; when it is not (Squirrel.Mac refused the update), Restart works again. */
  private watchInstall(): void {
    if (this.installTimer) this.o.clock.clearTimeout(this.installTimer)
    this.installTimer = this.o.clock.setTimeout(() => {
      this.installTimer = null
      if (!this.installing) return
      this.fail(Object.assign(new Error('the installer did not start'), { code: 'ERR_INSTALL_STALLED' }))
    }, this.o.installTimeoutMs ?? INSTALL_TIMEOUT_MS)
  }

  private downloadsChanged(): void {
    const writing = this.o.downloads.count()
    if (writing !== this.value.downloadsWriting) this.set({ downloadsWriting: writing })
    if (!this.value.restartWhenIdle || writing > 0) return
    // A finished download often lets the next one start at once: look again after it had its turn.
    queueMicrotask(() => {
      if (this.value.restartWhenIdle && this.o.downloads.count() === 0) this.install()
    })
  }

  private onEvent(e: UpdaterEvent): void {
    switch (e.type) {
      case 'checking':
        if (this.value.phase !== 'checking') this.set({ phase: 'checking', failure: null })
        return
      case 'available':
        this.set({ phase: 'downloading', version: e.version, checkedAt: this.o.clock.now(), progress: { percent: 0, transferred: 0, total: 0, bytesPerSecond: 0 } })
        this.o.logger.log('info', `updates: ${e.version} found, downloading`)
        this.o.updater?.downloadUpdate().catch((err: unknown) => this.fail(err))
        return
      case 'notAvailable':
        this.set({ phase: 'upToDate', version: null, progress: null, checkedAt: this.o.clock.now() })
        return
      case 'progress':
        if (this.value.phase !== 'downloading') return
        this.set({ progress: { percent: clampPercent(e.percent), transferred: e.transferred, total: e.total, bytesPerSecond: e.bytesPerSecond } })
        return
      case 'downloaded':
        this.o.logger.log('info', `updates: ${e.version} downloaded, ready to install`)
        this.set({ phase: 'ready', version: e.version, progress: null, failure: null, notice: true })
        return
      case 'error':
        this.fail(e.error)
        return
    }
  }

  /** A check, download or install failed. electron-updater reports most failures twice (event and rejection): the first counts. */
  private fail(err: unknown): void {
    const phase = this.value.phase
    // An error once the download is ready (Squirrel.Mac checks the app's signature after
    // update-downloaded) means the restart cannot install: say so rather than let Restart hang.
    const stage: UpdateFailure['stage'] | null = phase === 'checking' ? 'check' : phase === 'downloading' ? 'download' : this.installing || phase === 'ready' ? 'install' : null
    if (!stage) return
    this.installing = false
    if (this.installTimer) this.o.clock.clearTimeout(this.installTimer)
    this.installTimer = null
    const failure = updateFailure(stage, err)
    this.o.logger.log('warn', `updates: ${stage} failed: ${failure.message} (${errorText(err)})`)
    const quiet = this.trigger === 'automatic' && stage !== 'install' && this.automaticFailed
    if (this.trigger === 'automatic' && stage !== 'install') this.automaticFailed = true
    // An install that failed leaves the download in place: Restart can be tried again.
    this.set({ phase: stage === 'install' ? 'ready' : 'failed', failure, progress: null, notice: quiet ? this.value.notice : true })
  }

  private set(patch: Partial<UpdateState>): void {
    this.value = { ...this.value, ...patch }
    for (const fn of this.listeners) fn(this.value)
  }
}

function clampPercent(p: number): number {
  return Number.isFinite(p) ? Math.max(0, Math.min(100, p)) : 0
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err)
  return (text.split('\n')[0] ?? '').trim().slice(0, 300)
}

const NETWORK_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ECONNABORTED'])
const NO_FEED_CODES = new Set([
  'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND',
  'ERR_UPDATER_LATEST_VERSION_NOT_FOUND',
  'ERR_UPDATER_NO_PUBLISHED_VERSIONS',
  'ERR_UPDATER_RELEASE_NOT_FOUND',
  'ERR_UPDATER_ASSET_NOT_FOUND',
  'ERR_UPDATER_NO_FILES_PROVIDED'
])
const BAD_FEED_CODES = new Set(['ERR_UPDATER_INVALID_UPDATE_INFO', 'ERR_UPDATER_INVALID_VERSION', 'ERR_UPDATER_INVALID_RELEASE_FEED', 'ERR_UPDATER_NO_CHECKSUM'])

/** Why an update step failed, as a plain sentence with its code (electron-updater's errors carry codes, HTTP statuses or Node's errno). */
export function updateFailure(stage: UpdateFailure['stage'], err: unknown): UpdateFailure {
  const e = (err ?? {}) as { code?: unknown; statusCode?: unknown; message?: unknown }
  const code = typeof e.code === 'string' ? e.code : ''
  const text = errorText(err)
  const netError = /net::(ERR_[A-Z_]+)/.exec(typeof e.message === 'string' ? e.message : text)?.[1]
  const say = (c: MessageCode, params: Record<string, string | number> = {}): UpdateFailure => {
    const m = msg(c, params)
    return { stage, message: m.text, code: m.code, params: m.params }
  }
  if (code === 'ERR_CHECKSUM_MISMATCH' || /checksum mismatch/i.test(text)) return say('update.checksum')
  if (code === 'ERR_UPDATER_INVALID_SIGNATURE') return say('update.signature')
  if (/code signature/i.test(text)) return say('update.unsigned')
  if (NO_FEED_CODES.has(code)) return say('update.noFeed')
  if (BAD_FEED_CODES.has(code) || code.startsWith('ERR_XML_')) return say('update.badFeed')
  if (code === 'ENOSPC') return say('update.disk')
  if (code === 'ERR_INSTALL_STALLED') return say('update.installStalled')
  if (NETWORK_CODES.has(code) || netError) return say('update.offline', { detail: netError ?? code })
  if (typeof e.statusCode === 'number') return say('update.server', { status: e.statusCode })
  return say('update.other', { detail: text || 'unknown error' })
}
