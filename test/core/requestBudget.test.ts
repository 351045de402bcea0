import { describe, expect, it } from 'vitest'
import { RequestBudget } from '../../src/core/http/requestBudget'
import { FakeClock } from '../helpers/fakeClock'

describe('RequestBudget', () => {
  it('never grants more than the rate in any one-second window', async () => {
    const clock = new FakeClock()
    const budget = new RequestBudget(clock, 2, 0)
    const grants: number[] = []
    for (let i = 0; i < 20; i++) void budget.acquire(i % 2 ? 'poll' : 'create').then(() => grants.push(clock.now()))
    await clock.advance(20_000)
    expect(grants).toHaveLength(20)
    for (const g of grants) expect(grants.filter((x) => x >= g && x < g + 1000).length).toBeLessThanOrEqual(2)
    // And it does not leave the budget idle: 20 grants need about 10 s at 2/s.
    expect(grants[19] - grants[0]).toBeLessThanOrEqual(9_500)
  })

  it('handles rates below one per second', async () => {
    const clock = new FakeClock()
    const budget = new RequestBudget(clock, 0.5, 0)
    const grants: number[] = []
    for (let i = 0; i < 4; i++) void budget.acquire('poll').then(() => grants.push(clock.now()))
    await clock.advance(10_000)
    expect(grants.map((g) => g - grants[0])).toEqual([0, 2000, 4000, 6000])
  })

  it('lets creates and polls take turns, urgent first', async () => {
    const clock = new FakeClock()
    const budget = new RequestBudget(clock, 1, 0)
    const order: string[] = []
    await budget.acquire('poll') // use up the first slot
    for (let i = 0; i < 3; i++) void budget.acquire('create').then(() => order.push('create'))
    for (let i = 0; i < 3; i++) void budget.acquire('poll').then(() => order.push('poll'))
    void budget.acquire('urgent').then(() => order.push('urgent'))
    await clock.advance(10_000)
    expect(order[0]).toBe('urgent')
    expect(order.slice(1)).toEqual(['create', 'poll', 'create', 'poll', 'create', 'poll'])
  })

  it('a grant given back (the create was held by "Pause all") frees its place for the next caller at once', async () => {
    const clock = new FakeClock()
    const budget = new RequestBudget(clock, 1, 0)
    const start = clock.now()
    const grant = await budget.acquire('create')
    const later: number[] = []
    void budget.acquire('poll').then(() => later.push(clock.now() - start))
    await clock.advance(10)
    expect(later).toEqual([])
    grant.release()
    grant.release() // twice changes nothing
    await clock.advance(0)
    expect(later).toEqual([10])
  })

  it('rejects a waiter whose signal aborts, without using its slot', async () => {
    const clock = new FakeClock()
    const budget = new RequestBudget(clock, 1, 0)
    await budget.acquire('poll')
    const ac = new AbortController()
    const aborted = budget.acquire('poll', ac.signal)
    ac.abort(new Error('stop'))
    await expect(aborted).rejects.toThrow('stop')
    let granted = false
    void budget.acquire('poll').then(() => (granted = true))
    await clock.advance(1000)
    expect(granted).toBe(true)
  })
})
