// Sends creates. The rule that protects the user's money: a create is sent again only when it
// surely never reached the server (refused connection, 429, a 5xx answer). When it may have
// arrived (timeout, reset, gateway timeout, an unreadable 2xx), Kling is asked by our
// external_task_id and every other family waits for the user's decision.
import type { JobError, JobView } from '../../../shared/jobs'
import { english, msg, type Message } from '../../../shared/messages'
import { adapterFor } from '../adapters'
import { AdapterError, type LoadedImage, type PollResult, type VideoAdapter } from '../adapters/types'
import { isDatabaseBusy } from '../db/database'
import { ApiError } from '../http/apiError'
import { loadImage } from '../images/imageProbe'
import { sleep } from '../ports'
import { AimdLimiter, LimiterPair } from './aimdLimiter'
import { type EngineContext, errorOf, isPlausibleWait, retryDelay, vendorName } from './engineContext'
import type { JobRecord } from './jobStore'

/** An API error as a note: its own code and parameters when it has them. */
function apiMessage(err: ApiError): Message {
  return { code: err.code, params: err.params, text: err.message }
}

const CREATE_BACKOFF = { baseMs: 2000, capMs: 60_000 }

export interface SubmitterHooks {
  /** A remote task exists now: start polling it. */
  onSubmitted(rec: JobRecord, poll: PollResult | null): void
}

export class Submitter {
  readonly limiters: LimiterPair
  private inFlight = new Set<string>()
  /** Jobs whose "did it arrive?" lookup is planned for later. */
  private lookupScheduled = new Set<string>()
  private timer: ReturnType<EngineContext['clock']['setTimeout']> | null = null
  private pumping = false
  private again = false

  constructor(
    private readonly ctx: EngineContext,
    private readonly hooks: SubmitterHooks
  ) {
    const s = ctx.settings()
    this.limiters = new LimiterPair(new AimdLimiter(s.maxConcurrentCreates), new Map(), () => this.ctx.settings().maxConcurrentCreatesPerProvider)
  }

  get active(): number {
    return this.inFlight.size
  }

  applySettings(): void {
    const s = this.ctx.settings()
    this.limiters.setMax(s.maxConcurrentCreates, s.maxConcurrentCreatesPerProvider)
    this.pump()
  }

  /** Starts as many queued creates as the limits allow. Safe to call often. */
  pump(): void {
    if (this.pumping) {
      this.again = true
      return
    }
    this.pumping = true
    try {
      do {
        this.again = false
        this.pumpOnce()
      } while (this.again)
    } finally {
      this.pumping = false
    }
  }

  private pumpOnce(): void {
    if (this.ctx.signal().aborted || this.ctx.isPaused()) return
    if (!this.limiters.overall.canAcquire()) return
    const now = this.ctx.clock.now()
    let nextWake = Infinity
    const queued = this.ctx.store.query({ states: ['queued'], limit: 2000 })
    for (const rec of queued) {
      if (!this.limiters.overall.canAcquire()) break
      if (this.inFlight.has(rec.view.id)) continue
      if (rec.nextAttemptAt && rec.nextAttemptAt > now && isPlausibleWait(this.ctx, rec.nextAttemptAt, now)) {
        nextWake = Math.min(nextWake, rec.nextAttemptAt)
        continue
      }
      if (!this.limiters.canAcquire(rec.view.provider)) continue
      this.limiters.acquire(rec.view.provider)
      this.inFlight.add(rec.view.id)
      void this.submit(rec)
        .catch((err: unknown) => this.ctx.logger.log('error', `sending ${rec.view.id} stopped: ${err instanceof Error ? err.message : String(err)}`))
        .finally(() => {
          this.inFlight.delete(rec.view.id)
          this.pump()
        })
    }
    if (nextWake < Infinity) this.wakeAt(nextWake)
  }

  private wakeAt(at: number): void {
    if (this.timer) this.ctx.clock.clearTimeout(this.timer)
    this.timer = this.ctx.clock.setTimeout(() => {
      this.timer = null
      this.pump()
    }, Math.max(10, at - this.ctx.clock.now()))
  }

  stop(): void {
    if (this.timer) this.ctx.clock.clearTimeout(this.timer)
    this.timer = null
  }

  private async loadImages(rec: JobRecord): Promise<LoadedImage[]> {
    return Promise.all((rec.view.spec.images ?? []).map((p) => loadImage(p)))
  }

  private async submit(rec: JobRecord): Promise<void> {
    const { ctx } = this
    const job = rec.view
    let outcome: 'ok' | 'throttled' | 'error' = 'error'
    try {
      const adapter = adapterFor(job.provider)
      let images: LoadedImage[]
      try {
        images = await this.loadImages(rec)
      } catch (err) {
        ctx.patch(job.id, { state: 'failed', error: errorOf('validation', msg('create.imageUnreadable', { detail: err instanceof Error ? err.message : String(err) }), false, { field: 'images' }) }, ['queued'])
        return
      }
      const model = ctx.catalog.resolve(job.model)
      if (model) {
        // Images may have changed on disk since the job was accepted.
        const problems = adapter.validate(job.spec, model.rules, images.map((i) => i.info))
        if (problems.length) {
          const first = problems[0]
          // A field problem keeps its own code, which the renderer already translates.
          const error: JobError = { kind: 'validation', message: first.message, retryable: false, field: first.field, code: first.code, params: first.params }
          ctx.patch(job.id, { state: 'failed', error }, ['queued'])
          return
        }
      }
      const request = job.spec.remixOf && adapter.buildRemix ? adapter.buildRemix(job.spec.remixOf, job.spec) : adapter.buildCreate(job.spec, { externalId: job.externalId, images })
      // Wait for the request budget before claiming: a job killed while it waits its turn was surely never sent.
      let grant
      try {
        grant = await ctx.client.reserve('create', ctx.signal())
      } catch {
        return // stopping: the job stays queued
      }
      // Claim the job: only one engine, once. From here until the answer is recorded the outcome is unknown.
      if (!ctx.patch(job.id, { state: 'submitting', createAttempts: rec.createAttempts + 1, note: null, error: null }, ['queued'])) return
      let body: unknown
      try {
        const res = await ctx.client.call(request, { cls: 'create', grant, action: 'create', model: job.model, signal: ctx.createSignal(), freshConnection: true })
        body = res.body
      } catch (err) {
        outcome = err instanceof ApiError && err.kind === 'rate_limited' ? 'throttled' : 'error'
        await this.handleFailure(rec, adapter, err)
        return
      }
      let created
      try {
        created = adapter.parseCreate(body)
      } catch (err) {
        if (err instanceof AdapterError && err.kind !== 'malformed') {
          // A failure envelope (Kling code ≠ 0, 200 with an error object): nothing was created.
          this.failNotCreated(rec, err)
          return
        }
        await this.resolveUnknown(rec, adapter, english('create.why.unreadable'), 'unreadable')
        return
      }
      await this.recordCreatedDurably(rec, created.remoteId, created.poll)
      outcome = 'ok'
    } finally {
      this.limiters.release(job.provider, outcome)
    }
  }

  /** Records the remote id, the spend and the new state in one transaction. */
  recordCreated(rec: JobRecord, remoteId: string, poll: PollResult | null): void {
    const { ctx } = this
    const now = ctx.clock.now()
    const job = rec.view
    const result = ctx.store.transaction(() => {
      const cur = ctx.store.get(job.id)
      if (!cur) return 'gone' as const
      if (job.estimatedCost != null) ctx.ledger.record(job.id, job.model, job.estimatedCost, now)
      if (cur.view.state === 'canceled') {
        // Canceled while the create was in flight: keep the id so the user can find what was billed.
        ctx.store.update(job.id, { remoteId, submittedAt: now }, now)
        return 'canceled' as const
      }
      ctx.store.update(job.id, {
        state: poll?.state === 'running' ? 'running' : 'submitted',
        remoteId,
        submittedAt: now,
        progress: poll?.progress ?? job.progress ?? 0,
        note: null,
        error: null,
        nextAttemptAt: null
      }, now)
      return 'recorded' as const
    })
    if (result === 'gone') return
    ctx.emitJob(job.id)
    const after = ctx.store.get(job.id)
    if (result === 'recorded' && after) this.hooks.onSubmitted(after, poll)
  }

  /**
   * The remote id is what keeps us from paying twice: when another process holds the database
   * locked, keep the answer and write it as soon as the lock is gone.
   */
  private async recordCreatedDurably(rec: JobRecord, remoteId: string, poll: PollResult | null): Promise<void> {
    for (let wait = 250; ; wait = Math.min(wait * 2, 5000)) {
      try {
        this.recordCreated(rec, remoteId, poll)
        return
      } catch (err) {
        if (!isDatabaseBusy(err) || this.ctx.signal().aborted) throw err
        this.ctx.logger.log('warn', `database locked by another program; keeping the remote id of ${rec.view.id} and trying again`)
        await sleep(this.ctx.clock, wait)
      }
    }
  }

  /** Jobs left `submitting` with no create in flight (a write that failed): resolve them like a restart would. */
  resolveStuck(): void {
    for (const rec of this.ctx.store.query({ states: ['submitting'] })) {
      if (!this.inFlight.has(rec.view.id) && !this.lookupScheduled.has(rec.view.id)) void this.resolveOrphan(rec)
    }
  }

  private failNotCreated(rec: JobRecord, err: AdapterError): void {
    const kind = err.kind === 'model_unavailable' ? 'model_unavailable' : err.kind === 'validation' ? 'validation' : 'provider_failed'
    if (kind === 'model_unavailable') this.ctx.catalog.markUnavailable(rec.view.model, err.message)
    const message =
      kind === 'model_unavailable'
        ? msg('create.modelUnavailable', { model: rec.view.model, detail: err.message })
        : msg('create.refused', { vendor: vendorName(rec), detail: err.message })
    this.ctx.patch(rec.view.id, { state: 'failed', error: errorOf(kind, message, false) }, ['submitting'])
  }

  private async handleFailure(rec: JobRecord, adapter: VideoAdapter, err: unknown): Promise<void> {
    const { ctx } = this
    const job = rec.view
    if (!(err instanceof ApiError)) {
      await this.resolveUnknown(rec, adapter, `sending the job failed unexpectedly: ${err instanceof Error ? err.message : String(err)}`)
      return
    }
    if (err.kind === 'canceled') {
      // The engine is stopping. If bytes left, the next start resolves the job without a second create.
      if (!err.outcomeUnknown) ctx.patch(job.id, { state: 'queued' }, ['submitting'])
      return
    }
    if (err.outcomeUnknown) {
      await this.resolveUnknown(rec, adapter, err.message)
      return
    }
    if (err.kind === 'auth' || err.kind === 'bad_base_url') {
      ctx.patch(job.id, { state: 'queued', note: apiMessage(err) }, ['submitting'])
      ctx.pause(err.noKey ? 'no_key' : err.kind, err.message)
      return
    }
    if (err.kind === 'model_unavailable') ctx.catalog.markUnavailable(job.model, err.message)
    if (err.retryable) {
      const delay = retryDelay(ctx, rec.createAttempts, CREATE_BACKOFF, err.retryAfterMs, 500)
      ctx.patch(job.id, { state: 'queued', nextAttemptAt: ctx.clock.now() + delay, note: apiMessage(err) }, ['submitting'])
      this.wakeAt(ctx.clock.now() + delay)
      return
    }
    ctx.patch(job.id, { state: 'failed', error: err.toJobError() }, ['submitting'])
  }

  /**
   * The create may have reached the provider. Kling can be asked by our external id; for the
   * other families the job waits for the user, because sending it again may bill twice.
   */
  async resolveUnknown(rec: JobRecord, adapter: VideoAdapter, why: string, whyCode?: 'stopped' | 'unreadable'): Promise<void> {
    const { ctx } = this
    const job = rec.view
    ctx.logger.log('warn', `create outcome unknown for ${job.id}: ${why}`)
    if (adapter.buildLookup && adapter.parseLookup) {
      ctx.patch(job.id, { note: msg('create.checkingArrival') }, ['submitting'])
      try {
        const req = adapter.buildLookup(job.externalId, job.spec)
        const found = await ctx.client.withRetry(
          async () => {
            try {
              const res = await ctx.client.call(req, { cls: 'urgent', action: 'lookup', model: job.model, signal: ctx.signal() })
              return adapter.parseLookup!(res.body)
            } catch (err) {
              // A "not found" answer is an answer: the task does not exist.
              if (err instanceof ApiError && (err.kind === 'not_found' || err.kind === 'validation')) return null
              throw err
            }
          },
          { attempts: 6, signal: ctx.signal(), policy: { baseMs: 1000 * ctx.backoffScale, capMs: 20_000 * ctx.backoffScale } }
        )
        if (found) {
          ctx.store.event(job.id, ctx.clock.now(), 'lookup', 'found')
          this.recordCreated(rec, found.remoteId, found.poll)
        } else {
          ctx.store.event(job.id, ctx.clock.now(), 'lookup', 'not found')
          ctx.patch(job.id, { state: 'queued', note: msg('create.neverArrived') }, ['submitting'])
        }
      } catch {
        // Still unknown: stay `submitting`; the next start (or the retry timer) asks again. Never re-send.
        ctx.patch(job.id, { note: msg('create.lookupUnreachable') }, ['submitting'])
        this.scheduleLookup(rec.view.id)
      }
      return
    }
    ctx.patch(
      job.id,
      {
        state: 'needs_decision',
        note: msg('create.needsDecision', { vendor: vendorName(rec), why: why.replace(/\.$/, ''), ...(whyCode ? { whyCode } : {}) })
      },
      ['submitting']
    )
  }

  private scheduleLookup(id: string): void {
    const { ctx } = this
    this.lookupScheduled.add(id)
    ctx.clock.setTimeout(() => {
      this.lookupScheduled.delete(id)
      if (ctx.signal().aborted) return
      const rec = ctx.store.get(id)
      if (rec?.view.state === 'submitting' && !this.inFlight.has(id)) void this.resolveOrphan(rec)
    }, 30_000 * ctx.backoffScale)
  }

  /** A job found `submitting` at start-up: its create was interrupted by a crash or quit. */
  async resolveOrphan(rec: JobRecord): Promise<void> {
    const adapter = adapterFor(rec.view.provider)
    this.inFlight.add(rec.view.id)
    try {
      await this.resolveUnknown(rec, adapter, english('create.why.stopped'), 'stopped')
    } catch (err) {
      // Still `submitting`: resolveStuck() tries again.
      this.ctx.logger.log('warn', `could not resolve ${rec.view.id} yet: ${err instanceof Error ? err.message : String(err)}`)
    } finally {
      this.inFlight.delete(rec.view.id)
    }
  }

  isInFlight(job: JobView): boolean {
    return this.inFlight.has(job.id)
  }

  /** Resolves when no create is in flight, or after `ms`. */
  async idle(ms: number): Promise<void> {
    const until = Date.now() + ms
    while (this.inFlight.size && Date.now() < until) await new Promise((r) => setTimeout(r, 20))
  }
}
