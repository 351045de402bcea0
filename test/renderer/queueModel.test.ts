// The queue's pure logic: a failed job retried is "replaced" (no second Retry, not under Failed),
// batches grouped under a header, selection by click / shift-click / Ctrl-click / select all across
// rows the virtual list never rendered, and what a bulk action may do to the selected jobs.
import { describe, expect, it } from 'vitest'
import type { JobView } from '../../src/shared/jobs'
import { jobView } from '../helpers/jobView'
import { filterJobIds, jobsFromList, queueFilterCount, replacedBy } from '../../src/renderer/src/store/jobsModel'
import { batchSummary, bulkPlan, clickSelection, emptySelection, pruneSelection, queueItems, selectAll, sourceNames } from '../../src/renderer/src/store/queueModel'

/** As the engine says it: a task id came back, so it is billed. */
const job = (id: string, createdAt: number, patch: Partial<JobView> = {}): JobView => jobView(id, createdAt, { estimatedCost: 0.5, ...patch, billed: patch.remoteId != null })


describe('a failed job that was retried is replaced', () => {
  const data = jobsFromList([
    job('f1', 1, { state: 'failed', remoteId: 't1' }),
    job('f2', 2, { state: 'failed', remoteId: 't2' }),
    job('r1', 3, { state: 'completed', parentId: 'f1', lineage: 'retry', remoteId: 't3' }),
    job('d1', 4, { state: 'completed', parentId: 'f2', lineage: 'duplicate' })
  ])

  it('knows which job replaced it (a duplicate does not replace)', () => {
    expect(replacedBy(data, 'f1')).toBe('r1')
    expect(replacedBy(data, 'f2')).toBeNull()
  })

  it('is not counted or listed under Failed, but stays in All', () => {
    expect(queueFilterCount(data, 'failed')).toBe(1)
    expect(filterJobIds(data, 'failed')).toEqual(['f2'])
    expect(filterJobIds(data, 'all')).toContain('f1')
    expect(queueFilterCount(data, 'all')).toBe(4)
  })

  it('offers no Retry in a bulk action', () => {
    const plan = bulkPlan(data, ['f1', 'f2'])
    expect(plan.retry).toEqual(['f2'])
  })
})

describe('search matches source file names', () => {
  const data = jobsFromList([job('a', 1, { spec: { model: 'sora-2', prompt: 'x', images: ['/home/me/drop/beach-sunset.png'] } }), job('b', 2)])
  it('by base name, not the folder', () => {
    expect(filterJobIds(data, 'all', 'sunset')).toEqual(['a'])
    expect(filterJobIds(data, 'all', 'home/me')).toEqual([])
    expect(sourceNames(data.byId.get('a')!)).toEqual(['beach-sunset.png'])
  })
  it('a Windows path too', () => {
    expect(sourceNames(job('w', 1, { spec: { model: 'm', prompt: '', images: ['C:\\Users\\me\\cat.jpg'] } }))).toEqual(['cat.jpg'])
  })
})

describe('batches are grouped under a header', () => {
  // Newest first: b1's retry came last, so it is the newest and pulls its batch up to it.
  const data = jobsFromList([
    job('b1a', 10, { batchId: 'b1', state: 'completed', remoteId: 't1' }),
    job('b1b', 11, { batchId: 'b1', state: 'failed', remoteId: 't2' }),
    job('b1c', 12, { batchId: 'b1', state: 'running', remoteId: 't3' }),
    job('solo', 20),
    job('b1r', 30, { batchId: 'b1', state: 'queued', parentId: 'b1b', lineage: 'retry' }),
    job('lone', 40, { batchId: 'b2' })
  ])

  it('puts every job of a batch together under one header, at the place of its newest job', () => {
    const items = queueItems(data, data.order)
    expect(items.map((i) => (i.kind === 'batch' ? `#${i.batchId}` : i.id))).toEqual(['lone', '#b1', 'b1r', 'b1c', 'b1b', 'b1a', 'solo'])
  })

  it('keeps only the visible jobs under the header', () => {
    const items = queueItems(data, ['b1c', 'solo'])
    expect(items.map((i) => (i.kind === 'batch' ? `#${i.batchId}` : i.id))).toEqual(['#b1', 'b1c', 'solo'])
  })

  it('sums up done/total (a replaced job is not counted), the cost billed so far and what is left', () => {
    const s = batchSummary(data, 'b1')
    expect(s.total).toBe(3)
    expect(s.done).toBe(1)
    // Billed so far: the three accepted tasks (a task id came back), at their estimates.
    expect(s.costSoFar).toBeCloseTo(1.5)
    expect(s.retryIds).toEqual([])
    expect(s.cancelIds.sort()).toEqual(['b1c', 'b1r'])
    expect(s.state).toBe('active')
  })

  it('retry all failed lists only jobs the provider failed, with their cost', () => {
    const d = jobsFromList([
      job('x1', 1, { batchId: 'b', state: 'failed', remoteId: 't1', estimatedCost: 0.4 }),
      job('x2', 2, { batchId: 'b', state: 'failed', remoteId: null }), // refused at create: not a provider failure
      job('x3', 3, { batchId: 'b', state: 'failed', remoteId: 't3', estimatedCost: null }),
      job('x4', 4, { batchId: 'b', state: 'completed', remoteId: 't4' })
    ])
    const s = batchSummary(d, 'b')
    expect(s.retryIds.sort()).toEqual(['x1', 'x3'])
    expect(s.retryCost).toBeCloseTo(0.4)
    expect(s.retryUnpriced).toBe(1)
    expect(s.state).toBe('failed')
    expect(s.completedItems).toEqual([])
  })
})

describe('selection', () => {
  // 1,000 rows: the virtual list renders perhaps 15 of them; selection works on the ids alone.
  const ids = Array.from({ length: 1000 }, (_, i) => `j${i}`)

  it('a click selects one row and makes it the anchor', () => {
    const s = clickSelection(emptySelection(), ids, 'j5', {})
    expect([...s.ids]).toEqual(['j5'])
    expect(s.anchor).toBe('j5')
  })

  it('shift-click selects the range from the anchor, either way, across rows never rendered', () => {
    let s = clickSelection(emptySelection(), ids, 'j10', {})
    s = clickSelection(s, ids, 'j900', { shift: true })
    expect(s.ids.size).toBe(891)
    expect(s.ids.has('j500')).toBe(true)
    expect(s.anchor).toBe('j10')
    s = clickSelection(s, ids, 'j3', { shift: true })
    expect([...s.ids].sort()).toEqual(['j10', 'j3', 'j4', 'j5', 'j6', 'j7', 'j8', 'j9'].sort())
  })

  it('Ctrl/Cmd-click toggles one row and keeps the others', () => {
    let s = clickSelection(emptySelection(), ids, 'j1', {})
    s = clickSelection(s, ids, 'j7', { toggle: true })
    expect([...s.ids].sort()).toEqual(['j1', 'j7'])
    s = clickSelection(s, ids, 'j1', { toggle: true })
    expect([...s.ids]).toEqual(['j7'])
    // Ctrl+shift adds the range from the anchor (the row last Ctrl-clicked, here j1) to what is selected.
    s = clickSelection(s, ids, 'j20', { toggle: true })
    s = clickSelection(s, ids, 'j22', { toggle: true, shift: true })
    expect([...s.ids].sort()).toEqual(['j20', 'j21', 'j22', 'j7'])
  })

  it('shift-click with no anchor selects just that row', () => {
    const s = clickSelection(emptySelection(), ids, 'j4', { shift: true })
    expect([...s.ids]).toEqual(['j4'])
  })

  it('select all takes every visible row, and pruning drops rows no longer shown', () => {
    const all = selectAll(ids)
    expect(all.ids.size).toBe(1000)
    const pruned = pruneSelection(all, ids.slice(0, 10))
    expect(pruned.ids.size).toBe(10)
    expect(pruneSelection(pruned, ids.slice(0, 10))).toBe(pruned)
  })

  it('a bulk plan keeps what the lifecycle allows for each action', () => {
    const data = jobsFromList([
      job('q', 1, { state: 'queued' }),
      job('r', 2, { state: 'running', remoteId: 't' }),
      job('c', 3, { state: 'completed', remoteId: 't2' }),
      job('f', 4, { state: 'failed', remoteId: 't3', estimatedCost: 0.25 }),
      job('h', 5, { state: 'held' }),
      // Made and paid, not fetched yet: never discarded by a bulk cancel (it has Retry download).
      job('d', 6, { state: 'download_failed', remoteId: 't4' })
    ])
    const plan = bulkPlan(data, ['q', 'r', 'c', 'f', 'h', 'd', 'gone'])
    expect(plan.cancel.sort()).toEqual(['h', 'q', 'r'])
    expect(plan.retry).toEqual(['f'])
    expect(plan.retryCost).toBeCloseTo(0.25)
    expect(plan.remove.sort()).toEqual(['c', 'f', 'h'])
  })
})
