import { describe, expect, it } from 'vitest'
import { AimdLimiter, LimiterPair } from '../../src/core/jobs/aimdLimiter'

describe('AimdLimiter', () => {
  it('halves on 429 and recovers one slot per window of successes', () => {
    const l = new AimdLimiter(8)
    expect(l.limit).toBe(8)
    l.acquire()
    l.release('throttled')
    expect(l.limit).toBe(4)
    l.acquire()
    l.release('throttled')
    expect(l.limit).toBe(2)
    // Additive increase: about `limit` successes per extra slot (2 + 1/2 + 1/2.5 + 1/2.9 ≥ 3).
    for (let i = 0; i < 3; i++) {
      l.acquire()
      l.release('ok')
    }
    expect(l.limit).toBe(3)
    for (let i = 0; i < 100; i++) {
      l.acquire()
      l.release('ok')
    }
    expect(l.limit).toBe(8)
  })

  it('never goes below one and blocks when full', () => {
    const l = new AimdLimiter(2)
    for (let i = 0; i < 10; i++) {
      l.acquire()
      l.release('throttled')
    }
    expect(l.limit).toBe(1)
    l.acquire()
    expect(l.canAcquire()).toBe(false)
  })

  it('needs room per provider and overall', () => {
    const pair = new LimiterPair(new AimdLimiter(3), new Map(), () => 2)
    pair.acquire('kling')
    pair.acquire('kling')
    expect(pair.canAcquire('kling')).toBe(false)
    expect(pair.canAcquire('xai')).toBe(true)
    pair.acquire('xai')
    expect(pair.canAcquire('runway')).toBe(false)
    pair.release('kling', 'ok')
    expect(pair.canAcquire('runway')).toBe(true)
  })
})
