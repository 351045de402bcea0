// Polls remote tasks through the scheduler. Polling is the source of truth: only a terminal status
// from the provider ends a task. Errors, odd answers (an error object without a terminal status,
// an unreadable body, a refused poll) and "no such task" keep it polling with backoff and a note;
// a 401/403 pauses the whole engine; only a long, bounded "no such task" or the maximum age stops
// the asking, and then the job waits for the person as `lost_contact`, never as `failed`.
import { adapterFor } from '../adapters'
import { AdapterError, type PollResult } from '../adapters/types'
import { ApiError } from '../http/apiError'
import type { BudgetGrant, RequestBudget } from '../http/requestBudget'
import { type Message, msg } from '../../shared/messages'
import type { DurationModel } from './durationModel'
import type { DurationStore } from './durationStore'
import type { JobRecord } from './jobStore'
import { allows } from './lifecycle'
import { PollScheduler, type PollTask } from './pollScheduler'
import { errorOf, type StagePorts, vendorName } from './stagePorts'

/** A just-created task may briefly be unknown to the poll route (Runway, Seedance): no note for that. */
const NOT_FOUND_GRACE_MS = 3 * 60_000
const POLL_BACKOFF = { baseMs: 2000, capMs: 5 * 60_000 }
/**
 * "No such task" becomes lost contact only when it has lasted this long AND this many answers in a
 * row said so (with the 5-minute backoff cap, 15 minutes is at least 8 answers): one odd gateway
 * minute never ends a paid task, and the person is told within the quarter hour.
 */
const LOST_AFTER_MS = 15 * 60_000
const LOST_AFTER_ANSWERS = 8
const PAUSED_RECHECK_MS = 30_000

export interface PollerHooks {
  /** The remote task finished: fetch its result. */
  onSucceeded(id: string): void
}

export type PollerPorts = Pick<StagePorts, 'clock' | 'logger' | 'timing' | 'jobs' | 'hub' | 'client' | 'pauses' | 'settings' | 'lifetime'> & {
  durations: DurationModel
  durationStore: DurationStore
}

export class Poller {
  private readonly scheduler: PollScheduler
  /** Latest progress report per job, with when it was seen, to sharpen the duration estimate. */
  private progressSeen = new Map<string, { progress: number; at: number }>()
  /** Each job's age when this process first watched it, and the monotonic time of that moment. */
  private ageBase = new Map<string, { age: number; at: number }>()
  /** Jobs the provider says it does not know: since when (monotonic) and how many answers in a row. */
  private missing = new Map<string, { since: number; answers: number }>()

  constructor(
    private readonly ctx: PollerPorts,
    budget: RequestBudget,
    private readonly hooks: PollerHooks
  ) {
    this.scheduler = new PollScheduler({
      clock: ctx.clock,
      budget,
      durations: ctx.durations,
      poll: (id, grant) => this.pollOne(id, grant),
      ...ctx.timing.options.poll
    })
  }

  start(): void {
    this.scheduler.start()
  }

  stop(): void {
    this.scheduler.stop()
  }

  /** Starts (or resumes) watching a submitted task. */
  track(rec: JobRecord): void {
    const job = rec.view
    if (!job.remoteId || !job.submittedAt) return
    this.ageOf(rec, this.ctx.clock.now())
    this.scheduler.upsert(this.taskOf(rec, rec.lastPolledAt, 0))
  }

  /** The scheduler's view of a job: the progress seen in this process, else the stored one. */
  private taskOf(rec: JobRecord, lastPolledAt: number | null, notBefore: number): PollTask {
    const job = rec.view
    const seen = this.progressSeen.get(job.id)
    return {
      id: job.id,
      model: job.model,
      startedAt: job.submittedAt ?? job.createdAt,
      lastPolledAt,
      progress: seen?.progress ?? (job.progress && job.progress > 0 ? job.progress : null),
      progressAt: seen?.at ?? lastPolledAt,
      notBefore
    }
  }

  untrack(id: string): void {
    this.scheduler.remove(id)
    this.progressSeen.delete(id)
    this.ageBase.delete(id)
    this.missing.delete(id)
  }

  eta(id: string): number | null {
    return this.scheduler.eta(id)
  }

  typical(id: string): number | null {
    return this.scheduler.typical(id)
  }

  /** Polls one task now, outside the scheduler (e.g. to refresh an expired result URL). */
  async fetchState(rec: JobRecord, signal?: AbortSignal): Promise<PollResult> {
    const adapter = adapterFor(rec.view.provider)
    const res = await this.ctx.client.call(adapter.buildPoll(rec.view.remoteId!, rec.view.spec), {
      cls: 'urgent',
      action: 'poll',
      model: rec.view.model,
      keyId: rec.view.keyId,
      signal
    })
    return adapter.parsePoll(res.body)
  }

  private async pollOne(id: string, grant: BudgetGrant): Promise<void> {
    const { ctx } = this
    const rec = ctx.jobs.get(id)
    if (!rec || !allows('poll.waiting', rec.view.state) || !rec.view.remoteId) {
      this.untrack(id)
      return
    }
    const now = ctx.clock.now()
    const job = rec.view
    if (ctx.pauses.isPaused()) {
      this.reschedule(rec, now + ctx.timing.wait(PAUSED_RECHECK_MS))
      return
    }
    // Too old: ask one last time before giving up — the video may be finished (and billed) by now.
    const age = this.ageOf(rec, now)
    const tooOld = age > ctx.settings.current.maxJobAgeMs
    const adapter = adapterFor(job.provider)
    let result: PollResult
    try {
      // The scheduler already took this request's place in the budget.
      const res = await ctx.client.call(adapter.buildPoll(job.remoteId!, job.spec), {
        cls: 'poll',
        grant,
        action: 'poll',
        model: job.model,
        keyId: job.keyId,
        signal: ctx.lifetime.stopping
      })
      result = adapter.parsePoll(res.body)
    } catch (err) {
      if (tooOld) this.giveUp(rec, age)
      else this.onPollError(rec, err)
      return
    }
    if (tooOld && result.state !== 'succeeded' && result.state !== 'failed') this.giveUp(rec, age)
    else this.apply(rec, result)
  }

  /**
   * How long the job has been waiting. A wall clock that jumps forward (a correction, a manual
   * change) must not age a job: time since this process first watched it is measured on the
   * monotonic clock.
   */
  private ageOf(rec: JobRecord, now: number): number {
    const wall = now - rec.view.createdAt
    this.remember(rec.view.id, wall)
    const base = this.ageBase.get(rec.view.id)!
    return Math.min(wall, base.age + (this.monotonic() - base.at))
  }

  /** Starts counting a job's age on the monotonic clock: when this process creates it or first sees it. */
  remember(id: string, wallAge: number): void {
    if (!this.ageBase.has(id)) this.ageBase.set(id, { age: Math.max(0, wallAge), at: this.monotonic() })
  }

  private monotonic(): number {
    return this.ctx.clock.monotonic?.() ?? this.ctx.clock.now()
  }

  private giveUp(rec: JobRecord, age: number): void {
    this.untrack(rec.view.id)
    this.ctx.hub.transition(rec.view.id, 'poll.gaveUp', {
      error: errorOf('max_age', msg('poll.maxAge', { vendor: vendorName(rec), hours: Math.round(age / 3600_000) }), true)
    })
  }

  private reschedule(rec: JobRecord, notBefore: number): void {
    this.scheduler.upsert(this.taskOf(rec, this.ctx.clock.now(), notBefore))
  }

  private onPollError(rec: JobRecord, err: unknown): void {
    const { ctx } = this
    const job = rec.view
    if (err instanceof ApiError) {
      if (err.kind === 'canceled') return
      if (err.kind === 'auth' || err.kind === 'forbidden' || err.kind === 'bad_base_url') {
        // The key was revoked or lost access (or the address is wrong): every poll would meet the same.
        ctx.pauses.pause(err.noKey ? 'no_key' : err.kind === 'bad_base_url' ? 'bad_base_url' : 'auth', err.toMessage())
        this.reschedule(rec, ctx.clock.now() + ctx.timing.wait(PAUSED_RECHECK_MS))
        return
      }
      if (err.proxyPause) {
        ctx.pauses.pause('proxy', err.toMessage())
        this.reschedule(rec, ctx.clock.now() + ctx.timing.wait(PAUSED_RECHECK_MS))
        return
      }
      const notFound = err.kind === 'not_found' || /task_not_exist|not[ _-]?found|not exist/i.test(`${err.serverCode ?? ''} ${err.serverMessage ?? ''}`)
      if (notFound) return this.troubled(rec, 'missing', err.message)
      // 429, 5xx, timeouts: passing trouble, no note; anything else is an odd answer worth saying.
      return this.troubled(rec, err.retryable ? 'busy' : 'odd', err.message, err.retryAfterMs)
    }
    if (!(err instanceof AdapterError)) {
      ctx.logger.log('error', `poll of ${job.id} failed unexpectedly: ${err instanceof Error ? err.message : String(err)}`)
    }
    this.troubled(rec, 'odd', err instanceof Error ? err.message : String(err))
  }

  /** A poll that did not say how the task is: ask again with backoff; only a long "no such task" ends the asking. */
  private troubled(rec: JobRecord, kind: 'missing' | 'odd' | 'busy', detail: string, retryAfterMs?: number): void {
    const { ctx } = this
    const job = rec.view
    const now = ctx.clock.now()
    let note: Message | undefined
    if (kind === 'missing') {
      const seen = this.missing.get(job.id) ?? { since: this.monotonic(), answers: 0 }
      seen.answers++
      this.missing.set(job.id, seen)
      const lasted = this.monotonic() - seen.since
      if (lasted >= ctx.timing.wait(LOST_AFTER_MS) && seen.answers >= LOST_AFTER_ANSWERS) {
        this.untrack(job.id)
        const minutes = Math.max(1, Math.round(lasted / ctx.timing.scale / 60_000))
        ctx.hub.transition(job.id, 'poll.lost', { note: msg('poll.lost', { vendor: vendorName(rec), remoteId: job.remoteId ?? '', minutes }), lastPolledAt: now, pollErrors: rec.pollErrors + 1 })
        return
      }
      const young = now - (job.submittedAt ?? job.createdAt) < NOT_FOUND_GRACE_MS
      if (!young) note = msg('poll.missing', { vendor: vendorName(rec), remoteId: job.remoteId ?? '' })
    } else {
      this.missing.delete(job.id)
      if (kind === 'odd') note = msg('poll.odd', { detail: detail.replace(/\.$/, '').slice(0, 200) })
    }
    const errors = rec.pollErrors + 1
    const delay = ctx.timing.retryDelay(errors, POLL_BACKOFF, retryAfterMs, 1000)
    ctx.hub.transition(job.id, 'poll.waiting', { pollErrors: errors, lastPolledAt: now, note })
    ctx.logger.log('warn', `poll of ${job.id}: ${kind} (${detail}); next try in ${Math.round(delay / 1000)} s`)
    this.reschedule(rec, now + delay)
  }

  /** Applies a poll answer: progress, running, finished or failed. */
  apply(rec: JobRecord, r: PollResult): void {
    const { ctx } = this
    const job = rec.view
    const now = ctx.clock.now()
    if (r.progress != null && r.progress > 0) this.progressSeen.set(job.id, { progress: r.progress, at: now })
    if (r.state === 'succeeded') {
      this.untrack(job.id)
      const doneAt = r.completedAt && r.completedAt <= now ? r.completedAt : now
      const ok = ctx.hub.atomically(() => {
        const changed = ctx.hub.transition(job.id, 'poll.succeeded', {
          progress: 100,
          resultUrls: r.resultUrls,
          resultExpiresAt: r.expiresAt,
          remoteDoneAt: doneAt,
          pollCount: rec.pollCount + 1,
          pollErrors: 0,
          lastPolledAt: now,
          note: null
        })
        if (changed && job.submittedAt) {
          const seconds = (doneAt - job.submittedAt) / 1000
          ctx.durationStore.record(job.id, job.model, seconds, now)
          ctx.durations.record(job.model, seconds)
        }
        return changed
      })
      if (ok) this.hooks.onSucceeded(job.id)
      return
    }
    if (r.state === 'failed') {
      this.untrack(job.id)
      const expired = r.error?.kind === 'expired'
      const params = { vendor: vendorName(rec), detail: r.error?.message ?? '' }
      const message = expired ? msg('poll.expired', params) : msg('poll.failed', params)
      ctx.hub.transition(job.id, 'poll.failed', {
        pollCount: rec.pollCount + 1,
        lastPolledAt: now,
        error: errorOf(expired ? 'expired' : r.error?.kind === 'model_unavailable' ? 'model_unavailable' : 'provider_failed', message, r.error?.kind !== 'validation')
      })
      return
    }
    if (r.problem) return this.troubled(rec, r.problem.kind, r.problem.message)
    this.missing.delete(job.id)
    if (r.state === 'unknown') ctx.logger.log('warn', `unknown status "${r.rawStatus}" for ${job.id}; still polling`)
    // Say so when the provider answers with a status word we do not know, rather than look stuck.
    const note = r.state === 'unknown' ? msg('poll.unknownStatus', { vendor: vendorName(rec), status: String(r.rawStatus ?? '').slice(0, 40) }) : null
    const changes = { progress: r.progress ?? job.progress, pollCount: rec.pollCount + 1, pollErrors: 0, lastPolledAt: now, note }
    ctx.hub.transition(job.id, r.state === 'running' ? 'poll.running' : 'poll.waiting', changes)
    this.scheduler.upsert(this.taskOf(rec, now, 0))
  }
}
