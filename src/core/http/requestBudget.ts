// One global request budget shared by every API request (creates, polls, lookups, catalog).
// A sliding window rather than a token bucket: a bucket lets a burst of `capacity` requests land in
// the same second on top of the refill, and the promise is "never above N requests per second".
import type { Clock, TimerHandle } from '../ports'

export type BudgetClass = 'urgent' | 'create' | 'poll'

/** One request's place in the budget. */
export interface BudgetGrant {
  /**
   * The request is going on the wire now. Its place in the window moves to this moment, so a
   * request held up after its grant (a slow connect, a busy event loop) cannot bunch up with the
   * next window's requests.
   */
  sent(): void
  /** The request will not be sent after all (the person paused): its place goes to the next caller. */
  release(): void
}

interface Waiter {
  cls: BudgetClass
  resolve: (grant: BudgetGrant) => void
  reject: (reason: unknown) => void
  signal?: AbortSignal
  onAbort?: () => void
}

export class RequestBudget {
  private grants: { t: number }[] = []
  private waiters: Waiter[] = []
  private timer: TimerHandle | null = null
  private lastServed: BudgetClass = 'poll'
  private perWindow = 1
  private windowMs = 1000

  private rps = 1

  /**
   * `marginMs` (default: 10% of the window, at least 100 ms) widens the window so that a server
   * measuring arrival times — after network and scheduling jitter up to that margin — never sees
   * more than the budget in any second.
   */
  constructor(
    private readonly clock: Clock,
    requestsPerSecond: number,
    private readonly marginMs?: number
  ) {
    this.setRate(requestsPerSecond)
  }

  setRate(requestsPerSecond: number): void {
    this.rps = Math.max(0.01, requestsPerSecond)
    this.perWindow = Math.max(1, Math.floor(this.rps))
    const base = (this.perWindow / this.rps) * 1000
    this.windowMs = base + (this.marginMs ?? Math.max(100, base * 0.1))
    this.pump()
  }

  /** The configured budget in requests per second. */
  get rate(): number {
    return this.rps
  }

  /** Number of callers waiting, by class. */
  waiting(cls?: BudgetClass): number {
    return cls ? this.waiters.filter((w) => w.cls === cls).length : this.waiters.length
  }

  acquire(cls: BudgetClass, signal?: AbortSignal): Promise<BudgetGrant> {
    if (signal?.aborted) return Promise.reject(signal.reason)
    return new Promise<BudgetGrant>((resolve, reject) => {
      const w: Waiter = { cls, resolve, reject, signal }
      if (signal) {
        w.onAbort = () => {
          this.waiters = this.waiters.filter((x) => x !== w)
          reject(signal.reason)
        }
        signal.addEventListener('abort', w.onAbort, { once: true })
      }
      this.waiters.push(w)
      this.pump()
    })
  }

  private pick(): Waiter | undefined {
    const urgent = this.waiters.find((w) => w.cls === 'urgent')
    if (urgent) return urgent
    const create = this.waiters.find((w) => w.cls === 'create')
    const poll = this.waiters.find((w) => w.cls === 'poll')
    // Creates and polls take turns, so a 10,000-job batch never starves polls of finished videos.
    if (create && poll) return this.lastServed === 'create' ? poll : create
    return create ?? poll
  }

  private pump(): void {
    if (this.timer) {
      this.clock.clearTimeout(this.timer)
      this.timer = null
    }
    while (this.waiters.length) {
      const now = this.clock.now()
      // A grant from the "future" means the clock went back: forget it rather than wait for hours.
      this.grants = this.grants.filter((g) => now - g.t < this.windowMs && g.t <= now)
      if (this.grants.length >= this.perWindow) {
        const wait = Math.min(...this.grants.map((g) => g.t)) + this.windowMs - now
        this.timer = this.clock.setTimeout(() => {
          this.timer = null
          this.pump()
        }, Math.max(1, wait))
        return
      }
      const w = this.pick()
      if (!w) return
      this.waiters = this.waiters.filter((x) => x !== w)
      if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort)
      const slot = { t: now }
      this.grants.push(slot)
      if (w.cls !== 'urgent') this.lastServed = w.cls
      w.resolve({
        sent: () => {
          slot.t = Math.max(slot.t, this.clock.now())
        },
        release: () => {
          const before = this.grants.length
          this.grants = this.grants.filter((g) => g !== slot)
          if (this.grants.length < before) this.pump()
        }
      })
    }
  }

  dispose(): void {
    if (this.timer) this.clock.clearTimeout(this.timer)
    this.timer = null
  }
}
