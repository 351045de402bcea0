// The video engine: plain Node, ports injected. This file only wires the parts and offers the
// operations the desktop app, the CLI and the tests need. Who changes a job: the lifecycle table
// (jobs/lifecycle.ts) through the hub (jobs/jobHub.ts); the stages and actions call the hub.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { CreateJobsReply, EngineEvent, EngineStatus, JobDetails, JobQuery, JobSpec, JobView, ProviderFamily } from '../shared/jobs'
import { DEFAULT_KEY_ID, type KeyProfile } from '../shared/keys'
import { msg, type Message } from '../shared/messages'
import { ACTIVE_STATES, isIn, MADE_NOT_STORED_STATES, NEEDS_ITS_KEY_STATES, POLLED_STATES, type StateSet } from '../shared/jobStates'
import type { CatalogModel, FieldError } from '../shared/modelTypes'
import type { Settings } from '../shared/settings'
import type { SpendSummary } from '../shared/spend'
import { Catalog } from './catalog/catalog'
import { openDatabase } from './db/database'
import { DatabaseFileGuard } from './db/databaseFileGuard'
import { CometClient, type KeySource } from './http/cometClient'
import { RequestBudget } from './http/requestBudget'
import { Reachability } from './http/reachability'
import { createHttpTransport, type HttpTransport } from './http/transport'
import { type ProxyPorts, ProxyResolver } from './http/proxy'
import { type DownloadHooks, Downloads } from './jobs/downloads'
import { DurationModel } from './jobs/durationModel'
import { DurationStore } from './jobs/durationStore'
import { EngineError, JobActions } from './jobs/jobActions'
import { type CreateJobsInput, estimateSpec, validateSpec } from './jobs/jobCreation'
import { JobHub } from './jobs/jobHub'
import { JobStore } from './jobs/jobStore'
import { EnginePauses } from './jobs/pauses'
import { Poller } from './jobs/poller'
import { dayKey, SpendLedger } from './jobs/spendLedger'
import { Lifetime, type StagePorts } from './jobs/stagePorts'
import { Submitter } from './jobs/submitter'
import { Timing, type TimingOptions } from './jobs/timing'
import { waitForJobs, type WaitOptions } from './jobs/waitForJobs'
import { sweepLeftovers } from './library/leftovers'
import { Library } from './library/library'
import type { PosterFrames } from './library/posterFrames'
import { PosterWorker } from './library/posters'
import { Ownership } from './ownership/ownership'
import { KeyProfileError, type KeyProfileRow, KeyProfiles } from './secrets/keyProfiles'
import { type Clock, type Logger, silentLogger, systemClock } from './ports'
import { LiveSettings } from './settings/liveSettings'
import { SettingsStore } from './settings/settingsStore'
import { WatchStore } from './watch/watchStore'

export { EngineError } from './jobs/jobActions'
export { EnginePausedError } from './jobs/waitForJobs'
export type { CreateJobsInput } from './jobs/jobCreation'

export interface EngineOptions {
  /** Holds studio.db and the catalog cache. */
  dataDir: string
  /** Library folder used until the person picks one. Default `<dataDir>/library`. */
  defaultLibraryDir?: string
  keys: KeySource
  transport?: HttpTransport
  clock?: Clock
  logger?: Logger
  /** Applied on top of stored settings for this process only (CLI flags, tests). */
  settingsOverrides?: Partial<Settings>
  catalogOverrides?: Record<string, ProviderFamily>
  /** `observer` never runs jobs (a CLI watching the app). Default `auto`: run them when no one else does. */
  role?: 'auto' | 'observer'
  /** Every wait and interval the engine plans (tests shrink them). */
  timing?: TimingOptions
  /** How downloads open and check files (tests inject a full or read-only disk). */
  downloadHooks?: DownloadHooks
  /** The proxy the environment and the system name, and the manual proxy's credentials (http/proxy.ts). Absent: Settings' manual proxy only. */
  proxy?: ProxyPorts
  /** Makes a landed video's poster (ffmpeg). Absent: no posters here; the renderer makes them on first view. */
  posterFrames?: PosterFrames
}

/** What front ends may do with the library (the engine keeps finalizing and naming to itself). */
export type LibraryOperations = Pick<
  Library,
  'root' | 'list' | 'ids' | 'get' | 'getByJob' | 'facets' | 'stats' | 'setFavorite' | 'setTags' | 'setMediaInfo' | 'delete' | 'rescan' | 'verify' | 'absolutePath'
>

/** The whole history of durations kept to learn from. */
const DURATION_HISTORY = 5000

export class Engine {
  private readonly clock: Clock
  private readonly logger: Logger
  private readonly timing: Timing
  private readonly store: JobStore
  private readonly hub: JobHub
  private readonly pauses: EnginePauses
  private readonly reachability: Reachability
  private readonly proxies: ProxyResolver
  /** Every request of this engine goes this way: the API's, the catalog's, a key check's. */
  readonly transport: HttpTransport
  private readonly live: LiveSettings
  private readonly lib: Library
  private readonly catalog: Catalog
  private readonly ledger: SpendLedger
  private readonly watchStore: WatchStore
  private readonly keyProfiles: KeyProfiles
  private readonly budget: RequestBudget
  private readonly dbGuard: DatabaseFileGuard
  private readonly ownership: Ownership
  private readonly submitter: Submitter
  private readonly poller: Poller
  private readonly downloads: Downloads
  private readonly posters: PosterWorker
  private readonly actions: JobActions
  private readonly closeDb: () => void
  private readonly lifetime = new Lifetime()
  private readonly writingListeners = new Set<() => void>()

  constructor(private readonly o: EngineOptions) {
    this.clock = o.clock ?? systemClock
    this.logger = o.logger ?? silentLogger
    this.timing = new Timing(o.timing)
    mkdirSync(o.dataDir, { recursive: true })
    const dbFile = join(o.dataDir, 'studio.db')
    const db = openDatabase(dbFile)
    this.closeDb = () => db.close()
    const settingsStore = new SettingsStore(db, o.defaultLibraryDir ?? join(o.dataDir, 'library'))
    this.live = new LiveSettings(settingsStore, o.settingsOverrides)
    this.lib = new Library(db, this.live.current.libraryDir, this.clock)
    this.store = new JobStore(db, () => this.lib.root, join)
    this.hub = new JobHub(this.store, this.clock, this.logger)
    this.pauses = new EnginePauses(this.clock, this.logger, () => this.emitStatus())
    this.dbGuard = new DatabaseFileGuard(db, dbFile, this.pauses, this.logger)
    this.ledger = new SpendLedger(db, this.store)
    this.watchStore = new WatchStore(db)
    this.keyProfiles = new KeyProfiles(db)
    const durationStore = new DurationStore(db)
    const durations = new DurationModel({ priorSeconds: this.timing.options.priorSeconds })
    for (const r of durationStore.recent(DURATION_HISTORY)) durations.record(r.model, r.seconds)
    this.budget = new RequestBudget(this.clock, this.live.current.requestsPerSecond)
    this.reachability = new Reachability(this.clock, () => this.emitStatus())
    this.proxies = new ProxyResolver({ settings: () => this.live.current.proxy, clock: this.clock, logger: this.logger, ...o.proxy })
    this.transport = o.transport ?? createHttpTransport({ proxies: this.proxies })
    const client = new CometClient({
      baseUrl: () => this.live.current.baseUrl,
      // A request names its job's key; one that names none goes with the default key of the moment.
      keys: {
        getKey: (keyId) => o.keys.getKey(keyId ?? this.keyProfiles.defaultId()),
        nameOf: (keyId) => (keyId === DEFAULT_KEY_ID ? null : (this.keyProfiles.get(keyId)?.label ?? keyId))
      },
      transport: this.transport,
      clock: this.clock,
      budget: this.budget,
      logger: this.logger,
      readTimeoutMs: this.timing.options.readTimeoutMs,
      reachability: this.reachability
    })
    this.catalog = new Catalog({ client, cacheFile: join(o.dataDir, 'catalog.json'), clock: this.clock, logger: this.logger, overrides: o.catalogOverrides })
    this.catalog.onChange(() => this.hub.emit({ type: 'catalog.changed' }))
    const ports: StagePorts = {
      clock: this.clock,
      logger: this.logger,
      timing: this.timing,
      jobs: this.store,
      hub: this.hub,
      client,
      catalog: this.catalog,
      library: this.lib,
      pauses: this.pauses,
      settings: this.live,
      lifetime: this.lifetime
    }
    this.poller = new Poller({ ...ports, durations, durationStore }, this.budget, { onSucceeded: () => this.downloads.pump() })
    this.hub.setViewDecorator((v) => (POLLED_STATES.includes(v.state) ? { ...v, etaAt: this.poller.eta(v.id), typicalMs: this.poller.typical(v.id) } : v))
    this.posters = new PosterWorker({
      library: this.lib,
      frames: o.posterFrames ?? null,
      logger: this.logger,
      changed: (itemIds) => this.hub.emit({ type: 'library.changed', itemIds })
    })
    this.downloads = new Downloads(ports, this.poller, { proxy: this.proxies, ...o.downloadHooks }, {
      landed: (itemId) => this.posters.landed(itemId),
      writing: () => {
        for (const fn of this.writingListeners) fn()
      }
    })
    this.submitter = new Submitter({ ...ports, ledger: this.ledger }, { onSubmitted: (rec) => this.poller.track(rec) })
    this.actions = new JobActions({
      ...ports,
      ledger: this.ledger,
      keys: this.keyProfiles,
      effects: {
        queued: () => this.wakeSubmitter(),
        stopped: (id) => {
          this.poller.untrack(id)
          this.downloads.abort(id)
        },
        downloadAgain: (id) => {
          if (this.ownership.isOwner) this.downloads.again(id)
        },
        watchAgain: (id) => {
          const rec = this.store.get(id)
          if (rec && this.ownership.isOwner) this.poller.track(rec)
        },
        created: (jobs, held) => {
          for (const job of jobs) this.poller.remember(job.id, 0)
          if (!held) this.wakeSubmitter()
          this.hub.emit({ type: 'spend.changed' })
        }
      }
    })
    this.ownership = new Ownership({
      settings: settingsStore,
      jobs: this.store,
      hub: this.hub,
      clock: this.clock,
      logger: this.logger,
      timing: this.timing,
      observerOnly: o.role === 'observer',
      hooks: {
        becameOwner: () => this.runJobs(),
        lostOwnership: () => this.stopStages(),
        foreignChange: (rec) => {
          this.poller.remember(rec.view.id, this.clock.now() - rec.view.createdAt)
          // Another process queued, canceled, re-downloaded or re-checked a job: act on it here.
          if (rec.view.state === 'queued') this.submitter.pump()
          if (rec.view.state === 'downloading') this.downloads.pump()
          if (isIn(POLLED_STATES, rec.view.state)) this.poller.track(rec)
          if (rec.view.state === 'canceled') {
            this.poller.untrack(rec.view.id)
            this.downloads.abort(rec.view.id)
          }
        },
        tick: () => {
          this.dbGuard.check()
          // The model list goes stale (models come and go): refresh it now and then, quietly.
          this.catalog.refreshInBackground()
        },
        ownerTick: () => this.submitter.resolveStuck(),
        roleChanged: () => this.emitStatus()
      }
    })
  }

  // ---- running --------------------------------------------------------------------------

  /** Starts running jobs (or watching the process that does). Resumes everything unfinished. */
  start(): void {
    if (this.ownership.role !== 'stopped') return
    this.lifetime.renew()
    this.posters.renew()
    this.ownership.start()
    this.catalog.refreshInBackground()
    this.emitStatus()
  }

  /** This process owns the data folder now: resume every unfinished job. */
  private runJobs(): void {
    this.poller.start()
    this.lib.ensureRoot()
    // A crash can leave a sidecar's temporary file, or the partial download of a job that ended
    // (a made video not fetched yet keeps its partial, so Retry download resumes it).
    const resumable = (id: string): boolean => {
      const state = this.store.get(id)?.view.state
      return state !== undefined && isIn(MADE_NOT_STORED_STATES, state)
    }
    const swept = sweepLeftovers(this.lib.root, resumable)
    if (swept.temporaryFiles || swept.partials) {
      this.logger.log('info', `library: removed ${swept.temporaryFiles} temporary file(s) and ${swept.partials} unneeded partial download(s)`)
    }
    const now = this.clock.now()
    for (const rec of this.store.query({ states: ACTIVE_STATES })) this.poller.remember(rec.view.id, now - rec.view.createdAt)
    // Creates interrupted by a crash or quit: resolve without sending them again.
    this.submitter.resolveStuck()
    for (const rec of this.store.query({ states: POLLED_STATES })) this.poller.track(rec)
    this.downloads.pump()
    this.submitter.pump()
  }

  private stopStages(): void {
    this.poller.stop()
    this.downloads.stop()
    this.submitter.stop()
  }

  private wakeSubmitter(): void {
    if (this.ownership.isOwner) this.submitter.pump()
  }

  /**
   * Stops gracefully: no new work, creates in flight are allowed to finish (so their outcome is
   * known), polls and downloads stop (partials stay for resume). Nothing is lost.
   */
  async stop(): Promise<void> {
    if (this.ownership.role === 'stopped') return
    const wasOwner = this.ownership.stop()
    this.lifetime.endWork()
    this.stopStages()
    await Promise.all([this.submitter.idle(this.timing.stopGraceMs), this.posters.stop()])
    this.lifetime.abandonCreates()
    this.budget.dispose()
    if (wasOwner) this.ownership.release()
  }

  /** Stops and closes the database. */
  async close(): Promise<void> {
    await this.stop()
    await this.dbGuard.beforeClose()
    this.closeDb()
  }

  /** The key or base URL changed: try again. */
  resume(): void {
    if (!this.pauses.resume()) return // only a restart clears a database pause
    if (this.ownership.isOwner) {
      this.submitter.pump()
      this.downloads.pump()
    }
  }

  /**
   * The person's "Pause all": no new create is sent until resumeNewWork() (queued and confirmed
   * jobs wait, in order). A create already on the wire finishes so its outcome is known; tasks
   * already sent are still checked and their videos downloaded, since they are paid for and their
   * links expire. Nothing is lost or sent twice; it lasts for this run of the process.
   */
  pauseNewWork(): void {
    this.pauses.holdNewWork()
  }

  resumeNewWork(): void {
    if (this.pauses.releaseNewWork()) this.wakeSubmitter()
  }

  // ---- events and status ----------------------------------------------------------------

  /** Videos this process is writing into the library now (an app update waits for them, or asks). */
  downloadsWriting(): number {
    return this.downloads.writing
  }

  /** Called whenever downloadsWriting() may have changed. */
  onDownloadsWriting(fn: () => void): () => void {
    this.writingListeners.add(fn)
    return () => this.writingListeners.delete(fn)
  }

  on(fn: (e: EngineEvent) => void): () => void {
    return this.hub.on(fn)
  }

  private emitStatus(): void {
    this.hub.emit({ type: 'engine.status', status: this.status() })
  }

  status(): EngineStatus {
    const u = this.reachability.get()
    const unreachable = u ? { since: u.since, message: u.message.text, code: u.message.code, params: u.message.params } : null
    return { role: this.ownership?.role ?? 'stopped', paused: this.pauses.get(), heldByPerson: this.pauses.heldByPerson(), unreachable, counts: this.store.countsByState() }
  }

  // ---- settings, models, library, spend ----------------------------------------------------

  /** The proxy a request to `url` (default: the base URL) goes through now: `host:port` and where it comes from; null when direct. */
  async proxyInUse(url?: string): Promise<{ source: 'manual' | 'environment' | 'system'; proxy: string } | null> {
    const route = await this.proxies.resolve(url ?? this.live.current.baseUrl)
    return route ? { source: route.source, proxy: route.display } : null
  }

  get settings(): Settings {
    return this.live.current
  }

  updateSettings(patch: Partial<Settings>): Settings {
    const next = this.live.update(patch)
    if (patch.libraryDir && patch.libraryDir !== this.lib.root) this.lib.useFolder(next.libraryDir)
    this.budget.setRate(next.requestsPerSecond)
    this.submitter.applySettings()
    this.downloads.applySettings()
    if (patch.baseUrl !== undefined) this.resume()
    return next
  }

  models(): CatalogModel[] {
    return this.catalog.models()
  }

  model(id: string): CatalogModel | null {
    return this.catalog.resolve(id)
  }

  /** Refreshes the model list when it is empty or stale (or `force`); says why it could not. */
  async refreshModels(opts: { force?: boolean } = {}): Promise<{ models: CatalogModel[]; fetchedAt: number; problem: string | null }> {
    const problem = await this.catalog.ensureFresh({ force: opts.force })
    return { models: this.catalog.models(), fetchedAt: this.catalog.lastFetchedAt, problem }
  }

  /** What watched folders recorded (src/core/watch runs the watchers over this engine). */
  get watchRecords(): WatchStore {
    return this.watchStore
  }

  /** The data folder (watched folders keep their copies of the images they send under it). */
  get dataDir(): string {
    return this.o.dataDir
  }

  get library(): LibraryOperations {
    return this.lib
  }

  spend(): SpendSummary {
    return this.ledger.summary(this.clock.now(), this.live.current.dailyBudget, this.keyProfiles.list())
  }

  // ---- named keys (labels, caps, the default; the keys themselves stay in the keychain) ----------

  /** Every named key with today's spend and its unfinished jobs (without the key's status: the keychain has that). */
  keys(): Omit<KeyProfile, 'status'>[] {
    const def = this.keyProfiles.defaultId()
    const today = dayKey(this.clock.now())
    return this.keyProfiles.list().map((p) => ({
      id: p.id,
      label: p.label,
      isDefault: p.id === def,
      dailyCap: p.dailyCap,
      spentToday: this.ledger.totalForDay(today, p.id),
      inFlight: this.store.countWithKey(p.id, NEEDS_ITS_KEY_STATES)
    }))
  }

  /** The profile of `nameOrId` (an id or a label, any case), or a sentence saying there is none. */
  findKey(nameOrId: string): KeyProfileRow {
    const p = this.keyProfiles.find(nameOrId)
    if (!p) throw new KeyProfileError(msg('keyProfile.unknown', { key: nameOrId }))
    return p
  }

  defaultKeyId(): string {
    return this.keyProfiles.defaultId()
  }

  /** A fresh id for a new key and its checked label: store the key under the id, then `addKey`. */
  prepareKey(label: string): { id: string; label: string } {
    return { id: this.keyProfiles.newId(), label: this.keyProfiles.checkLabel(label) }
  }

  addKey(id: string, label: string): void {
    this.keyProfiles.add(id, label, this.clock.now())
    this.hub.emit({ type: 'spend.changed' })
  }

  updateKey(id: string, patch: { label?: string; dailyCap?: number | null; makeDefault?: boolean }): void {
    if (patch.label !== undefined) this.keyProfiles.rename(id, patch.label)
    if (patch.dailyCap !== undefined) this.keyProfiles.setCap(id, patch.dailyCap)
    if (patch.makeDefault) this.keyProfiles.setDefault(id)
    this.hub.emit({ type: 'spend.changed' })
  }

  /**
   * Removes a named key's profile. With unfinished jobs that need it, nothing is removed unless
   * `force`: the reply says how many and asks (they could not be checked or downloaded without it).
   */
  removeKey(id: string, force = false): { removed: boolean; inFlight: number; question: Message | null } {
    const p = this.keyProfiles.get(id)
    if (!p) throw new KeyProfileError(msg('keyProfile.unknown', { key: id }))
    if (id === this.keyProfiles.defaultId()) throw new KeyProfileError(msg('keyRemove.isDefault'))
    const inFlight = this.store.countWithKey(id, NEEDS_ITS_KEY_STATES)
    if (inFlight > 0 && !force) return { removed: false, inFlight, question: msg('keyRemove.inFlight', { count: inFlight, key: p.label }) }
    this.keyProfiles.remove(id)
    this.hub.emit({ type: 'spend.changed' })
    return { removed: true, inFlight, question: null }
  }

  // ---- jobs -------------------------------------------------------------------------------

  validate(spec: JobSpec): Promise<FieldError[]> {
    return validateSpec(this.catalog, spec)
  }

  estimate(spec: JobSpec): number | null {
    return estimateSpec(this.catalog, spec)
  }

  createJobs(input: CreateJobsInput): Promise<CreateJobsReply> {
    return this.actions.create(input)
  }

  /** Every job of a batch (for "the videos of this batch" in the library). */
  jobIdsOfBatch(batchId: string): string[] {
    return this.store.query({ batchId, limit: 1_000_000 }).map((r) => r.view.id)
  }

  listJobs(q: JobQuery = {}): JobView[] {
    return this.store.query(q).map((r) => this.hub.view(r))
  }

  countJobs(states?: StateSet): number {
    return this.store.count(states)
  }

  getJob(id: string): JobView | null {
    const rec = this.store.get(id)
    return rec ? this.hub.view(rec) : null
  }

  /** Resolves when every named job (default: every active one) is settled, or in `opts.until`. */
  waitFor(ids: string[] | null, opts: WaitOptions = {}): Promise<JobView[]> {
    const targets = ids ?? this.store.query({ states: ACTIVE_STATES }).map((r) => r.view.id)
    return waitForJobs({ hub: this.hub, jobs: this.store, clock: this.clock, pauses: this.pauses }, targets, opts)
  }

  confirmHeld(ids: string[]): JobView[] {
    return this.actions.confirmHeld(ids)
  }

  cancel(id: string): { job: JobView; message: string } {
    return this.actions.cancel(id)
  }

  retry(id: string): Promise<CreateJobsReply> {
    return this.actions.retry(id)
  }

  duplicate(id: string, edits: Partial<JobSpec> = {}): Promise<CreateJobsReply> {
    return this.actions.duplicate(id, edits)
  }

  remix(id: string, prompt: string): Promise<CreateJobsReply> {
    return this.actions.remix(id, prompt)
  }

  decide(id: string, choice: 'resubmit' | 'dismiss'): JobView {
    return this.actions.decide(id, choice)
  }

  /** Resubmits or dismisses every undecided job of a batch (or of `ids`) in one step. */
  decideMany(scope: { batchId?: string; ids?: string[] }, choice: 'resubmit' | 'dismiss'): { jobs: JobView[]; estimate: number | null } {
    return this.actions.decideMany(scope, choice)
  }

  retryDownload(id: string): JobView {
    return this.actions.retryDownload(id)
  }

  /** A task we lost contact with: `check` asks the provider again, `dismiss` lets it go. */
  contact(id: string, choice: 'check' | 'dismiss'): JobView {
    return this.actions.contact(id, choice)
  }

  removeJobs(ids: string[]): number {
    return this.actions.remove(ids)
  }

  /** New paid jobs for the jobs among `ids` the provider failed and that were not retried yet. */
  retryFailed(ids: string[]): Promise<CreateJobsReply> {
    return this.actions.retryFailed(ids)
  }

  /** Cancels those of `ids` the lifecycle allows; returns how many. */
  cancelMany(ids: string[]): number {
    return this.actions.cancelMany(ids)
  }

  /** A job with the timeline of its states, what the spend ledger billed for it and what replaced it. */
  jobDetails(id: string): JobDetails {
    const rec = this.store.get(id)
    if (!rec) throw new EngineError(msg('job.notFound', { id }), 'not_found')
    return {
      job: this.hub.view(rec),
      timeline: this.store.timeline(id),
      billed: this.ledger.forJob(id),
      replacedBy: this.store.retriesOf([id]).get(id) ?? null
    }
  }
}
