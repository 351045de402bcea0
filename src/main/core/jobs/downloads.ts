// Fetches finished videos into the library, soonest-expiring first. A result URL that expired is
// refreshed (poll again, or the content route) before anything is called a failure; a broken
// transfer resumes where it stopped; a full disk makes the job wait, not fail.
import { msg, type Message } from '../../../shared/messages'
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { adapterFor } from '../adapters'
import { DISK_CODES, diskError } from '../download/downloadError'
import { DownloadError, downloadFile, type DownloadRequest } from '../download/downloader'
import type { KeySource } from '../http/cometClient'
import { AimdLimiter, LimiterPair } from './aimdLimiter'
import { type EngineContext, errorOf, isPlausibleWait, retryDelay, vendorName } from './engineContext'
import type { JobRecord } from './jobStore'
import type { Poller } from './poller'

const RETRY_BACKOFF = { baseMs: 2000, capMs: 60_000 }
const DISK_WAIT_MS = 30_000
const MAX_REFRESHES = 4
const NOT_VIDEO_TRIES = 3
const PROGRESS_WRITE_MS = 1000

/** What the engine's caller may change about how files are written (tests inject disk failures). */
export type DownloadHooks = Pick<DownloadRequest, 'openWrite' | 'freeSpace' | 'connectTimeoutMs' | 'idleTimeoutMs'>

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

export class Downloads {
  readonly limiters: LimiterPair
  private active = new Map<string, AbortController>()
  private attempts = new Map<string, Attempt>()
  private timers = new Set<ReturnType<EngineContext['clock']['setTimeout']>>()
  private notBefore = new Map<string, number>()
  private wakeTimer: ReturnType<EngineContext['clock']['setTimeout']> | null = null

  constructor(
    private readonly ctx: EngineContext,
    private readonly poller: Poller,
    private readonly keys: KeySource,
    private readonly hooks: DownloadHooks = {}
  ) {
    const s = ctx.settings()
    this.limiters = new LimiterPair(new AimdLimiter(s.maxConcurrentDownloads), new Map(), () => this.ctx.settings().maxConcurrentDownloadsPerProvider)
  }

  get activeCount(): number {
    return this.active.size
  }

  applySettings(): void {
    const s = this.ctx.settings()
    this.limiters.setMax(s.maxConcurrentDownloads, s.maxConcurrentDownloadsPerProvider)
    this.pump()
  }

  /** Starts downloads for `downloading` jobs, soonest-expiring result first, within the limits. */
  pump(): void {
    if (this.ctx.signal().aborted) return
    const now = this.ctx.clock.now()
    const rows = this.ctx.store.db
      .prepare(
        "SELECT id FROM jobs WHERE state = 'downloading' ORDER BY COALESCE(result_expires_at, remote_done_at + 3600000, updated_at + 3600000) ASC LIMIT 500"
      )
      .all() as { id: string }[]
    let nextWake = Infinity
    for (const { id } of rows) {
      if (!this.limiters.overall.canAcquire()) break
      if (this.active.has(id)) continue
      const wait = this.notBefore.get(id)
      if (wait && wait > now && isPlausibleWait(this.ctx, wait, now)) {
        // Timers can fire a hair before the clock says so: always keep a wake-up for waiting jobs.
        nextWake = Math.min(nextWake, wait)
        continue
      }
      const rec = this.ctx.store.get(id)
      if (!rec || rec.view.state !== 'downloading') continue
      if (!this.limiters.canAcquire(rec.view.provider)) continue
      this.limiters.acquire(rec.view.provider)
      const ac = new AbortController()
      this.active.set(id, ac)
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
    return join(this.ctx.library().partialDir, `${id}.part`)
  }

  private async source(rec: JobRecord, a: Attempt): Promise<{ url: string; headers?: Record<string, string>; viaContent: boolean }> {
    const adapter = adapterFor(rec.view.provider)
    const useContent = (rec.resultUrls.length === 0 || a.triedContentRoute) && !!adapter.contentRequest
    if (useContent) {
      const req = adapter.contentRequest!(rec.view.remoteId!, rec.view.spec)
      const key = await this.keys.getKey()
      return { url: this.ctx.client.baseUrl + req.path, headers: key ? { authorization: `Bearer ${key}` } : undefined, viaContent: true }
    }
    if (!rec.resultUrls.length) throw new DownloadError('The provider reported the video finished but gave no link to it.', 'http', false)
    return { url: rec.resultUrls[0], viaContent: false }
  }

  /** Asks the provider again for fresh result links (they are signed and expire). */
  private async refresh(rec: JobRecord, signal: AbortSignal): Promise<JobRecord> {
    const result = await this.poller.fetchState(rec, signal)
    if (result.state === 'succeeded' && result.resultUrls.length) {
      this.ctx.patch(rec.view.id, { resultUrls: result.resultUrls, resultExpiresAt: result.expiresAt }, ['downloading'])
    }
    return this.ctx.store.get(rec.view.id) ?? rec
  }

  private async run(initial: JobRecord, signal: AbortSignal): Promise<void> {
    const { ctx } = this
    let rec = initial
    const id = rec.view.id
    const a = this.attempt(id)
    const library = ctx.library()
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
        partialPath: this.partialPath(id),
        signal,
        onProgress: (received, total) => {
          const now = ctx.clock.now()
          if (now - lastWrite >= PROGRESS_WRITE_MS) {
            lastWrite = now
            ctx.patch(id, { downloadedBytes: received, downloadTotal: total }, ['downloading'])
          }
        }
      })
      const item = library.finalize({
        jobId: id,
        partialPath: this.partialPath(id),
        spec: rec.view.spec,
        provider: rec.view.provider,
        vendor: rec.view.vendor,
        remoteId: rec.view.remoteId,
        parentId: rec.view.parentId,
        lineage: rec.view.lineage,
        estimatedCost: rec.view.estimatedCost,
        createdAt: rec.view.createdAt,
        completedAt: ctx.clock.now(),
        container: result.container,
        bytes: result.bytes
      })
      ctx.patch(id, { downloadedBytes: result.bytes, downloadTotal: result.bytes }, ['downloading'])
      this.complete(rec, item.id, item.fileName)
    } catch (err) {
      this.onError(rec, a, err, signal, freshLink)
    }
  }

  /** After a crash between moving the file into the library and indexing it, finish the job from disk. */
  private recoverFinalized(rec: JobRecord): boolean {
    const library = this.ctx.library()
    const id = rec.view.id
    if (existsSync(this.partialPath(id))) return false
    const name = library.reservedName(id)
    if (!name || rec.view.downloadTotal == null) return false
    const abs = join(library.root, name)
    if (!existsSync(abs) || statSync(abs).size !== rec.view.downloadTotal) return false
    const container = name.endsWith('.webm') ? 'webm' : name.endsWith('.mov') ? 'mov' : 'mp4'
    const item = library.finalize({
      jobId: id,
      partialPath: this.partialPath(id),
      fileName: name,
      spec: rec.view.spec,
      provider: rec.view.provider,
      vendor: rec.view.vendor,
      remoteId: rec.view.remoteId,
      parentId: rec.view.parentId,
      lineage: rec.view.lineage,
      estimatedCost: rec.view.estimatedCost,
      createdAt: rec.view.createdAt,
      container,
      bytes: rec.view.downloadTotal
    })
    this.complete(rec, item.id, item.fileName)
    return true
  }

  private complete(rec: JobRecord, itemId: string, fileName: string): void {
    const { ctx } = this
    this.attempts.delete(rec.view.id)
    this.notBefore.delete(rec.view.id)
    ctx.patch(rec.view.id, { state: 'completed', libraryItemId: itemId, fileName, completedAt: ctx.clock.now(), note: null, error: null }, ['downloading'])
    ctx.emit({ type: 'library.changed', itemIds: [itemId] })
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
      ctx.patch(id, { state: 'failed', error: errorOf('download', m, true) }, ['downloading'])
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
      ctx.patch(id, { note: msg('download.linkExpired') }, ['downloading'])
      this.later(id, a.refreshes ? retryDelay(ctx, a.refreshes, RETRY_BACKOFF, undefined, 500) : 100)
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
        ctx.patch(id, { note: msg('download.notVideoRetry', { detail: message }) }, ['downloading'])
        this.later(id, retryDelay(ctx, a.notVideo, RETRY_BACKOFF, undefined, 500))
        return
      }
      fail(msg('download.notVideo', { detail: message, remoteId: rec.view.remoteId ?? '' }))
      return
    }
    if (de?.kind === 'too_large') {
      fail(msg('download.failed', { detail: message }))
      return
    }
    if (de?.kind === 'disk') {
      ctx.patch(id, { note: msg('download.waiting', { detail: message }) }, ['downloading'])
      this.later(id, DISK_WAIT_MS * ctx.backoffScale)
      return
    }
    a.failures++
    const delay = retryDelay(ctx, a.failures, RETRY_BACKOFF, undefined, 500)
    ctx.patch(id, { note: msg('download.interrupted', { detail: message, seconds: Math.ceil(delay / 1000) }) }, ['downloading'])
    this.later(id, delay)
  }
}
