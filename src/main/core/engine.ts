// The video engine: plain Node, ports injected. The desktop shell, the CLI and the tests all
// drive this one class. Every job is written to SQLite before its first network call.
import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import {
  ACTIVE_STATES, type EngineEvent, type EnginePause, type EngineStatus, type JobSpec, type JobState, type JobView, type Lineage, type ProviderFamily
} from '../../shared/jobs'
import { msg, type Message } from '../../shared/messages'
import type { FieldError } from '../../shared/modelTypes'
import type { Settings } from '../../shared/settings'
import type { SpendSummary } from '../../shared/spend'
import { estimateCost } from '../../shared/validation'
import { adapterFor } from './adapters'
import { Catalog } from './catalog/catalog'
import { openDatabase, type Db } from './db/database'
import { CometClient, type KeySource } from './http/cometClient'
import { RequestBudget } from './http/requestBudget'
import { nodeHttpTransport, type HttpTransport } from './http/transport'
import { ImageReadError, probeImage } from './images/imageProbe'
import { type DownloadHooks, Downloads } from './jobs/downloads'
import { DurationModel } from './jobs/durationModel'
import { type EngineContext, newId } from './jobs/engineContext'
import { EngineLock } from './jobs/engineLock'
import { JobStore, type JobRecord, type JobUpdate } from './jobs/jobStore'
import { Poller, type PollTuning } from './jobs/poller'
import { dayKey, SpendLedger } from './jobs/spendLedger'
import { Submitter } from './jobs/submitter'
import { sweepLeftovers } from './library/leftovers'
import { Library } from './library/library'
import { type Clock, type Logger, sharedAbortController, silentLogger, systemClock } from './ports'
import { SettingsStore } from './settings/settingsStore'

export interface EngineOptions {
  /** Holds studio.db and the catalog cache. */
  dataDir: string
  /** Library folder used until the user picks one. Default `<dataDir>/library`. */
  defaultLibraryDir?: string
  keys: KeySource
  transport?: HttpTransport
  clock?: Clock
  logger?: Logger
  /** Applied on top of stored settings for this process only (tests, CLI flags). */
  settingsOverrides?: Partial<Settings>
  /** Median seconds assumed for a model with no history (tests use short ones). */
  durationPriorSeconds?: (model: string) => number | undefined
  pollTuning?: PollTuning
  catalogOverrides?: Record<string, ProviderFamily>
  /** `observer` never runs jobs (a CLI watching the app). Default `auto`: run them when no one else does. */
  role?: 'auto' | 'observer'
  /** How often to look for changes made by another process (ms). */
  watchIntervalMs?: number
  /** How long stop() waits for creates in flight before abandoning them (ms). */
  stopGraceMs?: number
  /** Multiplies every retry wait (tests use a small value; Retry-After is scaled too). */
  backoffScale?: number
  /** How downloads open and check files (tests inject a full or read-only disk). */
  downloadHooks?: DownloadHooks
}

export interface CreateJobsInput {
  specs: JobSpec[]
  batchId?: string | null
  parentId?: string | null
  lineage?: Lineage | null
  /** The user confirmed spending above the daily cap. */
  confirmOverBudget?: boolean
}

export type CreateJobsResult =
  | { ok: true; jobs: JobView[]; held: boolean; estimate: number | null; note: string | null }
  | { ok: false; errors: { index: number; errors: FieldError[] }[] }

export interface JobListQuery {
  states?: JobState[]
  batchId?: string
  ids?: string[]
  limit?: number
  offset?: number
  order?: 'asc' | 'desc'
}

export class EngineError extends Error {
  constructor(
    message: string,
    readonly code: 'not_found' | 'bad_state' | 'validation' | 'unsupported'
  ) {
    super(message)
    this.name = 'EngineError'
  }
}

export class Engine {
  readonly db: Db
  readonly store: JobStore
  readonly catalog: Catalog
  readonly client: CometClient
  readonly settingsStore: SettingsStore
  readonly ledger: SpendLedger
  readonly durations: DurationModel
  private readonly clock: Clock
  private readonly logger: Logger
  private readonly budget: RequestBudget
  private readonly lock: EngineLock
  private readonly ctx: EngineContext
  private readonly submitter: Submitter
  private readonly poller: Poller
  private readonly downloads: Downloads
  private listeners = new Set<(e: EngineEvent) => void>()
  private current: Settings
  private lib: Library
  private role: EngineStatus['role'] = 'stopped'
  private paused: EnginePause | null = null
  private stopCtl = sharedAbortController()
  private createCtl = sharedAbortController()
  private seenRev = new Map<string, number>()
  private lastRev = 0
  private watchTimer: ReturnType<typeof setInterval> | null = null
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null
  private readonly dbFile: string
  private readonly dbIdentity: string | null
  /** The database file was deleted while open: keep writing the open copy back to its place. */
  private dbOrphaned = false
  private mirroring: Promise<void> | null = null

  constructor(private readonly o: EngineOptions) {
    this.clock = o.clock ?? systemClock
    this.logger = o.logger ?? silentLogger
    mkdirSync(o.dataDir, { recursive: true })
    this.dbFile = join(o.dataDir, 'studio.db')
    this.db = openDatabase(this.dbFile)
    this.dbIdentity = fileIdentity(this.dbFile)
    this.settingsStore = new SettingsStore(this.db, o.defaultLibraryDir ?? join(o.dataDir, 'library'))
    this.current = { ...this.settingsStore.get(), ...o.settingsOverrides }
    this.lib = new Library(this.db, this.current.libraryDir, this.clock)
    this.store = new JobStore(this.db, () => this.lib.root, join)
    this.ledger = new SpendLedger(this.db)
    this.durations = new DurationModel({ priorSeconds: o.durationPriorSeconds })
    this.loadDurations()
    this.budget = new RequestBudget(this.clock, this.current.requestsPerSecond)
    this.client = new CometClient({
      baseUrl: () => this.current.baseUrl,
      keys: o.keys,
      transport: o.transport ?? nodeHttpTransport,
      clock: this.clock,
      budget: this.budget,
      logger: this.logger
    })
    this.catalog = new Catalog({
      client: this.client,
      cacheFile: join(o.dataDir, 'catalog.json'),
      clock: this.clock,
      logger: this.logger,
      overrides: o.catalogOverrides
    })
    this.catalog.onChange(() => this.emit({ type: 'catalog.changed' }))
    this.lock = new EngineLock(this.db, newId('e', Date.now()), () => this.clock.now())
    this.ctx = {
      clock: this.clock,
      logger: this.logger,
      store: this.store,
      client: this.client,
      catalog: this.catalog,
      library: () => this.lib,
      ledger: this.ledger,
      durations: this.durations,
      settings: () => this.current,
      emit: (e) => this.emit(e),
      emitJob: (id) => this.emitJob(id),
      patch: (id, changes, expect) => this.patch(id, changes, expect),
      pause: (kind, message) => this.pause(kind, message),
      isPaused: () => this.paused !== null,
      signal: () => this.stopCtl.signal,
      backoffScale: o.backoffScale ?? 1,
      createSignal: () => this.createCtl.signal
    }
    this.poller = new Poller(this.ctx, this.budget, { onSucceeded: () => this.downloads.pump() }, o.pollTuning)
    this.downloads = new Downloads(this.ctx, this.poller, o.keys, o.downloadHooks)
    this.submitter = new Submitter(this.ctx, { onSubmitted: (rec) => this.poller.track(rec) })
  }

  get library(): Library {
    return this.lib
  }

  get settings(): Settings {
    return this.current
  }

  // ---- lifecycle -------------------------------------------------------------------------

  /** Starts running jobs (or watching the process that does). Resumes everything unfinished. */
  start(): void {
    if (this.role !== 'stopped') return
    this.stopCtl = sharedAbortController()
    this.createCtl = sharedAbortController()
    this.lastRev = this.store.maxRev()
    if (this.o.role !== 'observer' && this.lock.tryAcquire()) this.becomeOwner()
    else this.role = 'observer'
    const interval = this.o.watchIntervalMs ?? 500
    this.watchTimer = setInterval(() => this.watch(), interval)
    this.watchTimer.unref?.()
    this.heartbeatTimer = setInterval(() => this.heartbeat(), 2000)
    this.heartbeatTimer.unref?.()
    this.catalog.refreshInBackground()
    this.emitStatus()
  }

  private becomeOwner(): void {
    this.role = 'owner'
    this.logger.log('info', 'engine: running jobs in this process')
    this.poller.start()
    this.lib.ensureRoot()
    // A crash can leave a sidecar's temporary file, or the partial download of a job that ended.
    const swept = sweepLeftovers(this.lib.root, (id) => this.store.get(id)?.view.state === 'downloading')
    if (swept.temporaryFiles || swept.partials) {
      this.logger.log('info', `library: removed ${swept.temporaryFiles} temporary file(s) and ${swept.partials} unneeded partial download(s)`)
    }
    const now = this.clock.now()
    for (const rec of this.store.query({ states: [...ACTIVE_STATES] })) this.poller.remember(rec.view.id, now - rec.view.createdAt)
    // Creates interrupted by a crash or quit: resolve without sending them again.
    for (const rec of this.store.query({ states: ['submitting'] })) void this.submitter.resolveOrphan(rec)
    for (const rec of this.store.query({ states: ['submitted', 'running'] })) this.poller.track(rec)
    this.downloads.pump()
    this.submitter.pump()
  }

  private heartbeat(): void {
    this.watchDatabaseFile()
    // The model list goes stale (models come and go): refresh it now and then, quietly.
    this.catalog.refreshInBackground()
    if (this.o.role === 'observer') return
    try {
      if (this.role === 'owner') {
        if (!this.lock.heartbeat()) {
          this.logger.log('warn', 'engine: another process took over running jobs')
          this.demote()
        } else {
          this.submitter.resolveStuck()
        }
      } else if (this.role === 'observer' && this.lock.tryAcquire()) {
        this.becomeOwner()
        this.emitStatus()
      }
    } catch (err) {
      this.logger.log('warn', `engine heartbeat failed: ${err instanceof Error ? err.message : String(err)}`)
    }
  }

  /**
   * SQLite keeps working on a database file deleted under it, so nothing fails — until the next
   * start finds an empty database. Notice it, write the open copy back, and hold new work until
   * the user restarts (a file put there by someone else is never overwritten).
   */
  private watchDatabaseFile(): void {
    if (this.dbOrphaned) {
      void this.mirrorDatabase()
      return
    }
    const now = fileIdentity(this.dbFile)
    if (!this.dbIdentity || now === this.dbIdentity || this.paused?.kind === 'database') return
    const what = now === null ? 'deleted' : 'replaced by another file'
    this.logger.log('error', `engine: the database file ${this.dbFile} was ${what} while open`)
    if (now === null) {
      this.dbOrphaned = true
      void this.mirrorDatabase()
    }
    this.pause(
      'database',
      now === null
        ? 'The app’s database file (studio.db) was deleted while the app was running. It has been written back from the copy still open; new jobs wait until you restart Comet Video Studio. Nothing was lost, and your videos are safe in the library folder.'
        : 'The app’s database file (studio.db) was replaced while the app was running. New jobs wait: restart Comet Video Studio to use the new file. Your videos are safe in the library folder.'
    )
  }

  /** Writes the open database to its file again (checkpointed first, so no old log is replayed over it). */
  private mirrorDatabase(): Promise<void> {
    this.mirroring ??= (async () => {
      // Another process with the database open (a CLI) may be writing its own copy back too.
      const tmp = `${this.dbFile}.restoring-${process.pid}-${newId('r', Date.now())}`
      try {
        this.db.pragma('wal_checkpoint(TRUNCATE)')
        await this.db.backup(tmp)
        renameSync(tmp, this.dbFile)
      } catch (err) {
        this.logger.log('error', `engine: could not write the database back: ${err instanceof Error ? err.message : String(err)}`)
        rmSync(tmp, { force: true })
      } finally {
        this.mirroring = null
      }
    })()
    return this.mirroring
  }

  private demote(): void {
    this.poller.stop()
    this.downloads.stop()
    this.submitter.stop()
    this.role = 'observer'
    this.emitStatus()
  }

  /**
   * Stops gracefully: no new work, creates in flight are allowed to finish (so their outcome is
   * known), polls and downloads stop (partials stay for resume). Nothing is lost.
   */
  async stop(): Promise<void> {
    if (this.role === 'stopped') return
    const wasOwner = this.role === 'owner'
    this.role = 'stopped'
    if (this.watchTimer) clearInterval(this.watchTimer)
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer)
    this.stopCtl.abort(new Error('engine stopping'))
    this.poller.stop()
    this.downloads.stop()
    this.submitter.stop()
    await this.submitter.idle(this.o.stopGraceMs ?? 15_000)
    this.createCtl.abort(new Error('engine stopping'))
    this.budget.dispose()
    if (wasOwner) this.lock.release()
  }

  /** Stops and closes the database. */
  async close(): Promise<void> {
    await this.stop()
    if (this.dbOrphaned) await this.mirrorDatabase()
    this.db.close()
  }

  // ---- events ----------------------------------------------------------------------------

  on(fn: (e: EngineEvent) => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  private emit(e: EngineEvent): void {
    for (const fn of this.listeners) {
      try {
        fn(e)
      } catch (err) {
        this.logger.log('error', `engine listener failed: ${err instanceof Error ? err.message : String(err)}`)
      }
    }
  }

  private view(rec: JobRecord): JobView {
    const v = rec.view
    if (v.state === 'submitted' || v.state === 'running') v.etaAt = this.poller.eta(v.id)
    return v
  }

  private emitJob(id: string): void {
    const rec = this.store.get(id)
    if (!rec) return
    this.seenRev.set(id, rec.rev)
    this.emit({ type: 'job.updated', job: this.view(rec) })
  }

  private emitStatus(): void {
    this.emit({ type: 'engine.status', status: this.status() })
  }

  private patch(id: string, changes: JobUpdate, expect?: JobState[]): boolean {
    const ok = this.store.update(id, changes, this.clock.now(), expect)
    if (ok) this.emitJob(id)
    return ok
  }

  /** Emits changes another process made to the database, and reacts to them when running jobs. */
  private watch(): void {
    try {
      const changed = this.store.changedSince(this.lastRev)
      for (const rec of changed) {
        this.lastRev = Math.max(this.lastRev, rec.rev)
        const seen = this.seenRev.get(rec.view.id) ?? 0
        if (rec.rev <= seen) continue
        this.seenRev.set(rec.view.id, rec.rev)
        if (seen === 0) this.poller.remember(rec.view.id, this.clock.now() - rec.view.createdAt)
        this.emit({ type: seen === 0 && rec.view.state !== 'completed' ? 'job.created' : 'job.updated', job: this.view(rec) })
        if (this.role !== 'owner') continue
        if (rec.view.state === 'queued') this.submitter.pump()
        if (rec.view.state === 'canceled') {
          this.poller.untrack(rec.view.id)
          this.downloads.abort(rec.view.id)
        }
      }
    } catch (err) {
      this.logger.log('warn', `engine watch failed: ${err instanceof Error ? err.message : String(err)}`)
    }
  }

  private pause(kind: EnginePause['kind'], message: string): void {
    if (this.paused?.kind === kind && this.paused.message === message) return
    this.paused = { kind, message, since: this.clock.now() }
    this.logger.log('error', `engine paused: ${message}`)
    this.emitStatus()
  }

  /** The key or base URL changed: try again. */
  resume(): void {
    if (this.paused?.kind === 'database') return // only a restart clears it
    this.paused = null
    this.emitStatus()
    if (this.role === 'owner') {
      this.submitter.pump()
      this.downloads.pump()
    }
  }

  status(): EngineStatus {
    const counts: Partial<Record<JobState, number>> = {}
    for (const row of this.db.prepare('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state').all() as { state: JobState; n: number }[]) {
      counts[row.state] = row.n
    }
    return { role: this.role, paused: this.paused, counts }
  }

  // ---- settings --------------------------------------------------------------------------

  updateSettings(patch: Partial<Settings>): Settings {
    const stored = this.settingsStore.update(patch)
    this.current = { ...stored, ...this.o.settingsOverrides, ...patch }
    if (patch.libraryDir && patch.libraryDir !== this.lib.root) this.lib = new Library(this.db, this.current.libraryDir, this.clock)
    this.budget.setRate(this.current.requestsPerSecond)
    this.submitter.applySettings()
    this.downloads.applySettings()
    if (patch.baseUrl !== undefined) this.resume()
    return this.current
  }

  private loadDurations(): void {
    const rows = this.db.prepare('SELECT model, seconds FROM model_durations ORDER BY at DESC LIMIT 5000').all() as { model: string; seconds: number }[]
    for (const r of rows.reverse()) this.durations.record(r.model, r.seconds)
  }

  // ---- validation and creation -------------------------------------------------------------

  /** Checks a spec against its model before anything is sent. Reads image headers only. */
  async validate(spec: JobSpec): Promise<FieldError[]> {
    const model = this.catalog.resolve(spec.model)
    if (!model) {
      return [{ field: 'model', code: 'model.unknown', message: `The model "${spec.model}" is not in the CometAPI catalog. Refresh the model list or pick another model.`, params: { model: spec.model } }]
    }
    if (!model.available) {
      return [{ field: 'model', code: 'model.unavailable', message: `The model ${spec.model} is not available right now: ${model.unavailableReason ?? 'CometAPI says so'}. Pick another model.`, params: { model: spec.model } }]
    }
    if (model.upcoming) {
      return [{ field: 'model', code: 'model.upcoming', message: `The model ${spec.model} is announced but not callable yet. Pick another model.`, params: { model: spec.model } }]
    }
    const infos = []
    const problems: FieldError[] = []
    for (const [i, path] of (spec.images ?? []).entries()) {
      try {
        infos.push(await probeImage(path))
      } catch (err) {
        problems.push({ field: `images[${i}]`, code: 'image.unreadable', message: err instanceof ImageReadError ? err.message : `Could not read ${path}.`, params: { path } })
      }
    }
    if (problems.length) return problems
    if (spec.remixOf && !model.rules.remix) {
      return [{ field: 'model', code: 'model.noRemix', message: `${spec.model} cannot remix videos. Remix works with Sora 2 models.`, params: { model: spec.model } }]
    }
    // The adapter runs the shared rule checks (the same the renderer shows) plus its family's own.
    return adapterFor(model.family).validate(spec, model.rules, infos)
  }

  estimate(spec: JobSpec): number | null {
    const model = this.catalog.resolve(spec.model)
    return model ? estimateCost(model.pricing, model.rules, spec) : null
  }

  /**
   * Validates every spec, then writes all jobs in one transaction before any network call.
   * Above the daily cap (and not confirmed) the jobs are kept `held` until confirmHeld().
   */
  async createJobs(input: CreateJobsInput): Promise<CreateJobsResult> {
    // Prices and vendors come from the catalog: on a first run, fetch it before pricing jobs.
    if (!this.catalog.models().length) {
      await Promise.race([this.catalog.refresh().catch(() => {}), new Promise((r) => setTimeout(r, 5000).unref?.())])
    }
    if (!input.specs.length) return { ok: false, errors: [{ index: 0, errors: [{ field: 'specs', code: 'batch.empty', message: 'Nothing to create.' }] }] }
    const errors: { index: number; errors: FieldError[] }[] = []
    // Image headers are read from disk: a few at a time, so a 1,000-image batch is not 1,000 waits in a row.
    let next = 0
    const checked = new Array<FieldError[]>(input.specs.length)
    const worker = async (): Promise<void> => {
      while (next < input.specs.length) {
        const i = next++
        checked[i] = await this.validate(input.specs[i])
      }
    }
    await Promise.all(Array.from({ length: Math.min(16, input.specs.length) }, worker))
    checked.forEach((problems, index) => {
      if (problems.length) errors.push({ index, errors: problems })
    })
    if (errors.length) return { ok: false, errors }
    const now = this.clock.now()
    const costs = input.specs.map((s) => this.estimate(s))
    const known = costs.filter((c): c is number => c != null)
    const estimate = known.length ? known.reduce((a, b) => a + b, 0) : null
    const cap = this.current.dailyBudget
    let note: Message | null = null
    let held = false
    if (cap != null && estimate != null && !input.confirmOverBudget) {
      const spent = this.ledger.totalForDay(dayKey(now)) + this.ledger.pendingEstimate()
      if (spent + estimate > cap) {
        held = true
        note = msg('held.overCap', { estimate: estimate.toFixed(2), total: (spent + estimate).toFixed(2), cap: cap.toFixed(2) })
      }
    }
    const batchId = input.batchId ?? (input.specs.length > 1 ? newId('b', now) : null)
    const ids: string[] = []
    this.store.transaction(() => {
      for (const [i, spec] of input.specs.entries()) {
        const model = this.catalog.resolve(spec.model)!
        const id = newId('j', now)
        ids.push(id)
        this.store.insert({
          id,
          batchId,
          parentId: input.parentId ?? null,
          lineage: input.lineage ?? null,
          model: spec.model,
          provider: model.family,
          vendor: model.vendor,
          spec: normalizeSpec(spec),
          state: held ? 'held' : 'queued',
          externalId: `cvs-${id}`,
          estimatedCost: costs[i],
          note,
          createdAt: now + i
        })
      }
    })
    const jobs = ids.map((id) => {
      const rec = this.store.get(id)!
      this.seenRev.set(id, rec.rev)
      this.poller.remember(id, 0)
      return rec.view
    })
    for (const job of jobs) this.emit({ type: 'job.created', job })
    if (this.role === 'owner' && !held) this.submitter.pump()
    this.emit({ type: 'spend.changed' })
    return { ok: true, jobs, held, estimate, note: note?.text ?? null }
  }

  /** Sends held jobs (the user confirmed the spend). */
  confirmHeld(ids: string[]): JobView[] {
    const out: JobView[] = []
    for (const id of ids) if (this.patch(id, { state: 'queued', note: null }, ['held'])) out.push(this.mustGet(id))
    if (this.role === 'owner') this.submitter.pump()
    return out
  }

  // ---- queries -------------------------------------------------------------------------------

  listJobs(q: JobListQuery = {}): JobView[] {
    return this.store.query(q).map((r) => this.view(r))
  }

  getJob(id: string): JobView | null {
    const rec = this.store.get(id)
    return rec ? this.view(rec) : null
  }

  private mustGet(id: string): JobView {
    const job = this.getJob(id)
    if (!job) throw new EngineError(`No job with id ${id}.`, 'not_found')
    return job
  }

  spend(): SpendSummary {
    return this.ledger.summary(this.clock.now(), this.current.dailyBudget)
  }

  /** Resolves when every named job (default: every unfinished one) is completed, failed or canceled. */
  waitFor(ids: string[] | null, signal?: AbortSignal): Promise<JobView[]> {
    const targets = ids ?? this.store.query({ states: [...ACTIVE_STATES] }).map((r) => r.view.id)
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const jobs = targets.map((id) => this.getJob(id)).filter((j): j is JobView => !!j)
        if (jobs.every((j) => ['completed', 'failed', 'canceled', 'needs_decision', 'held'].includes(j.state))) {
          cleanup()
          resolve(jobs)
          return true
        }
        return false
      }
      const off = this.on((e) => {
        if (e.type === 'job.updated' && targets.includes(e.job.id)) check()
      })
      const timer = setInterval(check, 1000)
      const onAbort = (): void => {
        cleanup()
        reject(signal?.reason)
      }
      const cleanup = (): void => {
        off()
        clearInterval(timer)
        signal?.removeEventListener('abort', onAbort)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      check()
    })
  }

  // ---- actions on jobs ------------------------------------------------------------------------

  /**
   * Stops a job. Before it was sent nothing is billed; after, CometAPI has no cancel for video
   * tasks, so the provider may still finish — and bill — the video.
   */
  cancel(id: string): { job: JobView; message: string } {
    const job = this.mustGet(id)
    const wasSent = ['submitting', 'submitted', 'running', 'downloading', 'needs_decision'].includes(job.state)
    if (['completed', 'failed', 'canceled'].includes(job.state)) throw new EngineError(`This job is already ${job.state}.`, 'bad_state')
    const note = msg(wasSent ? 'cancel.mayBill' : 'cancel.notBilled')
    this.patch(id, { state: 'canceled', note }, [job.state])
    this.poller.untrack(id)
    this.downloads.abort(id)
    this.lib.releaseName(id)
    return { job: this.mustGet(id), message: note.text }
  }

  /** A new job with the same settings, linked to the old one. */
  async retry(id: string): Promise<CreateJobsResult> {
    const job = this.mustGet(id)
    if (!['failed', 'canceled', 'needs_decision'].includes(job.state)) throw new EngineError('Only a failed, canceled or undecided job can be retried.', 'bad_state')
    if (job.state === 'needs_decision') this.patch(id, { state: 'canceled', note: msg('retry.replaced') }, ['needs_decision'])
    return this.createJobs({ specs: [job.spec], parentId: id, lineage: 'retry', batchId: null })
  }

  /** A new job from an old one's settings with some changed. */
  async duplicate(id: string, edits: Partial<JobSpec> = {}): Promise<CreateJobsResult> {
    const job = this.mustGet(id)
    return this.createJobs({ specs: [{ ...job.spec, ...edits }], parentId: id, lineage: 'duplicate', batchId: null })
  }

  /** Sora remix of a finished video. */
  async remix(id: string, prompt: string): Promise<CreateJobsResult> {
    const job = this.mustGet(id)
    if (job.state !== 'completed' || !job.remoteId) throw new EngineError('Only a finished video can be remixed.', 'bad_state')
    const model = this.catalog.resolve(job.model)
    if (!model?.rules.remix) throw new EngineError(`${job.model} cannot remix videos.`, 'unsupported')
    return this.createJobs({ specs: [{ model: job.model, prompt, remixOf: job.remoteId, seconds: job.spec.seconds, size: job.spec.size }], parentId: id, lineage: 'remix', batchId: null })
  }

  /** The user's answer for a job whose create may or may not have reached the provider. */
  decide(id: string, choice: 'resubmit' | 'dismiss'): JobView {
    const job = this.mustGet(id)
    if (job.state !== 'needs_decision') throw new EngineError('This job is not waiting for a decision.', 'bad_state')
    if (choice === 'resubmit') {
      this.patch(id, { state: 'queued', note: msg('decide.resubmitted') }, ['needs_decision'])
      if (this.role === 'owner') this.submitter.pump()
    } else {
      this.patch(id, { state: 'canceled', note: msg('decide.dismissed') }, ['needs_decision'])
    }
    return this.mustGet(id)
  }

  /** Removes finished jobs from the queue (their library videos stay). */
  removeJobs(ids: string[]): number {
    let n = 0
    for (const id of ids) {
      const job = this.getJob(id)
      if (!job || !['completed', 'failed', 'canceled', 'held'].includes(job.state)) continue
      this.store.delete(id)
      this.seenRev.delete(id)
      this.emit({ type: 'job.removed', id })
      n++
    }
    return n
  }
}

/** Which file a path is right now (device and inode), or null when there is none. */
function fileIdentity(path: string): string | null {
  try {
    const st = statSync(path)
    return `${st.dev}:${st.ino}`
  } catch {
    return null
  }
}

/** Drops empty optional fields so stored specs are tidy and comparable. */
export function normalizeSpec(spec: JobSpec): JobSpec {
  const out: JobSpec = { model: spec.model.trim(), prompt: spec.prompt }
  if (spec.negativePrompt?.trim()) out.negativePrompt = spec.negativePrompt
  if (spec.seconds != null) out.seconds = spec.seconds
  if (spec.size) out.size = spec.size
  if (spec.aspectRatio) out.aspectRatio = spec.aspectRatio
  if (spec.resolution) out.resolution = spec.resolution
  if (spec.seed != null) out.seed = spec.seed
  if (spec.images?.length) out.images = [...spec.images]
  if (spec.remixOf) out.remixOf = spec.remixOf
  if (spec.params && Object.keys(spec.params).length) out.params = { ...spec.params }
  return out
}
