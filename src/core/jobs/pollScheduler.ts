// Decides which task to poll next under one global request budget.
//
// For a task last seen unfinished at elapsed time a, the chance it finished by now (n) is
//   (F(n) − F(a)) / (1 − F(a))
// with F the task's learned duration distribution. A task becomes due when that chance reaches
// `threshold` (or after `maxIntervalMs`, so failures and odd tasks are still seen); early polls of
// tasks that cannot be done yet are skipped. Among due tasks the budget goes to the one expected
// to have been finished the longest: E[(n − T)⁺ | T > a] = chance × expected time since it
// finished. When finishes outpace the budget this serves finished tasks roughly in the order they
// finished, instead of letting near-certain newcomers starve the ones that finished first (with
// the highest chance alone, p95 detection delay in bench/polling.ts was 1.2× round-robin's).
import type { BudgetGrant, RequestBudget } from '../http/requestBudget'
import { type Clock, sharedAbortController, type TimerHandle } from '../ports'
import { type DurationModel, lnCdf, lnQuantile, type LogNormal, normalCdf } from './durationModel'

export interface PollTask {
  id: string
  model: string
  /** When the remote task was created (ms). */
  startedAt: number
  lastPolledAt: number | null
  progress: number | null
  progressAt: number | null
  /** Do not poll before this (backoff after an error). */
  notBefore: number
}

export interface PollSchedulerOptions {
  clock: Clock
  budget: Pick<RequestBudget, 'acquire'>
  durations: DurationModel
  /** Sends one poll in the budget place it was given; the caller updates the task (upsert/remove) from its outcome. */
  poll: (id: string, grant: BudgetGrant) => Promise<void>
  threshold?: number
  minIntervalMs?: number
  maxIntervalMs?: number
  /**
   * A task never polled is first looked at after this fraction of its typical duration: its
   * progress then tells whether it is a fast or slow one. Such an early look has almost no
   * expected delay to save, so it only ever uses budget no finished task needs. 0 turns it off.
   */
  probeFraction?: number
}

interface Entry extends PollTask {
  dist: LogNormal
  dueAt: number
  inFlight: boolean
}

export class PollScheduler {
  private tasks = new Map<string, Entry>()
  private running = false
  private timer: TimerHandle | null = null
  private wake: (() => void) | null = null
  private abort = sharedAbortController()
  private lastNow = -Infinity
  private readonly threshold: number
  private readonly minIntervalMs: number
  private readonly maxIntervalMs: number
  private readonly probeFraction: number

  constructor(private readonly o: PollSchedulerOptions) {
    this.threshold = o.threshold ?? 0.3
    this.probeFraction = o.probeFraction ?? 0.35
    this.minIntervalMs = o.minIntervalMs ?? 3000
    this.maxIntervalMs = o.maxIntervalMs ?? 90_000
  }

  get size(): number {
    return this.tasks.size
  }

  has(id: string): boolean {
    return this.tasks.has(id)
  }

  /** Adds a task or updates what we know of it after a poll. */
  upsert(t: PollTask): void {
    const prev = this.tasks.get(t.id)
    const progressElapsed = t.progress != null && t.progressAt != null ? (t.progressAt - t.startedAt) / 1000 : null
    const dist = this.o.durations.forTask(t.model, t.progress, progressElapsed)
    const e: Entry = { ...t, dist, dueAt: 0, inFlight: prev?.inFlight ?? false }
    e.dueAt = this.dueAt(e)
    this.tasks.set(t.id, e)
    this.kick()
  }

  remove(id: string): void {
    this.tasks.delete(id)
  }

  /** Estimated remote completion time of a task (ms), for ETAs. */
  /** The learned median duration of this task's model (ms). */
  typical(id: string): number | null {
    const e = this.tasks.get(id)
    return e ? lnQuantile(e.dist, 0.5) * 1000 : null
  }

  eta(id: string): number | null {
    const e = this.tasks.get(id)
    if (!e) return null
    const median = lnQuantile(e.dist, 0.5) * 1000
    const now = this.o.clock.now()
    return Math.max(e.startedAt + median, now)
  }

  /** Probability that the task finished since it was last seen unfinished. */
  chance(e: Entry, now: number): number {
    const a = ((e.lastPolledAt ?? e.startedAt) - e.startedAt) / 1000
    const n = (now - e.startedAt) / 1000
    const fa = lnCdf(e.dist, a)
    const fn = lnCdf(e.dist, n)
    if (fa >= 1) return 1
    return (fn - fa) / (1 - fa)
  }

  /** Expected seconds since the task finished, given it was unfinished when last seen (0 if it is not). */
  overdue(e: Entry, now: number): number {
    const a = ((e.lastPolledAt ?? e.startedAt) - e.startedAt) / 1000
    const n = (now - e.startedAt) / 1000
    if (n <= a) return 0
    const fa = lnCdf(e.dist, a)
    if (fa >= 1) return n - a
    // ∫ₐⁿ (F(s) − F(a)) ds / (1 − F(a)), with ∫₀ˣ F = x·F(x) − e^(μ+σ²/2)·Φ((ln x − μ − σ²)/σ) for a log-normal.
    const { mu, sigma } = e.dist
    const mean = Math.exp(mu + (sigma * sigma) / 2)
    const integral = (x: number): number => (x <= 0 ? 0 : x * lnCdf(e.dist, x) - mean * normalCdf((Math.log(x) - mu - sigma * sigma) / sigma))
    return Math.max(0, (integral(n) - integral(a) - fa * (n - a)) / (1 - fa))
  }

  private dueAt(e: Entry): number {
    const last = e.lastPolledAt ?? e.startedAt
    const a = (last - e.startedAt) / 1000
    const fa = lnCdf(e.dist, a)
    // Solve (F(t) − F(a)) / (1 − F(a)) = threshold for t.
    const target = 1 - (1 - this.threshold) * (1 - fa)
    const tSec = target >= 1 ? a : lnQuantile(e.dist, target)
    let byChance = e.startedAt + tSec * 1000
    if (e.lastPolledAt == null && this.probeFraction > 0) byChance = Math.min(byChance, e.startedAt + this.probeFraction * lnQuantile(e.dist, 0.5) * 1000)
    const earliest = e.lastPolledAt == null ? e.startedAt : last + this.minIntervalMs
    return Math.max(earliest, e.notBefore, Math.min(byChance, last + this.maxIntervalMs))
  }

  start(): void {
    if (this.running) return
    this.running = true
    this.abort = sharedAbortController()
    void this.loop()
  }

  stop(): void {
    this.running = false
    this.abort.abort(new Error('scheduler stopped'))
    this.kick()
  }

  private kick(): void {
    if (this.timer) {
      this.o.clock.clearTimeout(this.timer)
      this.timer = null
    }
    const w = this.wake
    this.wake = null
    w?.()
  }

  private sleepUntil(at: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve
      const ms = at - this.o.clock.now()
      if (Number.isFinite(ms)) {
        this.timer = this.o.clock.setTimeout(() => {
          this.timer = null
          this.wake = null
          resolve()
        }, Math.max(0, ms))
      }
    })
  }

  private nextDue(): number {
    let min = Infinity
    for (const e of this.tasks.values()) if (!e.inFlight && e.dueAt < min) min = e.dueAt
    return min
  }

  /** How much polling this due task now is worth: the expected seconds since it finished. */
  protected score(e: Entry, now: number): number {
    return this.overdue(e, now)
  }

  /** The due task with the highest score, or null. */
  pickBest(now: number): Entry | null {
    let best: Entry | null = null
    let bestScore = -1
    for (const e of this.tasks.values()) {
      if (e.inFlight || e.dueAt > now) continue
      const score = this.score(e, now)
      if (score > bestScore) {
        best = e
        bestScore = score
      }
    }
    return best
  }

  /** The wall clock went back (a correction, a manual change): move every plan back with it, or polls would wait for hours. */
  private followClock(): void {
    const now = this.o.clock.now()
    const delta = now - this.lastNow
    this.lastNow = now
    if (delta > -1000) return
    for (const e of this.tasks.values()) {
      e.startedAt += delta
      if (e.lastPolledAt != null) e.lastPolledAt += delta
      if (e.progressAt != null) e.progressAt += delta
      e.notBefore += delta
      e.dueAt += delta
    }
  }

  private async loop(): Promise<void> {
    while (this.running) {
      this.followClock()
      const due = this.nextDue()
      if (due > this.o.clock.now()) {
        await this.sleepUntil(due)
        continue
      }
      let grant: BudgetGrant
      try {
        grant = await this.o.budget.acquire('poll', this.abort.signal)
      } catch {
        return
      }
      if (!this.running) return
      const now = this.o.clock.now()
      const e = this.pickBest(now)
      if (!e) continue
      e.inFlight = true
      e.lastPolledAt = now
      void this.o
        .poll(e.id, grant)
        .catch(() => {})
        .finally(() => {
          const cur = this.tasks.get(e.id)
          if (cur === e) {
            // The caller did not upsert (e.g. it threw): plan the next poll from what we know.
            e.inFlight = false
            e.dueAt = this.dueAt(e)
            this.kick()
          } else if (cur) {
            cur.inFlight = false
            this.kick()
          }
        })
    }
  }
}
