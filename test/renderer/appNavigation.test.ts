// What main asks the page to show (a notification, the menu, the tray) becomes a route under the
// page's own rules, and the queue can show one batch alone with chip counts of that batch.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { followNavigation } from '../../src/renderer/src/features/shell/navigation'
import { useApp } from '../../src/renderer/src/store/app'
import { filterJobIds, jobsFromList, QUEUE_FILTERS } from '../../src/renderer/src/store/jobsModel'
import { batchFilterCount, onlyBatch } from '../../src/renderer/src/store/queueModel'
import { jobView } from '../helpers/jobView'

afterEach(() => {
  useApp.setState({ route: { name: 'compose' }, helpOpen: false })
  vi.unstubAllGlobals()
})

describe('following main’s navigation', () => {
  it('shows the queue for one batch, one job, or under a filter, each time anew', () => {
    followNavigation({ to: 'queue', batchId: 'b1', filter: 'attention' })
    const first = useApp.getState().route
    expect(first).toMatchObject({ name: 'queue', batchId: 'b1', filter: 'attention' })
    followNavigation({ to: 'queue', jobId: 'j9' })
    expect(useApp.getState().route).toMatchObject({ name: 'queue', focusId: 'j9', batchId: undefined })
    expect((useApp.getState().route as { nonce: number }).nonce).toBeGreaterThanOrEqual((first as { nonce: number }).nonce)
  })

  it('goes to a screen, opens the shortcuts, and closes them when it goes elsewhere', () => {
    followNavigation({ to: 'help' })
    expect(useApp.getState().helpOpen).toBe(true)
    followNavigation({ to: 'library' })
    expect(useApp.getState()).toMatchObject({ route: { name: 'library' }, helpOpen: false })
    followNavigation({ to: 'settings' })
    expect(useApp.getState().route).toEqual({ name: 'settings' })
  })

  it('leaves the first-run screen alone until the key is set or skipped', () => {
    useApp.setState({ route: { name: 'firstRun' } })
    followNavigation({ to: 'library' })
    followNavigation({ to: 'queue', batchId: 'b1' })
    expect(useApp.getState().route).toEqual({ name: 'firstRun' })
  })

  it('asks main to open the library folder itself (so a failure is a toast in the page’s language)', async () => {
    const invoke = vi.fn(async () => ({ ok: true, value: true }))
    vi.stubGlobal('window', { api: { invoke } })
    followNavigation({ to: 'libraryFolder' })
    await vi.waitFor(() => expect(invoke).toHaveBeenCalledWith('library.openFolder', {}))
    expect(useApp.getState().route).toEqual({ name: 'compose' })
  })
})

describe('the queue for one batch', () => {
  const data = jobsFromList([
    jobView('a1', 1, { batchId: 'A', state: 'completed' }),
    jobView('b1', 2, { batchId: 'B', state: 'failed', remoteId: 't1' }),
    jobView('a2', 3, { batchId: 'A', state: 'failed', remoteId: 't2' }),
    jobView('a3', 4, { batchId: 'A', state: 'completed', parentId: 'a2', lineage: 'retry' }),
    jobView('a4', 5, { batchId: 'A', state: 'needs_decision' }),
    jobView('s1', 6, { state: 'running' })
  ])

  it('lists only that batch’s jobs, in the order shown', () => {
    expect(onlyBatch(data, filterJobIds(data, 'all'), 'A')).toEqual(['a4', 'a3', 'a2', 'a1'])
    expect(onlyBatch(data, filterJobIds(data, 'attention'), 'A')).toEqual(['a4'])
    expect(onlyBatch(data, filterJobIds(data, 'all'), 'nope')).toEqual([])
  })

  it('counts each chip over that batch alone, a failed job replaced by its retry not under Failed', () => {
    const counts = Object.fromEntries(QUEUE_FILTERS.map((f) => [f, batchFilterCount(data, 'A', f)]))
    expect(counts).toEqual({ all: 4, active: 0, attention: 1, completed: 2, failed: 0, canceled: 0 })
    // The chip counts match what each filter then lists.
    for (const f of QUEUE_FILTERS) expect(onlyBatch(data, filterJobIds(data, f), 'A'), f).toHaveLength(counts[f])
  })
})
