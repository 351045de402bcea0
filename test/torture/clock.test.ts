// The wall clock jumps while jobs run (an NTP correction, a manual change, a wrong clock fixed):
// three hours back, then thirteen hours forward — past the 12-hour limit after which the engine
// stops waiting for a video. No job may stall, and none may fail for an age it does not have.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Clock, systemClock } from '../../src/core/ports'
import type { JobSpec } from '../../src/shared/jobs'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import { recordFigures } from './figures'
import { auditLibrary, makeStudio, sleep, until, type StudioRig } from './helpers'

const HOUR = 3600_000

describe('clock jumps', () => {
  let fake: FakeCometApi
  let dir: string
  let rig: StudioRig
  let offset = 0
  const figures: Record<string, string> = {}
  const clock: Clock = {
    now: () => Date.now() + offset,
    monotonic: () => performance.now(),
    setTimeout: systemClock.setTimeout,
    clearTimeout: systemClock.clearTimeout
  }

  beforeAll(async () => {
    fake = await startFakeCometApi({ durations: { '*': 2500 } })
    dir = mkdtempSync(join(tmpdir(), 'cvs-torture-clock-'))
    rig = makeStudio(dir, fake.url, { engine: { clock, timing: { waitScale: 0.5, poll: { minIntervalMs: 300, maxIntervalMs: 2000 }, priorSeconds: () => 2 } } })
    rig.studio.start()
  })
  afterAll(async () => {
    await rig?.studio.stop()
    await fake?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const specs = (tag: string): JobSpec[] => [
    { model: 'sora-2', prompt: `${tag} sora`, seconds: 4, size: '1280x720' },
    { model: 'kling-v2-6', prompt: `${tag} kling`, seconds: 5 },
    { model: 'grok-imagine-video', prompt: `${tag} grok`, seconds: 2 },
    { model: 'doubao-seedance-2-0-fast', prompt: `${tag} seedance`, seconds: 5 }
  ]

  async function run(tag: string, jump: number): Promise<{ seconds: number; states: string[] }> {
    // One create is refused first (429), so a retry is planned on the old clock when it jumps.
    fake.injectOnce({ kind: 'create', fault: '429', count: 1 })
    const r = await rig.studio.engine.createJobs({ specs: specs(tag) })
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    const ids = r.jobs.map((j) => j.id)
    await sleep(400)
    offset += jump
    const t0 = Date.now()
    const job = (id: string) => rig.studio.engine.getJob(id)!
    await until(() => ids.every((id) => ['completed', 'failed', 'needs_decision'].includes(job(id).state)), 25_000, () =>
      JSON.stringify(ids.map((id) => [job(id).state, job(id).note])))
    return { seconds: (Date.now() - t0) / 1000, states: ids.map((id) => (job(id).state === "failed" ? `failed: ${job(id).error?.message}` : job(id).state)) }
  }

  it('three hours back: nothing waits for the clock to catch up', async () => {
    const back = await run('clock back', -3 * HOUR)
    expect(back.states).toEqual(['completed', 'completed', 'completed', 'completed'])
    expect(back.seconds).toBeLessThan(20)
    figures['3 h back: jobs completed'] = `4/4 in ${back.seconds.toFixed(1)} s`
  })

  it('thirteen hours forward (past the 12-hour limit): no job fails for an age it does not have', async () => {
    const forward = await run('clock forward', 13 * HOUR)
    expect(forward.states).toEqual(['completed', 'completed', 'completed', 'completed'])
    for (const [prompt, n] of fake.createCountsByPrompt()) expect({ prompt, n }).toEqual({ prompt, n: 1 })
    expect(auditLibrary(join(dir, 'library')).problems).toEqual([])
    figures['13 h forward: jobs completed (none failed "too old")'] = `4/4 in ${forward.seconds.toFixed(1)} s`
  })

  it('closed for longer than the limit: the video finished meanwhile is still fetched, not given up on', async () => {
    await rig.studio.stop()
    const limit = { maxJobAgeMs: 3000 }
    rig = makeStudio(dir, fake.url, { engine: { clock, settingsOverrides: limit } })
    rig.studio.start()
    const r = await rig.studio.engine.createJobs({ specs: [{ model: 'kling-v2-6', prompt: 'finished while the app was closed', seconds: 5 }] })
    if (!r.ok) throw new Error('create failed')
    const id = r.jobs[0].id
    await until(() => rig.studio.engine.getJob(id)!.state === 'submitted' || rig.studio.engine.getJob(id)!.state === 'running', 10_000)
    await rig.studio.stop()
    await sleep(3500) // the provider finishes; the job is now older than the limit
    rig = makeStudio(dir, fake.url, { engine: { clock, settingsOverrides: limit } })
    rig.studio.start()
    await until(() => ['completed', 'failed'].includes(rig.studio.engine.getJob(id)!.state), 15_000)
    expect(rig.studio.engine.getJob(id)!.state).toBe('completed')
    figures['closed past the age limit, video finished meanwhile'] = 'fetched (asked once more before giving up)'
    recordFigures('Clock jumps', figures)
  })
})
