// A clock tests move by hand: timers fire in order as time advances, nothing waits for real.
import type { Clock, TimerHandle } from '../../src/core/ports'

interface Timer {
  id: number
  at: number
  fn: () => void
}

export class FakeClock implements Clock {
  private t: number
  private timers: Timer[] = []
  private seq = 0

  constructor(start = Date.UTC(2026, 10, 24, 12, 0, 0)) {
    this.t = start
  }

  now(): number {
    return this.t
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer = { id: ++this.seq, at: this.t + Math.max(0, ms), fn }
    this.timers.push(timer)
    return timer.id as unknown as TimerHandle
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((x) => x.id !== (handle as unknown as number))
  }

  pending(): number {
    return this.timers.length
  }

  /** Moves time forward, firing due timers in order and letting promise callbacks run between them. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms
    for (;;) {
      await flush()
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id)
      const next = this.timers[0]
      if (!next || next.at > end) break
      this.timers.shift()
      this.t = Math.max(this.t, next.at)
      next.fn()
    }
    this.t = end
    await flush()
  }
}

/** Lets queued promise callbacks run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve()
}
