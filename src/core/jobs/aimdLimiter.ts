// Concurrency that backs off on 429 and recovers slowly: additive increase, multiplicative decrease.

export class AimdLimiter {
  private current: number
  private inFlight = 0

  constructor(
    private max: number,
    private readonly min = 1
  ) {
    this.current = max
  }

  get limit(): number {
    return Math.max(this.min, Math.floor(this.current))
  }

  get active(): number {
    return this.inFlight
  }

  setMax(max: number): void {
    this.max = Math.max(this.min, max)
    this.current = Math.min(this.current, this.max)
  }

  canAcquire(): boolean {
    return this.inFlight < this.limit
  }

  acquire(): void {
    this.inFlight++
  }

  release(outcome: 'ok' | 'throttled' | 'error'): void {
    this.inFlight = Math.max(0, this.inFlight - 1)
    if (outcome === 'throttled') this.current = Math.max(this.min, this.current / 2)
    else if (outcome === 'ok') this.current = Math.min(this.max, this.current + 1 / Math.max(1, this.current))
  }
}

/** A slot that needs room in both a per-provider limiter and the overall one. */
export class LimiterPair {
  constructor(
    readonly overall: AimdLimiter,
    private readonly perKey: Map<string, AimdLimiter>,
    private readonly perKeyMax: () => number
  ) {}

  forKey(key: string): AimdLimiter {
    let l = this.perKey.get(key)
    if (!l) {
      l = new AimdLimiter(this.perKeyMax())
      this.perKey.set(key, l)
    }
    return l
  }

  canAcquire(key: string): boolean {
    return this.overall.canAcquire() && this.forKey(key).canAcquire()
  }

  acquire(key: string): void {
    this.overall.acquire()
    this.forKey(key).acquire()
  }

  release(key: string, outcome: 'ok' | 'throttled' | 'error'): void {
    this.overall.release(outcome)
    this.forKey(key).release(outcome)
  }

  setMax(overall: number, perKey: number): void {
    this.overall.setMax(overall)
    for (const l of this.perKey.values()) l.setMax(perKey)
  }
}
