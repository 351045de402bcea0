// Sends creates. The rule that protects the user's money: a create is sent again only when it
// surely never reached the server (refused connection, 429, a 5xx answer). When it may have
// arrived (timeout, reset, gateway timeout, an unreadable 2xx), Kling is asked by our
// external_task_id and every other family waits for the user's decision.
import type { JobError } from '../../shared/jobs'
import { english, msg } from '../../shared/messages'
import { adapterFor } from '../adapters'
import { AdapterError, type ErrorAnswer, type LoadedImage, type PollResult, type VideoAdapter } from '../adapters/types'
import { isDatabaseBusy } from '../db/database'
import { ApiError } from '../http/apiError'
import { loadImage } from '../images/imageProbe'
import { sharedAbortController, sleep } from '../ports'
import { AimdLimiter, LimiterPair } from './aimdLimiter'
import { allows, TRANSITIONS } from './lifecycle'
import type { JobRecord } from './jobStore'
import type { SpendLedger } from './spendLedger'
import { errorOf, type StagePorts, vendorName } from './stagePorts'

const CREATE_BACKOFF = { baseMs: 2000, capMs: 60_000 }

/** An API error as the adapters read failures: status, the body's code and message. */
function answerOf(err: ApiError): ErrorAnswer {
  return { status: err.status, code: err.serverCode ?? null, message: err.serverMessage ?? err.message }
}
const LOOKUP_BACKOFF = { baseMs: 1000, capMs: 20_000 }

export interface SubmitterHooks {
  /** A remote task exists now: start polling it. */
  onSubmitted(rec: JobRecord, poll: PollResult | null): void
}

export type SubmitterPorts = Pick<StagePorts, 'clock' | 'logger' | 'timing' | 'jobs' | 'hub' | 'client' | 'catalog' | 'pauses' | 'settings' | 'lifetime'> & {
  ledger: SpendLedger
}

export class Submitter {
  private readonly limiters: LimiterPair
  private inFlight = new Set<string>()
  /** The creates in flight, so stop() can wait for their answers. */
  private sending = new Set<Promise<void>>()
  /** Jobs whose "did it arrive?" lookup is planned for later. */
  private lookupScheduled = new Set<string>()
  private timer: ReturnType<StagePorts['clock']['setTimeout']> | null = null
  private pumping = false
  private again = false

  constructor(
    private readonly ctx: SubmitterPorts,
    private readonly hooks: SubmitterHooks
  ) {
    const s = ctx.settings.current
    this.limiters = new LimiterPair(new AimdLimiter(s.maxConcurrentCreates), new Map(), () => this.ctx.settings.current.maxConcurrentCreatesPerProvider)
  }

  applySettings(): void {
    const s = this.ctx.settings.current
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
    if (this.ctx.lifetime.stopping.aborted || this.ctx.pauses.holdsCreates()) return
    if (!this.limiters.overall.canAcquire()) return
    const now = this.ctx.clock.now()
    let nextWake = Infinity
    const queued = this.ctx.jobs.query({ states: TRANSITIONS['submit.claim'].from, limit: 2000 })
    for (const rec of queued) {
      if (!this.limiters.overall.canAcquire()) break
      if (this.inFlight.has(rec.view.id)) continue
      if (rec.nextAttemptAt && rec.nextAttemptAt > now && this.ctx.timing.isPlausibleWait(rec.nextAttemptAt, now)) {
        nextWake = Math.min(nextWake, rec.nextAttemptAt)
        continue
      }
      if (!this.limiters.canAcquire(rec.view.provider)) continue
      this.limiters.acquire(rec.view.provider)
      this.inFlight.add(rec.view.id)
      const work = this.submit(rec)
        .catch((err: unknown) => this.ctx.logger.log('error', `sending ${rec.view.id} stopped: ${err instanceof Error ? err.message : String(err)}`))
        .finally(() => {
          this.inFlight.delete(rec.view.id)
          this.sending.delete(work)
          this.pump()
        })
      this.sending.add(work)
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
        ctx.hub.transition(job.id, 'submit.invalid', { error: errorOf('validation', msg('create.imageUnreadable', { detail: err instanceof Error ? err.message : String(err) }), false, { field: 'images' }) })
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
          ctx.hub.transition(job.id, 'submit.invalid', { error })
          return
        }
      }
      const request = job.spec.remixOf && adapter.buildRemix ? adapter.buildRemix(job.spec.remixOf, job.spec) : adapter.buildCreate(job.spec, { externalId: job.externalId, images })
      // Wait for the request budget before claiming: a job killed while it waits its turn was surely never sent.
      let grant
      try {
        grant = await ctx.client.reserve('create', ctx.lifetime.stopping)
      } catch {
        return // stopping: the job stays queued
      }
      // "Pause all" came while this create waited its turn: give the place back, the job stays
      // queued, and the person's resume pumps it again. Checked here, right before the claim,
      // because nothing after this point may be taken back.
      if (ctx.pauses.holdsCreates()) {
        grant.release()
        return
      }
      // Claim the job: only one engine, once. From here until the answer is recorded the outcome is unknown.
      if (!ctx.hub.transition(job.id, 'submit.claim', { createAttempts: rec.createAttempts + 1, note: null, error: null })) return
      let body: unknown
      try {
        const res = await ctx.client.call(request, { cls: 'create', grant, action: 'create', model: job.model, keyId: job.keyId, signal: ctx.lifetime.creates, freshConnection: true })
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
          // Refused because our external id is taken: the earlier create arrived; find it.
          if (adapter.isDuplicateCreate?.({ code: err.code, message: err.message })) {
            await this.resolveUnknown(rec, adapter, english('create.why.duplicate'), 'duplicate')
            return
          }
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
    const recorded = ctx.hub.atomically(() => {
      if (!ctx.jobs.get(job.id)) return false
      if (job.estimatedCost != null) ctx.ledger.record(job.id, job.model, job.estimatedCost, now, job.keyId)
      // Unknown stays unknown (null): a family that reports no progress must not read as "0 %".
      const accepted = { remoteId, submittedAt: now, progress: poll?.progress ?? job.progress ?? null, note: null, error: null, nextAttemptAt: null }
      if (ctx.hub.transition(job.id, poll?.state === 'running' ? 'submit.acceptedRunning' : 'submit.accepted', accepted)) return true
      // Canceled while the create was in flight: keep the id so the person can find what was billed.
      if (!ctx.hub.transition(job.id, 'submit.acceptedAfterCancel', { remoteId, submittedAt: now })) {
        ctx.logger.log('error', `create answer for ${job.id} (task ${remoteId}) arrived in state ${ctx.jobs.get(job.id)?.view.state}; not recorded`)
      }
      return false
    })
    const after = recorded ? ctx.jobs.get(job.id) : null
    if (after) this.hooks.onSubmitted(after, poll)
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
        if (!isDatabaseBusy(err) || this.ctx.lifetime.stopping.aborted) throw err
        this.ctx.logger.log('warn', `database locked by another program; keeping the remote id of ${rec.view.id} and trying again`)
        await sleep(this.ctx.clock, wait)
      }
    }
  }

  /** Jobs left `submitting` with no create in flight (a write that failed): resolve them like a restart would. */
  resolveStuck(): void {
    for (const rec of this.ctx.jobs.query({ states: TRANSITIONS['submit.unknown'].from })) {
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
    this.ctx.hub.transition(rec.view.id, 'submit.refused', { error: errorOf(kind, message, false) })
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
      if (!err.outcomeUnknown) ctx.hub.transition(job.id, 'submit.notSent')
      return
    }
    if (err.outcomeUnknown) {
      await this.resolveUnknown(rec, adapter, err.message)
      return
    }
    if (adapter.isDuplicateCreate?.(answerOf(err))) {
      // Refused because our external id is taken: the earlier create arrived; find it instead of failing.
      await this.resolveUnknown(rec, adapter, english('create.why.duplicate'), 'duplicate')
      return
    }
    if (err.kind === 'auth' || err.kind === 'bad_base_url') {
      ctx.hub.transition(job.id, 'submit.notSent', { note: err.toMessage() })
      ctx.pauses.pause(err.noKey ? 'no_key' : err.kind, err.toMessage())
      return
    }
    if (err.proxyPause) {
      // The proxy setting is unusable as it stands: every create would fail the same way.
      ctx.hub.transition(job.id, 'submit.notSent', { note: err.toMessage() })
      ctx.pauses.pause('proxy', err.toMessage())
      return
    }
    if (err.kind === 'model_unavailable') ctx.catalog.markUnavailable(job.model, err.message)
    if (err.retryable) {
      const delay = ctx.timing.retryDelay(rec.createAttempts, CREATE_BACKOFF, err.retryAfterMs, 500)
      ctx.hub.transition(job.id, 'submit.notSent', { nextAttemptAt: ctx.clock.now() + delay, note: err.toMessage() })
      this.wakeAt(ctx.clock.now() + delay)
      return
    }
    ctx.hub.transition(job.id, 'submit.refused', { error: err.toJobError() })
  }

  /**
   * The create may have reached the provider. Kling can be asked by our external id; for the
   * other families the job waits for the user, because sending it again may bill twice.
   */
  async resolveUnknown(rec: JobRecord, adapter: VideoAdapter, why: string, whyCode?: 'stopped' | 'unreadable' | 'duplicate'): Promise<void> {
    const { ctx } = this
    const job = rec.view
    ctx.logger.log('warn', `create outcome unknown for ${job.id}: ${why}`)
    if (adapter.buildLookup && adapter.parseLookup) {
      ctx.hub.transition(job.id, 'submit.note', { note: msg('create.checkingArrival') })
      try {
        const req = adapter.buildLookup(job.externalId, job.spec)
        const found = await ctx.client.withRetry(
          async () => {
            try {
              const res = await ctx.client.call(req, { cls: 'urgent', action: 'lookup', model: job.model, keyId: job.keyId, signal: ctx.lifetime.stopping })
              return adapter.parseLookup!(res.body)
            } catch (err) {
              // Only the provider's own "no such task" proves the create never arrived; any other
              // failure (a gateway page, a 400, an unreadable body) says nothing and is asked again.
              if (err instanceof ApiError && adapter.lookupSaysAbsent?.(answerOf(err))) return null
              throw err
            }
          },
          { attempts: 6, signal: ctx.lifetime.stopping, policy: ctx.timing.policy(LOOKUP_BACKOFF) }
        )
        if (found) {
          ctx.jobs.event(job.id, ctx.clock.now(), 'lookup', 'found')
          this.recordCreated(rec, found.remoteId, found.poll)
        } else {
          ctx.jobs.event(job.id, ctx.clock.now(), 'lookup', 'not found')
          ctx.hub.transition(job.id, 'lookup.notFound', { note: msg('create.neverArrived') })
        }
      } catch {
        // Still unknown: stay `submitting`; the next start (or the retry timer) asks again. Never re-send.
        ctx.hub.transition(job.id, 'submit.note', { note: msg('create.lookupUnreachable') })
        this.scheduleLookup(rec.view.id)
      }
      return
    }
    ctx.hub.transition(job.id, 'submit.unknown', {
      note: msg('create.needsDecision', { vendor: vendorName(rec), why: why.replace(/\.$/, ''), ...(whyCode ? { whyCode } : {}) })
    })
  }

  private scheduleLookup(id: string): void {
    const { ctx } = this
    this.lookupScheduled.add(id)
    ctx.clock.setTimeout(() => {
      this.lookupScheduled.delete(id)
      if (ctx.lifetime.stopping.aborted) return
      const rec = ctx.jobs.get(id)
      if (rec && allows('submit.unknown', rec.view.state) && !this.inFlight.has(id)) void this.resolveOrphan(rec)
    }, ctx.timing.wait(30_000))
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

  /** Resolves when every create in flight has its answer, or after `ms`. */
  async idle(ms: number): Promise<void> {
    if (!this.sending.size) return
    const grace = sharedAbortController()
    await Promise.race([Promise.allSettled([...this.sending]), sleep(this.ctx.clock, ms, grace.signal).catch(() => {})])
    grace.abort()
  }
}
