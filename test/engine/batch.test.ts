// Batches: 200 jobs under a request budget, restarts mid-batch, cancel, held batches, spend.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Engine } from '../../src/core/engine'
import type { JobSpec } from '../../src/shared/jobs'
import type { FakeCometApi } from '../fake-cometapi/server'
import { startFakeInWorker } from '../fake-cometapi/worker'
import { engineOptions, harness, settle, until, type Harness } from './harness'

let h: Harness
afterEach(async () => {
  await h?.cleanup()
})

const API_KINDS = new Set(['create', 'poll', 'lookup', 'remix', 'content', 'catalog', 'other'])

/** The most API requests the fake saw in any one-second window, and that window's requests. */
function peakPerSecond<T extends { at: number }>(entries: T[]): { peak: number; window: T[] } {
  const t = [...entries].sort((a, b) => a.at - b.at)
  let peak = 0
  let best = 0
  let lo = 0
  for (let hi = 0; hi < t.length; hi++) {
    while (t[hi].at - t[lo].at >= 1000) lo++
    if (hi - lo + 1 > peak) {
      peak = hi - lo + 1
      best = lo
    }
  }
  return { peak, window: t.slice(best, best + peak) }
}

describe('a 200-job batch', () => {
  it('completes every job without a single second over the request budget', async () => {
    const rps = 10
    // The fake runs on its own thread so its arrival times are not skewed by the engine's work.
    const fake = await startFakeInWorker({ durations: { '*': 2500 } })
    const dir = mkdtempSync(join(tmpdir(), 'cvs-budget-'))
    const logs: string[] = []
    const engine = new Engine(
      engineOptions({ url: fake.url } as FakeCometApi, dir, logs, { settingsOverrides: { requestsPerSecond: rps, maxConcurrentCreates: 8, maxConcurrentCreatesPerProvider: 4 } })
    )
    try {
      engine.start()
      const models = ['sora-2', 'wan2.6', 'kling-v2-6', 'grok-imagine-video']
      const specs: JobSpec[] = Array.from({ length: 200 }, (_, i) => {
        const model = models[i % models.length]
        const base: JobSpec = { model, prompt: `batch job ${i}` }
        if (model === 'sora-2') return { ...base, seconds: 4, size: '1280x720' }
        if (model === 'wan2.6') return { ...base, seconds: 5, size: '1280x720' }
        if (model === 'kling-v2-6') return { ...base, seconds: 5 }
        return { ...base, seconds: 1 }
      })
      const r = await engine.createJobs({ specs })
      if (!r.ok) throw new Error(JSON.stringify(r.errors))
      const jobs = await settle(engine, r.jobs.map((j) => j.id), 150_000)
      expect(jobs.filter((j) => j.state !== 'completed')).toEqual([])
      const log = await fake.log()
      const api = log.filter((e) => API_KINDS.has(e.kind))
      const { peak, window } = peakPerSecond(api)
      expect(peak, window.map((e) => `${e.at - window[0].at}ms ${e.kind} ${e.family}`).join(', ')).toBeLessThanOrEqual(rps)
      const creates = new Map<string, number>()
      for (const e of log) if (e.created && e.prompt) creates.set(e.prompt, (creates.get(e.prompt) ?? 0) + 1)
      expect(creates.size).toBe(200)
      expect([...creates.values()].every((n) => n === 1)).toBe(true)
      // Polls go where a finished task is likely: a few per job, not one per second per job.
      expect(api.filter((e) => e.kind === 'poll').length / 200).toBeLessThan(6)
      expect(engine.library.stats().count).toBe(200)
    } finally {
      await engine.close()
      await fake.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }, 180_000)

  it('loses nothing and creates nothing twice when the engine restarts mid-batch', async () => {
    h = await harness({ durations: { '*': 1500 } }, { settingsOverrides: { requestsPerSecond: 20 } })
    h.engine.start()
    const specs: JobSpec[] = Array.from({ length: 30 }, (_, i) => ({ model: i % 2 ? 'kling-v2-6' : 'sora-2', prompt: `restart job ${i}`, seconds: i % 2 ? 5 : 4, size: i % 2 ? undefined : '1280x720' }))
    const r = await h.engine.createJobs({ specs })
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    await until(() => h.fake.creates().length >= 10)
    await h.restart()
    h.engine.start()
    await until(() => (h.engine.status().counts.completed ?? 0) >= 5, 30_000)
    await h.restart()
    h.engine.start()
    const jobs = await settle(h.engine, r.jobs.map((j) => j.id), 60_000)
    // A graceful stop lets creates in flight finish: nothing is left undecided.
    expect(jobs.map((j) => j.state).filter((s) => s !== 'completed')).toEqual([])
    for (const [prompt, n] of h.fake.createCountsByPrompt()) expect({ prompt, n }).toEqual({ prompt, n: 1 })
  }, 120_000)
})

describe('cancel, hold and spend', () => {
  it('cancels a queued job without sending it, and a running one with a plain warning', async () => {
    h = await harness({ durations: { '*': 5000 } })
    const r = await h.engine.createJobs({ specs: [{ model: 'sora-2', prompt: 'cancel me early', seconds: 4, size: '1280x720' }] })
    if (!r.ok) throw new Error('create')
    const early = h.engine.cancel(r.jobs[0].id)
    expect(early.message).toMatch(/nothing was billed/)
    h.engine.start()
    const r2 = await h.engine.createJobs({ specs: [{ model: 'sora-2', prompt: 'cancel me late', seconds: 4, size: '1280x720' }] })
    if (!r2.ok) throw new Error('create')
    await until(() => h.engine.getJob(r2.jobs[0].id)?.state === 'submitted' || h.engine.getJob(r2.jobs[0].id)?.state === 'running')
    const late = h.engine.cancel(r2.jobs[0].id)
    expect(late.message).toMatch(/may still finish it and bill you/)
    expect(late.job.state).toBe('canceled')
    await new Promise((res) => setTimeout(res, 300))
    expect(h.fake.creates().map((e) => e.prompt)).toEqual(['cancel me late'])
  })

  it('holds a batch above the daily cap until the user confirms, and records spend per model', async () => {
    h = await harness()
    h.engine.updateSettings({ dailyBudget: 0.5 })
    h.engine.start()
    // sora-2 costs 0.08/s in the fake catalog → 4 s = 0.32 each; three of them exceed a cap of 0.5.
    await h.engine.refreshModels({ force: true })
    const specs: JobSpec[] = [0, 1, 2].map((i) => ({ model: 'sora-2', prompt: `held ${i}`, seconds: 4, size: '1280x720' }))
    const r = await h.engine.createJobs({ specs })
    if (!r.ok) throw new Error('create')
    expect(r.held).toBe(true)
    expect(r.note).toMatch(/above your daily cap/)
    await new Promise((res) => setTimeout(res, 300))
    expect(h.fake.creates()).toHaveLength(0)
    h.engine.confirmHeld(r.jobs.map((j) => j.id))
    await settle(h.engine, r.jobs.map((j) => j.id))
    const spend = h.engine.spend()
    expect(spend.todayByModel[0]).toMatchObject({ model: 'sora-2', jobs: 3 })
    expect(spend.todayTotal).toBeCloseTo(3 * r.jobs[0].estimatedCost!, 6)
  })
})
