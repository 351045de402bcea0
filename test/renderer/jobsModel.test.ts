import { describe, expect, it } from 'vitest'
import { jobView as job } from '../helpers/jobView'
import { ACTIVE_STATES, TERMINAL_STATES, WAITING_FOR_PERSON_STATES } from '../../src/shared/jobStates'
import { activeCount, applyJobsChanged, countIn, emptyJobs, filterCount, filterJobIds, finishedIds, jobsFromList, mergeJobs, statesOf } from '../../src/renderer/src/store/jobsModel'


describe('jobs patch application', () => {
  it('orders newest first and counts states', () => {
    const data = jobsFromList([job('a', 1), job('c', 3, { state: 'running' }), job('b', 2)])
    expect(data.order).toEqual(['c', 'b', 'a'])
    expect(data.counts.queued).toBe(2)
    expect(data.counts.running).toBe(1)
    expect(activeCount(data.counts)).toBe(3)
  })

  it('inserts new jobs at their place and keeps untouched jobs identical', () => {
    const a = job('a', 1)
    const c = job('c', 3)
    const data = jobsFromList([a, c])
    const next = applyJobsChanged(data, { jobs: [job('b', 2)], removed: [] })
    expect(next.order).toEqual(['c', 'b', 'a'])
    expect(next.byId.get('a')).toBe(a)
    expect(next.byId.get('c')).toBe(c)
    expect(data.order).toEqual(['c', 'a'])
  })

  it('updates a job in place without reordering and moves counts', () => {
    const data = jobsFromList([job('a', 1), job('b', 2)])
    const next = applyJobsChanged(data, { jobs: [job('a', 1, { state: 'running', progress: 40, updatedAt: 5 })], removed: [] })
    expect(next.order).toBe(data.order)
    expect(next.byId.get('a')?.progress).toBe(40)
    expect(next.counts.queued).toBe(1)
    expect(next.counts.running).toBe(1)
  })

  it('ignores a stale update (older updatedAt) and returns the same object', () => {
    const data = jobsFromList([job('a', 1, { state: 'completed', updatedAt: 10 })])
    const next = applyJobsChanged(data, { jobs: [job('a', 1, { state: 'running', updatedAt: 9 })], removed: [] })
    expect(next).toBe(data)
  })

  it('removes jobs and fixes counts; unknown removals are no-ops', () => {
    const data = jobsFromList([job('a', 1), job('b', 2, { state: 'failed' })])
    const next = applyJobsChanged(data, { jobs: [], removed: ['b', 'zzz'] })
    expect(next.order).toEqual(['a'])
    expect(next.counts.failed).toBe(0)
    expect(applyJobsChanged(emptyJobs(), { jobs: [], removed: ['x'] })).toEqual(emptyJobs())
  })

  it('a job removed and re-sent in the same patch stays removed', () => {
    const data = jobsFromList([job('a', 1)])
    const next = applyJobsChanged(data, { jobs: [job('a', 1, { updatedAt: 2 })], removed: ['a'] })
    expect(next.order).toEqual([])
  })

  // Speed is measured in the benchmarks (house rule: no timed unit tests; this one failed on a busy machine).
  it('applies 200 patches to a 10,000-job queue in place: order kept, counts follow', () => {
    const list = Array.from({ length: 10_000 }, (_, i) => job(`j${i}`, i))
    let data = jobsFromList(list)
    for (let i = 0; i < 200; i++) data = applyJobsChanged(data, { jobs: [job(`j${i * 7}`, i * 7, { state: 'running', progress: i % 100, updatedAt: 100_000 + i })], removed: [] })
    expect(data.order.length).toBe(10_000)
    expect(data.order[0]).toBe('j9999')
    expect(data.counts.running).toBe(200)
    expect(data.counts.queued).toBe(9800)
    expect(data.byId.get('j7')).toMatchObject({ state: 'running', progress: 1 })
  })
})

describe('loading a long queue in pages', () => {
  it('adds later pages without rolling back jobs that changed meanwhile', () => {
    const first = jobsFromList([job('c', 3), job('b', 2, { state: 'completed', updatedAt: 50 })])
    // An older copy of b arrives in a later page (the request raced an update): it is ignored.
    const merged = mergeJobs(first, [job('b', 2, { state: 'running', updatedAt: 10 }), job('a', 1)])
    expect(merged.order).toEqual(['c', 'b', 'a'])
    expect(merged.byId.get('b')?.state).toBe('completed')
    expect(merged.counts.completed).toBe(1)
    expect(mergeJobs(merged, [job('a', 1)])).toBe(merged)
  })
})

describe('queue selectors', () => {
  const data = jobsFromList([
    job('a', 1, { state: 'completed' }),
    job('b', 2, { state: 'held' }),
    job('c', 3, { state: 'running', spec: { model: 'kling-v3', prompt: 'A red fox' }, model: 'kling-v3' }),
    job('d', 4, { state: 'failed', remoteId: 'task_XYZ' })
  ])

  it('filters by state group', () => {
    expect(filterJobIds(data, 'active')).toEqual(['c'])
    expect(filterJobIds(data, 'attention')).toEqual(['b'])
    expect(filterJobIds(data, 'all')).toBe(data.order)
    expect(filterCount(data.counts, 'completed')).toBe(1)
  })

  it('filters by text over model, prompt and task id', () => {
    expect(filterJobIds(data, 'all', 'fox')).toEqual(['c'])
    expect(filterJobIds(data, 'all', 'KLING')).toEqual(['c'])
    expect(filterJobIds(data, 'all', 'task_xyz')).toEqual(['d'])
  })

  it('finished ids are the terminal jobs', () => {
    expect(finishedIds(data).sort()).toEqual(['a', 'd'])
  })

  it('the active and attention filters are the shared state sets', () => {
    expect(statesOf('active')).toBe(ACTIVE_STATES)
    expect(statesOf('attention')).toBe(WAITING_FOR_PERSON_STATES)
    expect(countIn(data.counts, TERMINAL_STATES)).toBe(2)
    expect(activeCount(data.counts)).toBe(2)
  })
})
