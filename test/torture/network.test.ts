// The network gone for ten minutes, then back. Time is scaled (waitScale 0.01: ten minutes of
// waiting and retrying take six seconds): every connection is refused, jobs are created during
// the outage, downloads in flight are cut. Afterwards everything finishes, nothing twice.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { JobSpec } from '../../src/shared/jobs'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import { recordFigures } from './figures'
import { auditLibrary, makeStudio, sleep, until, type StudioRig } from './helpers'

const SCALE = 0.01
const OUTAGE_MS = 10 * 60_000

describe('network gone for ten minutes', () => {
  let fake: FakeCometApi
  let dir: string
  let rig: StudioRig

  afterAll(async () => {
    await rig?.studio.stop()
    await fake?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('waits it out, then finishes every job, creating none twice', async () => {
    fake = await startFakeCometApi({ durations: { '*': 1500 }, videoBytes: { '*': 3 * 1024 * 1024 }, fileBytesPerSecond: 1_500_000 })
    dir = mkdtempSync(join(tmpdir(), 'cvs-torture-net-'))
    rig = makeStudio(dir, fake.url, { engine: { timing: { waitScale: SCALE } } })
    rig.studio.start()
    const engine = rig.studio.engine
    const specs = (tag: string): JobSpec[] => [
      { model: 'sora-2', prompt: `${tag} sora`, seconds: 4, size: '1280x720' },
      { model: 'kling-v2-6', prompt: `${tag} kling`, seconds: 5 },
      { model: 'grok-imagine-video', prompt: `${tag} grok`, seconds: 2 },
      { model: 'doubao-seedance-2-0-fast', prompt: `${tag} seedance`, seconds: 5 }
    ]
    const before = await engine.createJobs({ specs: [...specs('before the outage'), ...specs('before the outage, second')] })
    if (!before.ok) throw new Error('create failed')
    const ids = before.jobs.map((j) => j.id)
    const job = (id: string) => engine.getJob(id)!
    // Cut the network once some videos are downloading and the rest are being made.
    await until(() => ids.some((id) => job(id).state === 'downloading' && job(id).downloadedBytes > 0) && ids.every((id) => !['queued', 'submitting'].includes(job(id).state)), 20_000)
    await fake.goOffline()
    const cutAt = fake.log.length
    const during = await engine.createJobs({ specs: specs('during the outage') })
    if (!during.ok) throw new Error('create failed')
    ids.push(...during.jobs.map((j) => j.id))
    await sleep(OUTAGE_MS * SCALE)
    const whileOffline = ids.map((id) => job(id).state)
    expect(whileOffline.filter((s) => s === 'failed' || s === 'needs_decision')).toEqual([])
    expect(fake.log.length).toBe(cutAt) // nothing got through
    await fake.goOnline()
    const back = Date.now()
    await until(() => ids.every((id) => ['completed', 'failed', 'needs_decision'].includes(job(id).state)), 30_000, () => JSON.stringify(ids.map((id) => [job(id).state, job(id).note])))
    expect(ids.map((id) => job(id).state)).toEqual(ids.map(() => 'completed'))
    for (const [prompt, n] of fake.createCountsByPrompt()) expect({ prompt, n }).toEqual({ prompt, n: 1 })
    const audit = auditLibrary(join(dir, 'library'))
    expect(audit.problems).toEqual([])
    recordFigures('Network gone for 10 minutes (time scaled ×0.01)', {
      'jobs in flight at the cut': 8,
      'jobs created during the outage': 4,
      'failed or undecided during the outage': 0,
      'completed after the network came back': `${ids.length}/${ids.length} in ${((Date.now() - back) / 1000).toFixed(1)} s`,
      'tasks created twice': 0
    })
  }, 90_000)
})
