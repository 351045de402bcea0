// Every API family, end to end against the fake CometAPI over loopback: create → poll → download →
// library, with exactly one create per job.
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { JobSpec } from '../../src/shared/jobs'
import { FIXTURES, createOne, harness, settle, until, type Harness } from './harness'

const img = (name: string): string => join(FIXTURES, 'images', name)

let h: Harness
afterEach(async () => {
  await h?.cleanup()
})

async function runAll(specs: JobSpec[]): Promise<void> {
  h.engine.start()
  const r = await h.engine.createJobs({ specs })
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  const jobs = await settle(h.engine, r.jobs.map((j) => j.id))
  for (const j of jobs) {
    expect({ model: j.model, state: j.state, error: j.error?.message ?? null }).toEqual({ model: j.model, state: 'completed', error: null })
    expect(j.file && existsSync(j.file)).toBeTruthy()
    expect(statSync(j.file!).size).toBeGreaterThan(1000)
    expect(j.remoteId).toBeTruthy()
    const item = h.engine.library.getByJob(j.id)
    expect(item?.prompt).toBe(j.spec.prompt)
  }
  // Exactly one create per job: prompts are unique.
  for (const [prompt, n] of h.fake.createCountsByPrompt()) expect({ prompt, n }).toEqual({ prompt, n: 1 })
  expect(h.fake.creates()).toHaveLength(specs.length)
}

describe('every family, flat shapes', () => {
  it('completes Sora (text and image), Seedance, Veo, Wan, Vidu, HappyHorse and Omni on /v1/videos', async () => {
    h = await harness()
    await runAll([
      { model: 'sora-2', prompt: 'sora text', seconds: 4, size: '1280x720' },
      { model: 'sora-2', prompt: 'sora image', seconds: 4, size: '1280x720', images: [img('solid-1280x720.png')] },
      { model: 'doubao-seedance-2-0-fast', prompt: 'seedance', seconds: 5, size: '16:9', resolution: '720p' },
      { model: 'veo3.1-fast', prompt: 'veo two frames', size: '16x9', images: [img('solid-1280x720.png'), img('solid-720x1280.jpg')] },
      { model: 'wan2.6', prompt: 'wan', seconds: 5, size: '1280x720' },
      { model: 'viduq3-turbo', prompt: 'vidu', seconds: 4, size: '1280x720' },
      { model: 'happyhorse-1.0', prompt: 'happyhorse', seconds: 5, size: '1280x720' },
      { model: 'omni-fast', prompt: 'omni', seconds: 4, aspectRatio: '16:9', resolution: '720p' }
    ])
    const soraCreate = h.fake.creates().find((e) => e.prompt === 'sora image')
    expect(soraCreate?.path).toBe('/v1/videos')
  })

  it('completes Kling text-to-video and image-to-video with an external_task_id, Runway and xAI', async () => {
    h = await harness()
    await runAll([
      { model: 'kling-v2-6', prompt: 'kling text', seconds: 5, aspectRatio: '16:9' },
      { model: 'kling-v2-6', prompt: 'kling image', seconds: 10, images: [img('solid-300x300.jpg')] },
      { model: 'gen4_turbo', prompt: 'runway', seconds: 5, aspectRatio: '1280:720', images: [img('solid-1280x720.png')] },
      { model: 'grok-imagine-video', prompt: 'grok', seconds: 1, resolution: '480p', aspectRatio: '1:1' }
    ])
    const klingCreates = h.fake.creates().filter((e) => e.family === 'kling')
    expect(klingCreates.every((e) => e.externalId?.startsWith('cvs-'))).toBe(true)
  })
})

describe('every family, legacy wrapped shapes and lower-case Seedance', () => {
  it('completes Runway and xAI wrapped polls and lower-case Seedance statuses', async () => {
    h = await harness({ runwayDialect: 'wrapped', xaiDialect: 'wrapped', seedanceCase: 'lower' })
    await runAll([
      { model: 'gen4_turbo', prompt: 'runway wrapped', seconds: 5, images: [img('solid-1280x720.png')] },
      { model: 'grok-imagine-video', prompt: 'grok wrapped', seconds: 2 },
      { model: 'doubao-seedance-2-0', prompt: 'seedance lower', seconds: 5 }
    ])
  })

  it('keeps polling through a transient task_not_exist right after create', async () => {
    h = await harness({ transientNotExist: true })
    await runAll([
      { model: 'gen4_turbo', prompt: 'runway fresh id', seconds: 5, images: [img('solid-1280x720.png')] },
      { model: 'doubao-seedance-2-0-fast', prompt: 'seedance fresh id', seconds: 5 }
    ])
  })
})

describe('remix and lineage', () => {
  it('remixes a finished Sora video as a new job that remembers its parent', async () => {
    h = await harness()
    h.engine.start()
    const first = await h.engine.createJobs({ specs: [{ model: 'sora-2', prompt: 'original', seconds: 4, size: '1280x720' }] })
    if (!first.ok) throw new Error('create failed')
    const [done] = await settle(h.engine, [first.jobs[0].id])
    expect(done.state).toBe('completed')
    const remix = await h.engine.remix(done.id, 'make it teal')
    if (!remix.ok) throw new Error(JSON.stringify(remix.errors))
    const [r] = await settle(h.engine, [remix.jobs[0].id])
    expect(r).toMatchObject({ state: 'completed', parentId: done.id, lineage: 'remix' })
    expect(h.fake.log.filter((e) => e.kind === 'remix' && e.created)).toHaveLength(1)
    expect(h.engine.library.getByJob(r.id)?.lineage).toBe('remix')
  })
})

describe('progress', () => {
  it('a family that reports no progress (Kling) leaves it unknown while running, never a made-up 0 %; Sora reports its percent', async () => {
    h = await harness({ durations: { '*': 4000 } })
    h.engine.start()
    const kling = await createOne(h.engine, { model: 'kling-v2-6', prompt: 'kling no progress', seconds: 5, aspectRatio: '16:9' })
    const sora = await createOne(h.engine, { model: 'sora-2', prompt: 'sora progress', seconds: 4, size: '1280x720' })
    const polled = (prompt: string): boolean => h.fake.log.some((e) => e.kind === 'poll' && e.status === 200 && e.taskId !== null && h.fake.taskIdsByPrompt(prompt).includes(e.taskId))
    await until(() => polled('kling no progress') && h.engine.getJob(kling)?.state === 'running', 15_000)
    expect(h.engine.getJob(kling)).toMatchObject({ state: 'running', progress: null })
    await until(() => (h.engine.getJob(sora)?.progress ?? 0) > 0, 15_000)
    const done = await settle(h.engine, [kling, sora])
    expect(done.map((j) => [j.state, j.progress])).toEqual([
      ['completed', 100],
      ['completed', 100]
    ])
  })
})
