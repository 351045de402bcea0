// Faults from the reference's error table, against the fake server: what is retried, what is not,
// and the rule that protects money — a create is never sent twice by accident.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createOne, FIXTURES, harness, settle, sora, until, type Harness } from './harness'

let h: Harness
afterEach(async () => {
  await h?.cleanup()
})


describe('create faults', () => {
  it('retries 429 (with and without Retry-After) and 503 on a create — they say nothing was made; one task in the end', async () => {
    h = await harness()
    h.fake.injectOnce({ kind: 'create', fault: '429', count: 2 })
    h.fake.injectOnce({ kind: 'create', fault: '429-retry-after', count: 1 })
    h.fake.injectOnce({ kind: 'create', fault: '503', count: 1 })
    h.fake.setOptions({ faults: { retryAfterSeconds: 1 } })
    h.engine.start()
    const id = await createOne(h.engine, sora('retry me'))
    const [job] = await settle(h.engine, [id], 60_000)
    expect(job.state).toBe('completed')
    expect(h.fake.log.filter((e) => e.kind === 'create')).toHaveLength(5)
    expect(h.fake.createCountsByPrompt().get('retry me')).toBe(1)
  }, 90_000)

  it('never re-sends a create answered 500, 502, 504, 524 or a gateway page: the task may exist (here it does)', async () => {
    h = await harness()
    h.engine.start()
    const faults = ['create-then-500', 'create-then-502', 'create-then-504', 'create-then-524', 'create-then-html', 'create-then-no-id'] as const
    const ids: string[] = []
    for (const fault of faults) {
      h.fake.injectOnce({ kind: 'create', fault })
      ids.push(await createOne(h.engine, sora(`ambiguous ${fault}`)))
      await until(() => h.engine.getJob(ids.at(-1)!)?.state !== 'queued' && h.engine.getJob(ids.at(-1)!)?.state !== 'submitting', 15_000)
    }
    const jobs = await settle(h.engine, ids)
    for (const [i, job] of jobs.entries()) {
      expect({ fault: faults[i], state: job.state }).toEqual({ fault: faults[i], state: 'needs_decision' })
      expect(job.note).toMatch(/no answer came back.*Resubmit only if it is not there/s)
      expect(h.fake.createCountsByPrompt().get(`ambiguous ${faults[i]}`)).toBe(1)
    }
    expect(h.fake.log.filter((e) => e.kind === 'create')).toHaveLength(faults.length)
  }, 90_000)

  it('does not retry a 400 and says which field to fix', async () => {
    h = await harness()
    h.engine.start()
    // The fake rejects a Sora reference image whose size differs from `size`; our validation catches it first.
    const r = await h.engine.createJobs({ specs: [{ ...sora('bad image'), images: [join(FIXTURES, 'images/solid-720x1280.jpg')] }] })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.errors[0].errors[0]).toMatchObject({ field: 'images[0]', code: 'image.sizeMismatch' })
    expect(h.fake.log.filter((e) => e.kind === 'create')).toHaveLength(0)
    // A 400 the server gives despite our checks is final.
    h.fake.injectOnce({ kind: 'create', fault: '500-invalid-request' })
    const id = await createOne(h.engine, sora('server says invalid'))
    const [job] = await settle(h.engine, [id])
    expect(job.state).toBe('failed')
    expect(job.error).toMatchObject({ kind: 'invalid_request', retryable: false })
    expect(h.fake.log.filter((e) => e.kind === 'create')).toHaveLength(1)
  })

  it('marks a model unavailable on model_not_found and fails the job with a plain message', async () => {
    h = await harness()
    h.fake.injectOnce({ kind: 'create', fault: '503-model-not-found' })
    h.engine.start()
    const id = await createOne(h.engine, sora('gone model'))
    const [job] = await settle(h.engine, [id])
    expect(job.error?.kind).toBe('model_unavailable')
    expect(job.error?.message).toMatch(/not available.*Choose another model/)
    expect(h.engine.model('sora-2')?.available).toBe(false)
    expect(await h.engine.validate(sora('next'))).toEqual([expect.objectContaining({ code: 'model.unavailable' })])
  })

  it('never re-sends a create whose answer was lost: a /v1/videos job waits for the user', async () => {
    h = await harness()
    h.fake.injectOnce({ kind: 'create', fault: 'create-then-timeout' })
    // A short read timeout so the lost answer is noticed quickly.
    h.engine = await h.restart({ timing: { ...h.timing, readTimeoutMs: 500 } })
    h.engine.start()
    const id = await createOne(h.engine, sora('lost answer'))
    const [job] = await settle(h.engine, [id])
    expect(job.state).toBe('needs_decision')
    expect(job.note).toMatch(/cannot tell whether the provider started it.*may create and bill a second video/s)
    await new Promise((r) => setTimeout(r, 500))
    expect(h.fake.createCountsByPrompt().get('lost answer')).toBe(1)
    // The user decides to resubmit: now, and only now, a second create.
    h.engine.decide(id, 'resubmit')
    const [again] = await settle(h.engine, [id])
    expect(again.state).toBe('completed')
    expect(h.fake.createCountsByPrompt().get('lost answer')).toBe(2)
  })

  it('finds a Kling job whose create answer was lost by its external_task_id instead of re-sending', async () => {
    h = await harness()
    h.fake.injectOnce({ kind: 'create', family: 'kling', fault: 'create-then-reset' })
    h.engine.start()
    const id = await createOne(h.engine, { model: 'kling-v2-6', prompt: 'kling lost answer', seconds: 5 })
    const [job] = await settle(h.engine, [id])
    expect(job.state).toBe('completed')
    expect(h.fake.createCountsByPrompt().get('kling lost answer')).toBe(1)
    expect(h.fake.log.some((e) => e.kind === 'lookup')).toBe(true)
  })

  it('re-sends a Kling create only after the lookup says it never arrived', async () => {
    h = await harness()
    h.fake.injectOnce({ kind: 'create', family: 'kling', fault: '524' })
    h.engine.start()
    const id = await createOne(h.engine, { model: 'kling-v2-6', prompt: 'kling 524', seconds: 5 })
    const [job] = await settle(h.engine, [id], 30_000)
    expect(job.state).toBe('completed')
    expect(h.fake.createCountsByPrompt().get('kling 524')).toBe(1)
    const kinds = h.fake.log.filter((e) => e.family === 'kling').map((e) => e.kind)
    expect(kinds.indexOf('lookup')).toBeLessThan(kinds.lastIndexOf('create'))
  })
})

describe('poll faults', () => {
  it('survives 5xx, 429, resets and timeouts while polling', async () => {
    h = await harness({ durations: { '*': 1500 } })
    h.fake.injectOnce({ kind: 'poll', fault: '500', count: 2 })
    h.fake.injectOnce({ kind: 'poll', fault: '429', count: 1 })
    h.fake.injectOnce({ kind: 'poll', fault: 'reset', count: 1 })
    h.engine.start()
    const id = await createOne(h.engine, sora('bumpy polls'))
    const [job] = await settle(h.engine, [id], 60_000)
    expect(job.state).toBe('completed')
    expect(h.fake.log.filter((e) => e.kind === 'poll' && e.fault).length).toBeGreaterThanOrEqual(3)
  }, 90_000)

  it('a 200 body carrying an error object but no terminal status is not a failure: the task goes on and finishes', async () => {
    h = await harness()
    h.fake.injectOnce({ kind: 'poll', fault: 'error200' })
    h.engine.start()
    const id = await createOne(h.engine, sora('error in a 200'))
    const [job] = await settle(h.engine, [id])
    expect(job.state).toBe('completed')
    expect(job.error).toBeNull()
  })

  it('reports a provider failure with its message, and retry makes a linked new job', async () => {
    h = await harness()
    h.engine.start()
    const id = await createOne(h.engine, sora('please [fail] now'))
    const [job] = await settle(h.engine, [id])
    expect(job.state).toBe('failed')
    expect(job.error?.message).toMatch(/could not make this video.*rejected/s)
    const retried = await h.engine.retry(id)
    if (!retried.ok) throw new Error('retry failed')
    expect(retried.jobs[0]).toMatchObject({ parentId: id, lineage: 'retry' })
  })

  it('an expired xAI task is a failure that says so', async () => {
    h = await harness()
    h.engine.start()
    const id = await createOne(h.engine, { model: 'grok-imagine-video', prompt: 'will [expire]', seconds: 1 })
    const [job] = await settle(h.engine, [id])
    expect(job.error?.kind).toBe('expired')
  })
})

describe('download faults', () => {
  it('resumes a download cut at 50% from where it stopped', async () => {
    h = await harness({ videoBytes: { '*': 3_000_000 } })
    h.fake.injectOnce({ kind: 'file', fault: 'truncate' })
    h.engine.start()
    const id = await createOne(h.engine, sora('cut download'))
    const [job] = await settle(h.engine, [id], 60_000)
    expect(job.state).toBe('completed')
    const files = h.fake.log.filter((e) => e.kind === 'file')
    expect(files).toHaveLength(2)
    expect(files[1].range).toBe('bytes=1500000-')
    // The second request moved only the missing half.
    expect(files[1].bytesSent).toBe(1_500_000)
    expect(existsSync(join(h.engine.library.root, '.partial', `${id}.part`))).toBe(false)
  }, 90_000)

  it('resumes after a connection reset mid-body', async () => {
    h = await harness({ videoBytes: { '*': 3_000_000 } })
    h.fake.injectOnce({ kind: 'file', fault: 'reset' })
    h.engine.start()
    const id = await createOne(h.engine, sora('reset download'))
    const [job] = await settle(h.engine, [id], 60_000)
    expect(job.state).toBe('completed')
    const files = h.fake.log.filter((e) => e.kind === 'file')
    // Bytes in flight when the socket was reset are lost; everything received is kept.
    expect(files.length).toBeGreaterThanOrEqual(2)
    expect(files.at(-1)?.range).toMatch(/^bytes=[1-9]\d*-$/)
    expect(h.engine.library.getByJob(id)?.bytes).toBe(3_000_000)
  }, 90_000)

  it('refreshes an expired result URL by polling again instead of failing', async () => {
    // Every link the fake hands out is already expired, so the first download attempt surely gets 403.
    h = await harness({ resultUrlTtlMs: -60_000 })
    h.engine.start()
    const id = await createOne(h.engine, sora('expiring link'))
    await until(() => h.fake.log.some((e) => e.kind === 'file' && e.status === 403), 20_000)
    h.fake.setOptions({ resultUrlTtlMs: 60_000 })
    const [job] = await settle(h.engine, [id], 30_000)
    expect(job.state).toBe('completed')
    expect(h.fake.log.filter((e) => e.kind === 'poll').length).toBeGreaterThanOrEqual(2)
  }, 60_000)
})

describe('authentication and base URL', () => {
  it('pauses (keeping every job) when the key is rejected, and resumes when it is fixed', async () => {
    let key = 'sk-wrong-key-123456'
    h = await harness({}, { keys: { getKey: async () => key } })
    h.engine.start()
    const id = await createOne(h.engine, sora('wrong key'))
    await until(() => h.engine.status().paused?.kind === 'auth')
    expect(h.engine.status().paused?.message).toMatch(/did not accept the API key.*Settings/)
    expect(h.engine.getJob(id)?.state).toBe('queued')
    expect(h.fake.creates()).toHaveLength(0)
    key = 'sk-test-good'
    h.engine.resume()
    const [job] = await settle(h.engine, [id])
    expect(job.state).toBe('completed')
  })

  it('says "check the base URL" when the server answers with a web page', async () => {
    h = await harness({ unknownPath: 'html' }, { settingsOverrides: {} })
    h.engine.updateSettings({ baseUrl: `${h.fake.url}/typo` })
    h.engine.start()
    await createOne(h.engine, sora('typo base'))
    await until(() => h.engine.status().paused !== null)
    expect(h.engine.status().paused).toMatchObject({ kind: 'bad_base_url' })
    expect(h.engine.status().paused?.message).toMatch(/base URL/)
  })
})

describe('CometAPI unreachable', () => {
  it('says so once in the engine status while nothing answers (not on one blip), and clears it at the first answer', async () => {
    // The job must still be running when CometAPI goes away: a finished job sends no request, and
    // nothing would notice the outage (a 600 ms job lost that race on a loaded CI machine).
    h = await harness({ durations: { '*': 8000 } })
    const statuses: (string | null)[] = []
    h.engine.on((e) => {
      if (e.type === 'engine.status') statuses.push(e.status.unreachable?.code ?? null)
    })
    h.engine.start()
    const id = await createOne(h.engine, sora('through an outage'))
    await until(() => h.engine.getJob(id)?.state === 'running')
    // One reset alone is a blip.
    h.fake.injectOnce({ kind: 'poll', fault: 'reset' })
    await new Promise((r) => setTimeout(r, 400))
    expect(h.engine.status().unreachable).toBeNull()
    await h.fake.goOffline()
    await until(() => h.engine.status().unreachable !== null, 15_000)
    expect(h.engine.status().unreachable).toMatchObject({ code: expect.stringMatching(/^api\./), message: expect.any(String) })
    expect(h.engine.getJob(id)?.state).not.toBe('failed')
    await h.fake.goOnline()
    await until(() => h.engine.status().unreachable === null, 15_000)
    const [job] = await settle(h.engine, [id])
    expect(job.state).toBe('completed')
    // Told once when it went, once when it came back (not on every failed request).
    expect(statuses.filter((c) => c !== null).length).toBeLessThanOrEqual(2)
    expect(statuses.at(-1) ?? null).toBeNull()
  }, 40_000)
})
