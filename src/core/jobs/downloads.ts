// Fetches finished videos into the library, soonest-expiring first. A result URL that expired is
// refreshed (poll again, or the content route) before anything is called a failure; a broken
// transfer resumes where it stopped; a full disk makes the job wait, not fail.
import { msg, type Message } from '../../shared/messages'
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { adapterFor } from '../adapters'
import { DISK_CODES, diskError } from '../download/downloadError'
import { DownloadError, downloadFile, type DownloadRequest } from '../download/downloader'
import type { FinalizeInput } from '../library/library'
import type { JobState } from '../../shared/jobStates'
import type { VideoContainer } from '../../shared/library'
import { AimdLimiter, LimiterPair } from './aimdLimiter'
import type { JobRecord } from './jobStore'
import type { Poller } from './poller'
import { errorOf, type StagePorts, vendorName } from './stagePorts'

const RETRY_BACKOFF = { baseMs: 2000, capMs: 60_000 }
const DISK_WAIT_MS = 30_000
const MAX_REFRESHES = 4
const NOT_VIDEO_TRIES = 3
const PROGRESS_WRITE_MS = 1000
/** The state whose jobs this stage fetches. */
const DOWNLOADING: JobState = 'downloading'

/** What the engine's caller may change about how files are written (tests inject disk failures). */
export type DownloadHooks = Pick<DownloadRequest, 'openWrite' | 'freeSpace' | 'connectTimeoutMs' | 'idleTimeoutMs' | 'proxy'>

interface Attempt {
  failures: number
  /** Fresh links that were refused as expired the moment we used them. */
  refreshes: number
  triedContentRoute: boolean
  /** The link expired: ask for a fresh one right before the next try, not while it waits its turn. */
  refreshFirst: boolean
  /** Answers that were not a video (a web page, JSON…). */
  notVideo: number
}

/** What else happens around a download (beside the job's own transitions). */
export interface DownloadsEffects {
  /** A video is in the library (its job just completed): make its poster, off the job's lifecycle. */
  landed?(itemId: string): void
  /** How many videos are being written now changed (the app holds an update's restart for them). */
  writing?(count: number): void
}

export type DownloadsPorts = Pick<StagePorts, 'clock' | 'logger' | 'timing' | 'jobs' | 'hub' | 'client' | 'library' | 'settings' | 'lifetime'>

export class Downloads {
  private readonly limiters: LimiterPair
  private active = new Map<string, AbortController>()
  private attempts = new Map<string, Attempt>()
  private timers = new Set<ReturnType<StagePorts['clock']['setTimeout']>>()
  private notBefore = new Map<string, number>()
  private wakeTimer: ReturnType<StagePorts['clock']['setTimeout']> | null = null

  constructor(
    private readonly ctx: DownloadsPorts,
    private readonly poller: Poller,
    private readonly hooks: DownloadHooks = {},
    private readonly effects: DownloadsEffects = {}
  ) {
    const s = ctx.settings.current
    this.limiters = new LimiterPair(new AimdLimiter(s.maxConcurrentDownloads), new Map(), () => this.ctx.settings.current.maxConcurrentDownloadsPerProvider)
  }

  /** Videos being written into the library now (by this process). */
  get writing(): number {
    return this.active.size
  }

  applySettings(): void {
    const s = this.ctx.settings.current
    this.limiters.setMax(s.maxConcurrentDownloads, s.maxConcurrentDownloadsPerProvider)
    this.pump()
  }

  /** Starts downloads for `downloading` jobs, soonest-expiring result first, within the limits. */
  pump(): void {
    if (this.ctx.lifetime.stopping.aborted) return
    const now = this.ctx.clock.now()
    let nextWake = Infinity
    for (const id of this.ctx.jobs.idsBySoonestExpiry(DOWNLOADING, 500)) {
      if (!this.limiters.overall.canAcquire()) break
      if (this.active.has(id)) continue
      const wait = this.notBefore.get(id)
      if (wait && wait > now && this.ctx.timing.isPlausibleWait(wait, now)) {
        // Timers can fire a hair before the clock says so: always keep a wake-up for waiting jobs.
        nextWake = Math.min(nextWake, wait)
        continue
      }
      const rec = this.ctx.jobs.get(id)
      if (!rec || rec.view.state !== DOWNLOADING) continue
      if (!this.limiters.canAcquire(rec.view.provider)) continue
      this.limiters.acquire(rec.view.provider)
      const ac = new AbortController()
      this.active.set(id, ac)
      this.effects.writing?.(this.active.size)
      void this.run(rec, ac.signal)
        .catch((err: unknown) => {
          // A write that failed (the database locked by another program): try again shortly.
          this.ctx.logger.log('warn', `download of ${id} could not record its progress: ${err instanceof Error ? err.message : String(err)}`)
          this.later(id, 1000)
        })
        .finally(() => {
          this.active.delete(id)
          this.limiters.release(rec.view.provider, 'ok')
          this.pump()
          this.effects.writing?.(this.active.size)
        })
    }
    if (nextWake < Infinity) this.wakeAt(nextWake)
  }

  private wakeAt(at: number): void {
    if (this.wakeTimer) this.ctx.clock.clearTimeout(this.wakeTimer)
    this.wakeTimer = this.ctx.clock.setTimeout(() => {
      this.wakeTimer = null
      this.pump()
    }, Math.max(5, at - this.ctx.clock.now() + 2))
  }

  /** The person asked to download a made video again: start afresh, with a fresh link asked for first. */
  again(id: string): void {
    this.attempts.set(id, { failures: 0, refreshes: 0, triedContentRoute: false, refreshFirst: true, notVideo: 0 })
    this.notBefore.delete(id)
    this.pump()
  }

  /** Stops a download in flight (cancel, or the engine stopping); the partial file stays for resume. */
  abort(id: string): void {
    this.active.get(id)?.abort(new Error('canceled'))
  }

  stop(): void {
    for (const ac of this.active.values()) ac.abort(new Error('engine stopping'))
    for (const t of this.timers) this.ctx.clock.clearTimeout(t)
    this.timers.clear()
    if (this.wakeTimer) this.ctx.clock.clearTimeout(this.wakeTimer)
    this.wakeTimer = null
  }

  private later(id: string, ms: number): void {
    this.notBefore.set(id, this.ctx.clock.now() + ms)
    const t = this.ctx.clock.setTimeout(() => {
      this.timers.delete(t)
      this.pump()
    }, ms)
    this.timers.add(t)
  }

  private attempt(id: string): Attempt {
    let a = this.attempts.get(id)
    if (!a) {
      a = { failures: 0, refreshes: 0, triedContentRoute: false, refreshFirst: false, notVideo: 0 }
      this.attempts.set(id, a)
    }
    return a
  }

  partialPath(id: string): string {
    return join(this.ctx.library.partialDir, `${id}.part`)
  }

  private async source(rec: JobRecord, a: Attempt): Promise<{ url: string; headers?: Record<string, string>; viaContent: boolean }> {
    const adapter = adapterFor(rec.view.provider)
    const useContent = (rec.resultUrls.length === 0 || a.triedContentRoute) && !!adapter.contentRequest
    if (useContent) {
      const req = adapter.contentRequest!(rec.view.remoteId!, rec.view.spec)
      return { ...(await this.ctx.client.authorizedSource(req.path, rec.view.keyId)), viaContent: true }
    }
    if (!rec.resultUrls.length) throw new DownloadError('The provider reported the video finished but gave no link to it.', 'http', false)
    return { url: rec.resultUrls[0], viaContent: false }
  }

  /** Asks the provider again for fresh result links (they are signed and expire). */
  private async refresh(rec: JobRecord, signal: AbortSignal): Promise<JobRecord> {
    const result = await this.poller.fetchState(rec, signal)
    if (result.state === 'succeeded' && result.resultUrls.length) {
      this.ctx.hub.transition(rec.view.id, 'download.progress', { resultUrls: result.resultUrls, resultExpiresAt: result.expiresAt })
    }
    return this.ctx.jobs.get(rec.view.id) ?? rec
  }

  private async run(initial: JobRecord, signal: AbortSignal): Promise<void> {
    const { ctx } = this
    let rec = initial
    const id = rec.view.id
    const a = this.attempt(id)
    const library = ctx.library
    let freshLink = false
    try {
      const done = library.getByJob(id)
      if (done && existsSync(library.absolutePath(done))) {
        this.complete(rec, done.id, done.fileName)
        return
      }
      if (!library.ensureRoot()) {
        throw new DownloadError(
          `The library folder ${library.root} is missing (deleted, moved, or on a disk that is not connected). Put it back or choose another library folder in Settings; the download waits until then.`,
          'disk',
          true,
          { code: 'ENOENT' }
        )
      }
      const recovered = this.recoverFinalized(rec)
      if (recovered) return
      if (rec.resultUrls.length && (a.refreshFirst || (rec.resultExpiresAt && rec.resultExpiresAt < ctx.clock.now() + 15_000))) {
        rec = await this.refresh(rec, signal)
        a.refreshFirst = false
        freshLink = true
      }
      const src = await this.source(rec, a)
      let lastWrite = 0
      const result = await downloadFile({
        ...this.hooks,
        url: src.url,
        headers: src.headers,
        apiBaseUrl: ctx.settings.current.baseUrl,
        partialPath: this.partialPath(id),
        signal,
        onProgress: (received, total) => {
          const now = ctx.clock.now()
          if (now - lastWrite >= PROGRESS_WRITE_MS) {
            lastWrite = now
            ctx.hub.transition(id, 'download.progress', { downloadedBytes: received, downloadTotal: total })
          }
        }
      })
      const item = library.finalize(this.finalizeInput(rec, { container: result.container, bytes: result.bytes, completedAt: ctx.clock.now() }))
      ctx.hub.transition(id, 'download.progress', { downloadedBytes: result.bytes, downloadTotal: result.bytes })
      this.complete(rec, item.id, item.fileName)
    } catch (err) {
      this.onError(rec, a, err, signal, freshLink)
    }
  }

  /** After a crash between moving the file into the library and indexing it, finish the job from disk. */
  private recoverFinalized(rec: JobRecord): boolean {
    const library = this.ctx.library
    const id = rec.view.id
    if (existsSync(this.partialPath(id))) return false
    const name = library.reservedName(id)
    if (!name || rec.view.downloadTotal == null) return false
    const abs = join(library.root, name)
    if (!existsSync(abs) || statSync(abs).size !== rec.view.downloadTotal) return false
    const container = name.endsWith('.webm') ? 'webm' : name.endsWith('.mov') ? 'mov' : 'mp4'
    const item = library.finalize(this.finalizeInput(rec, { fileName: name, container, bytes: rec.view.downloadTotal }))
    this.complete(rec, item.id, item.fileName)
    return true
  }

  /** What the library keeps of a finished job. */
  private finalizeInput(rec: JobRecord, file: { container: VideoContainer; bytes: number; fileName?: string; completedAt?: number }): FinalizeInput {
    const v = rec.view
    return {
      jobId: v.id,
      partialPath: this.partialPath(v.id),
      spec: v.spec,
      provider: v.provider,
      vendor: v.vendor,
      remoteId: v.remoteId,
      parentId: v.parentId,
      lineage: v.lineage,
      estimatedCost: v.estimatedCost,
      createdAt: v.createdAt,
      ...file
    }
  }

  private complete(rec: JobRecord, itemId: string, fileName: string): void {
    const { ctx } = this
    this.attempts.delete(rec.view.id)
    this.notBefore.delete(rec.view.id)
    ctx.hub.transition(rec.view.id, 'download.done', { libraryItemId: itemId, fileName, note: null, error: null })
    ctx.hub.emit({ type: 'library.changed', itemIds: [itemId] })
    this.effects.landed?.(itemId)
  }

  private onError(rec: JobRecord, a: Attempt, err: unknown, signal: AbortSignal, freshLink: boolean): void {
    const { ctx } = this
    const id = rec.view.id
    if (signal.aborted) return
    // Moving the file into the library or writing its sidecar can meet a full or read-only disk too.
    const errno = (err as NodeJS.ErrnoException | null)?.code
    const de = err instanceof DownloadError ? err : errno && DISK_CODES.has(errno) ? diskError(err as NodeJS.ErrnoException) : null
    const message = de?.message ?? (err instanceof Error ? err.message : String(err))
    ctx.logger.log('warn', `download of ${id} failed: ${de?.kind ?? 'error'}: ${message}`)
    const fail = (m: Message): void => {
      this.attempts.delete(id)
      ctx.hub.transition(id, 'download.failed', { error: errorOf('download', m, true) })
    }
    if (de?.kind === 'expired') {
      // A link that went stale while it waited for its turn is normal; a fresh one refused at once is a strike.
      if (freshLink) a.refreshes++
      if (a.refreshes >= MAX_REFRESHES) {
        if (!a.triedContentRoute && adapterFor(rec.view.provider).contentRequest) {
          a.triedContentRoute = true
          this.later(id, 100)
          return
        }
        fail(msg('download.linkKeptExpiring', { vendor: vendorName(rec) }))
        return
      }
      a.refreshFirst = true
      ctx.hub.transition(id, 'download.progress', { note: msg('download.linkExpired') })
      this.later(id, a.refreshes ? ctx.timing.retryDelay(a.refreshes, RETRY_BACKOFF, undefined, 500) : 100)
      return
    }
    if (de?.kind === 'not_video') {
      if (!a.triedContentRoute && adapterFor(rec.view.provider).contentRequest) {
        a.triedContentRoute = true
        this.later(id, 100)
        return
      }
      // One web page instead of the video can be a passing CDN error or a Wi-Fi login page: try again first.
      if (++a.notVideo < NOT_VIDEO_TRIES) {
        a.refreshFirst = !a.triedContentRoute
        ctx.hub.transition(id, 'download.progress', { note: msg('download.notVideoRetry', { detail: message }) })
        this.later(id, ctx.timing.retryDelay(a.notVideo, RETRY_BACKOFF, undefined, 500))
        return
      }
      fail(msg('download.notVideo', { detail: message, remoteId: rec.view.remoteId ?? '' }))
      return
    }
    if (de?.kind === 'too_large' || de?.kind === 'refused') {
      fail(msg('download.failed', { detail: message }))
      return
    }
    if (de?.kind === 'disk') {
      ctx.hub.transition(id, 'download.progress', { note: msg('download.waiting', { detail: message }) })
      this.later(id, ctx.timing.wait(DISK_WAIT_MS))
      return
    }
    a.failures++
    const delay = ctx.timing.retryDelay(a.failures, RETRY_BACKOFF, undefined, 500)
    // A proxy's failure says so itself, naming the proxy, in the person's language.
    ctx.hub.transition(id, 'download.progress', { note: de?.sentence ?? msg('download.interrupted', { detail: message, seconds: Math.ceil(delay / 1000) }) })
    this.later(id, delay)
  }
}
