import { describe, expect, it } from 'vitest'
import { RequestBudget } from '../../src/core/http/requestBudget'
import { DurationModel, lnCdf, lnQuantile, normalCdf, normalQuantile } from '../../src/core/jobs/durationModel'
import { PollScheduler } from '../../src/core/jobs/pollScheduler'
import { FakeClock } from '../helpers/fakeClock'

describe('duration model', () => {
  it('has accurate normal CDF and quantile', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6)
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 5)
    for (const p of [0.01, 0.1, 0.3, 0.5, 0.9, 0.999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 5)
    const d = { mu: Math.log(60), sigma: 0.4 }
    expect(lnQuantile(d, 0.5)).toBeCloseTo(60, 6)
    expect(lnCdf(d, 60)).toBeCloseTo(0.5, 6)
  })

  it('learns a model’s typical duration from finished jobs', () => {
    const m = new DurationModel({ priorSeconds: () => 100 })
    expect(m.median('x')).toBeCloseTo(100)
    for (let i = 0; i < 40; i++) m.record('x', 30 * (1 + ((i % 5) - 2) * 0.05))
    expect(m.median('x')).toBeGreaterThan(27)
    expect(m.median('x')).toBeLessThan(34)
    expect(m.distribution('x').sigma).toBeLessThan(0.2)
  })

  it('uses reported progress to sharpen a task’s estimate', () => {
    const m = new DurationModel({ priorSeconds: () => 100 })
    // 50% after 20 s points at about 40 s in all.
    const d = m.forTask('x', 50, 20)
    expect(Math.exp(d.mu)).toBeGreaterThan(40)
    expect(Math.exp(d.mu)).toBeLessThan(70)
  })
})

describe('PollScheduler', () => {
  function setup(rps: number, prior = 60) {
    const clock = new FakeClock()
    const budget = new RequestBudget(clock, rps, 0)
    const durations = new DurationModel({ priorSeconds: () => prior, priorSigma: 0.3 })
    const polls: { id: string; at: number }[] = []
    const finishAt = new Map<string, number>()
    const detected = new Map<string, number>()
    const scheduler: PollScheduler = new PollScheduler({
      clock,
      budget,
      durations,
      minIntervalMs: 2000,
      maxIntervalMs: 60_000,
      poll: async (id) => {
        polls.push({ id, at: clock.now() })
        if (clock.now() >= finishAt.get(id)!) {
          detected.set(id, clock.now())
          scheduler.remove(id)
        } else {
          scheduler.upsert({ id, model: 'm', startedAt: 0 + start, lastPolledAt: clock.now(), progress: null, progressAt: null, notBefore: 0 })
        }
      }
    })
    const start = clock.now()
    return { clock, scheduler, polls, finishAt, detected, start }
  }

  it('looks once early, not again before the task can plausibly be done, then finds it soon after', async () => {
    const { clock, scheduler, polls, finishAt, detected, start } = setup(10)
    finishAt.set('a', start + 62_000)
    scheduler.upsert({ id: 'a', model: 'm', startedAt: start, lastPolledAt: null, progress: null, progressAt: null, notBefore: 0 })
    scheduler.start()
    await clock.advance(300_000)
    scheduler.stop()
    // One early look at its progress (a third of the typical time in), no pointless polls before that.
    expect(polls[0].at - start).toBeGreaterThan(15_000)
    expect(polls.filter((p) => p.at - start < 30_000).length).toBeLessThanOrEqual(1)
    expect(polls.length).toBeLessThanOrEqual(5)
    expect(detected.get('a')! - finishAt.get('a')!).toBeLessThan(20_000)
  })

  it('never exceeds the budget with many tasks and spends it on likely-finished ones', async () => {
    const { clock, scheduler, polls, finishAt, detected, start } = setup(2)
    for (let i = 0; i < 200; i++) {
      const id = `t${i}`
      finishAt.set(id, start + 40_000 + ((i * 7919) % 50_000))
      scheduler.upsert({ id, model: 'm', startedAt: start, lastPolledAt: null, progress: null, progressAt: null, notBefore: 0 })
    }
    scheduler.start()
    await clock.advance(1_200_000)
    scheduler.stop()
    expect(detected.size).toBe(200)
    const times = polls.map((p) => p.at)
    for (const t of times) expect(times.filter((x) => x >= t && x < t + 1000).length).toBeLessThanOrEqual(2)
    // Far fewer requests than polling each every 10 s (≈ 7 each for these durations).
    expect(polls.length / 200).toBeLessThan(4)
  })

  it('respects notBefore after an error', async () => {
    const { clock, scheduler, polls, start } = setup(10, 5)
    scheduler.upsert({ id: 'x', model: 'm', startedAt: start, lastPolledAt: start, progress: null, progressAt: null, notBefore: start + 120_000 })
    scheduler.start()
    await clock.advance(119_000)
    expect(polls).toHaveLength(0)
    await clock.advance(2_000)
    expect(polls).toHaveLength(1)
    scheduler.stop()
  })
})
