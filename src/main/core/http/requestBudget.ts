// One global request budget shared by every API request (creates, polls, lookups, catalog).
// A sliding window rather than a token bucket: a bucket lets a burst of `capacity` requests land in
// the same second on top of the refill, and the promise is "never above N requests per second".
import type { Clock, TimerHandle } from '../ports'

export type BudgetClass = 'urgent' | 'create' | 'poll'

interface Waiter {
  cls: BudgetClass
  resolve: () => void
  reject: (reason: unknown) => void
  signal?: AbortSignal
  onAbort?: () => void
}

export class RequestBudget {
  private grants: number[] = []
  private waiters: Waiter[] = []
  private timer: TimerHandle | null = null
  private lastServed: BudgetClass = 'poll'
  private perWindow = 1
  private windowMs = 1000

  /** `marginMs` widens the window so a server measuring arrival times never sees more than the budget. */
  constructor(
    private readonly clock: Clock,
    requestsPerSecond: number,
    private readonly marginMs = 25
  ) {
    this.setRate(requestsPerSecond)
  }

  setRate(requestsPerSecond: number): void {
    const rps = Math.max(0.01, requestsPerSecond)
    this.perWindow = Math.max(1, Math.floor(rps))
    this.windowMs = (this.perWindow / rps) * 1000 + this.marginMs
    this.pump()
  }

  get rate(): number {
    return this.perWindow / ((this.windowMs - this.marginMs) / 1000)
  }

  /** Number of callers waiting, by class. */
  waiting(cls?: BudgetClass): number {
    return cls ? this.waiters.filter((w) => w.cls === cls).length : this.waiters.length
  }

  acquire(cls: BudgetClass, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason)
    return new Promise<void>((resolve, reject) => {
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
      this.grants = this.grants.filter((t) => now - t < this.windowMs)
      if (this.grants.length >= this.perWindow) {
        const wait = this.grants[0] + this.windowMs - now
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
      this.grants.push(now)
      if (w.cls !== 'urgent') this.lastServed = w.cls
      w.resolve()
    }
  }

  dispose(): void {
    if (this.timer) this.clock.clearTimeout(this.timer)
    this.timer = null
  }
}
