// Every cent accounted for: a paid task is never abandoned by one odd answer, a made video is
// downloaded again rather than made again, and a create whose outcome is unknown is looked up
// or left to the person — never re-sent by itself. Against the fake CometAPI over loopback.
import { afterEach, describe, expect, it } from 'vitest'
import { nodeHttpTransport, type HttpTransport } from '../../src/core/http/transport'
import type { JobSpec, JobView } from '../../src/shared/jobs'
import { defaultCatalog } from '../fake-cometapi/catalog'
import { createOne, harness, KEY, settle, sora, until, type Harness } from './harness'

let h: Harness
afterEach(async () => {
  await h?.cleanup()
})

const kling = (prompt: string): JobSpec => ({ model: 'kling-v2-6', prompt, seconds: 5, aspectRatio: '16:9' })

/** Every note a job showed on its way, in order (from the engine's events). */
function watchNotes(): { notes: (id: string) => string[]; states: (id: string) => string[] } {
  const seen = new Map<string, JobView[]>()
  h.engine.on((e) => {
    if (e.type === 'job.updated') seen.set(e.job.id, [...(seen.get(e.job.id) ?? []), e.job])
  })
  return {
    notes: (id) => (seen.get(id) ?? []).map((j) => j.note ?? '').filter(Boolean),
    states: (id) => [...new Set((seen.get(id) ?? []).map((j) => j.state))]
  }
}

describe('polling never gives up on a paid task by itself', () => {
  it('a 200 answer with an error object and no status keeps the job polling, with a note, until it finishes', async () => {
    h = await harness({ durations: { '*': 1500 } })
    const watch = watchNotes()
    h.engine.start()
    h.fake.injectOnce({ kind: 'poll', fault: 'error200', count: 3 })
    const id = await createOne(h.engine, sora('odd poll answers'))
    const [job] = await settle(h.engine, [id])
    expect(job.state).toBe('completed')
    expect(watch.states(id)).not.toContain('failed')
    expect(watch.notes(id).some((n) => /answered oddly.*still checking/i.test(n))).toBe(true)
    expect(h.fake.createCountsByPrompt().get('odd poll answers')).toBe(1)
  })

  it('a non-retryable answer to a poll (500 invalid_request) does not end the job either', async () => {
    h = await harness({ durations: { '*': 1500 } })
    h.engine.start()
    h.fake.injectOnce({ kind: 'poll', fault: '500-invalid-request', count: 2 })
    const id = await createOne(h.engine, sora('refused poll'))
    const [job] = await settle(h.engine, [id])
    expect(job.state).toBe('completed')
    expect(job.billed).toBe(true)
  })

  it('a 403 while polling pauses the engine with a word about the key; the job keeps its place and finishes after resume', async () => {
    let refuse = false
    // The key lost access mid-batch: every poll answers 403 until it is fixed.
    const transport: HttpTransport = async (req) => {
      if (refuse && req.method === 'GET' && req.url.includes('/v1/videos/')) {
        req.onSend?.()
        return { status: 403, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ error: { message: 'access denied for this token', type: 'comet_api_error' } })) }
      }
      return nodeHttpTransport(req)
    }
    h = await harness({ durations: { '*': 2500 } }, { transport })
    h.engine.start()
    const id = await createOne(h.engine, sora('revoked mid-run'))
    await until(() => h.engine.getJob(id)?.remoteId != null)
    refuse = true
    await until(() => h.engine.status().paused !== null, 15_000)
    expect(h.engine.status().paused).toMatchObject({ kind: 'auth' })
    expect(h.engine.status().paused?.message).toMatch(/403/)
    expect(['submitted', 'running']).toContain(h.engine.getJob(id)?.state)
    refuse = false
    h.engine.resume()
    const [job] = await settle(h.engine, [id], 30_000)
    expect(job.state).toBe('completed')
    expect(h.fake.createCountsByPrompt().get('revoked mid-run')).toBe(1)
  }, 60_000)
})

describe('a made video is downloaded, not made again', () => {
  it('when the links keep expiring the job waits as "made, not downloaded"; Retry download fetches it with no second create', async () => {
    // Every link the fake hands out is already expired, and Kling has no content route to fall back on.
    h = await harness({ resultUrlTtlMs: -60_000 })
    h.engine.start()
    const id = await createOne(h.engine, kling('links keep expiring'))
    const [stuck] = await settle(h.engine, [id], 30_000)
    expect(stuck.state).toBe('download_failed')
    expect(stuck.billed).toBe(true)
    expect(stuck.error?.message).toMatch(/Retry download/)
    // The plain Retry is for new paid jobs only.
    await expect(h.engine.retry(id)).rejects.toThrow(/Retry download/)
    h.fake.setOptions({ resultUrlTtlMs: 60_000 })
    const again = h.engine.retryDownload(id)
    expect(again.state).toBe('downloading')
    const [job] = await settle(h.engine, [id], 30_000)
    expect(job.state).toBe('completed')
    expect(h.fake.createCountsByPrompt().get('links keep expiring')).toBe(1)
    expect(h.engine.spend().todayByModel.find((m) => m.model === 'kling-v2-6')?.jobs).toBe(1)
  }, 60_000)
})

describe('a task the provider says it does not know', () => {
  it('is tolerated, then after a long bounded stretch waits as "lost contact" (never failed); check again finds it', async () => {
    // Waits scaled down a thousandfold: the 15-minute bound passes in about a second.
    h = await harness({ durations: { '*': 300 } }, { timing: { waitScale: 0.001 } })
    const watch = watchNotes()
    h.engine.start()
    h.fake.injectOnce({ kind: 'poll', fault: 'not-exist', count: 40 })
    const id = await createOne(h.engine, sora('vanishing task'))
    const [lost] = await settle(h.engine, [id], 30_000)
    expect(lost.state).toBe('lost_contact')
    expect(lost.billed).toBe(true)
    expect(lost.note).toMatch(/Lost contact.*may still be made.*Check again later, or dismiss/s)
    expect(watch.states(id)).not.toContain('failed')
    // At least the bounded number of answers said so before the job stopped asking.
    expect(h.fake.log.filter((e) => e.kind === 'poll' && e.fault === 'not-exist').length).toBeGreaterThanOrEqual(8)
    await expect(h.engine.retry(id)).rejects.toThrow(/can be retried/)
    // The provider knows the task again: use up the scripted "not found" answers ourselves.
    for (let i = 0; i < 40; i++) {
      const res = await fetch(`${h.fake.url}/v1/videos/${lost.remoteId}`, { headers: { authorization: `Bearer ${KEY}` } })
      await res.arrayBuffer()
      if (res.ok) break
    }
    h.engine.contact(id, 'check')
    const [job] = await settle(h.engine, [id], 30_000)
    expect(job.state).toBe('completed')
    expect(h.fake.createCountsByPrompt().get('vanishing task')).toBe(1)
  }, 60_000)

  it('dismiss lets a lost task go without a new charge', async () => {
    h = await harness({ durations: { '*': 300 } }, { timing: { waitScale: 0.001 } })
    h.engine.start()
    h.fake.injectOnce({ kind: 'poll', fault: 'not-exist', count: 1000 })
    const id = await createOne(h.engine, sora('let it go'))
    await settle(h.engine, [id], 30_000)
    const job = h.engine.contact(id, 'dismiss')
    expect(job.state).toBe('canceled')
    expect(job.note).toMatch(/may still bill/)
    expect(h.fake.createCountsByPrompt().get('let it go')).toBe(1)
  }, 60_000)
})

describe('an ambiguous create is looked up or left to the person', () => {
  it('Kling: a create answered 502 after the task was made is found by its external_task_id, not re-sent', async () => {
    h = await harness()
    h.engine.start()
    h.fake.injectOnce({ kind: 'create', family: 'kling', fault: 'create-then-502' })
    const id = await createOne(h.engine, kling('kling 502 made it'))
    const [job] = await settle(h.engine, [id])
    expect(job.state).toBe('completed')
    expect(h.fake.createCountsByPrompt().get('kling 502 made it')).toBe(1)
    expect(h.fake.log.filter((e) => e.family === 'kling' && e.kind === 'create')).toHaveLength(1)
    expect(job.remoteId).toBe(h.fake.taskIdsByPrompt('kling 502 made it')[0])
  })

  it('Kling: a lookup that fails (a gateway page, a 5xx) is asked again; only "task not found" allows a re-send', async () => {
    h = await harness()
    h.engine.start()
    h.fake.injectOnce({ kind: 'create', family: 'kling', fault: 'create-then-timeout' })
    h.fake.injectOnce({ kind: 'lookup', family: 'kling', fault: 'html' })
    h.fake.injectOnce({ kind: 'lookup', family: 'kling', fault: '500' })
    h.engine = await h.restart({ timing: { ...h.timing, readTimeoutMs: 500 } })
    h.engine.start()
    const id = await createOne(h.engine, kling('kling lookup trouble'))
    const [job] = await settle(h.engine, [id], 30_000)
    expect(job.state).toBe('completed')
    expect(h.fake.createCountsByPrompt().get('kling lookup trouble')).toBe(1)
    expect(h.fake.log.filter((e) => e.family === 'kling' && e.kind === 'create')).toHaveLength(1)
  }, 60_000)

  it('Kling: a re-send refused as a duplicate means the first create arrived: it is looked up and recorded, not failed', async () => {
    h = await harness()
    h.fake.injectOnce({ kind: 'create', family: 'kling', fault: 'create-then-reset' })
    // The first lookup wrongly says "not found" (eventual consistency), so the job is sent again.
    h.fake.injectOnce({ kind: 'lookup', family: 'kling', fault: 'not-exist' })
    h.engine.start()
    const id = await createOne(h.engine, kling('kling duplicate'))
    const [job] = await settle(h.engine, [id], 30_000)
    expect(job.state).toBe('completed')
    expect(h.fake.createCountsByPrompt().get('kling duplicate')).toBe(1)
    const creates = h.fake.log.filter((e) => e.family === 'kling' && e.kind === 'create')
    expect(creates).toHaveLength(2)
    expect(creates[1].status).toBe(400)
  }, 60_000)

  it('many undecided jobs of a batch are resubmitted (or dismissed) in one step, with their count and cost', async () => {
    h = await harness()
    h.engine.start()
    h.fake.injectOnce({ kind: 'create', fault: 'create-then-524', count: 3 })
    const r = await h.engine.createJobs({ specs: [0, 1, 2].map((i) => sora(`undecided ${i}`)) })
    if (!r.ok) throw new Error('create')
    const ids = r.jobs.map((j) => j.id)
    const undecided = await settle(h.engine, ids)
    expect(undecided.map((j) => j.state)).toEqual(['needs_decision', 'needs_decision', 'needs_decision'])
    const { jobs, estimate } = h.engine.decideMany({ batchId: r.jobs[0].batchId! }, 'resubmit')
    expect(jobs).toHaveLength(3)
    expect(estimate).toBeCloseTo(3 * 4 * 0.08, 5)
    const done = await settle(h.engine, ids)
    expect(done.map((j) => j.state)).toEqual(['completed', 'completed', 'completed'])
  }, 60_000)
})

describe('the daily cap', () => {
  it('holds a job whose price is unknown instead of letting it slip past the cap', async () => {
    const catalog = defaultCatalog().map((row) => (row.id === 'wan2.6' ? { ...row, pricing: { currency: 'USD', input: null, output: null, per_request: null, per_second: null } } : row))
    h = await harness({ catalog })
    h.engine.updateSettings({ dailyBudget: 100 })
    h.engine.start()
    await h.engine.refreshModels({ force: true })
    const r = await h.engine.createJobs({ specs: [{ model: 'wan2.6', prompt: 'no price', size: '1280x720' }] })
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    expect(r.held).toBe(true)
    expect(r.note).toMatch(/price of 1 job\(s\) is unknown.*daily cap of \$100\.00/)
    expect(r.jobs[0].state).toBe('held')
    expect(h.fake.creates()).toHaveLength(0)
  })

  it('says what is held with the currency, "this job" for one and "these N jobs" for many, and hands the amounts over for translation', async () => {
    h = await harness()
    h.engine.updateSettings({ dailyBudget: 0.5 })
    h.engine.start()
    await h.engine.refreshModels({ force: true })
    // sora-2: 0.08/s in the fake catalog, 4 s = $0.32 each.
    const one = await h.engine.createJobs({ specs: [{ model: 'sora-2', prompt: 'one over', seconds: 8, size: '1280x720' }] })
    if (!one.ok) throw new Error(JSON.stringify(one.errors))
    expect(one.note).toBe('Held: this job (about $0.64) would take today’s spend to $0.64, above your daily cap of $0.50. Confirm to send it.')
    const three = await h.engine.createJobs({ specs: [0, 1, 2].map((i) => ({ model: 'sora-2', prompt: `three over ${i}`, seconds: 4, size: '1280x720' })) })
    if (!three.ok) throw new Error(JSON.stringify(three.errors))
    expect(three.note).toBe('Held: these 3 jobs (about $0.96) would take today’s spend to $0.96, above your daily cap of $0.50. Confirm to send them.')
    expect(three.jobs[0]).toMatchObject({ noteCode: 'held.overCap', noteParams: { count: 3, estimate: 0.96, total: 0.96, cap: 0.5, currency: 'USD' } })
  })
})

describe('spend: billed and not billed apart', () => {
  it('counts what CometAPI took as billed, what ended before it did as not billed, and an unknown create apart', async () => {
    h = await harness()
    h.engine.updateSettings({ dailyBudget: 0.01 })
    h.engine.start()
    await h.engine.refreshModels({ force: true })
    // Held above the cap, then canceled: never sent, never billed.
    const held = await h.engine.createJobs({ specs: [sora('held then canceled')] })
    if (!held.ok) throw new Error('create')
    h.engine.cancel(held.jobs[0].id)
    h.engine.updateSettings({ dailyBudget: null })
    // Made and billed.
    const made = await createOne(h.engine, sora('billed'))
    await until(() => h.engine.getJob(made)?.remoteId != null)
    // The create's answer lost at the gateway: it may have arrived.
    h.fake.injectOnce({ kind: 'create', fault: 'create-then-524' })
    const unsure = await createOne(h.engine, sora('maybe billed'))
    await settle(h.engine, [made, unsure])
    expect([h.engine.getJob(made)?.state, h.engine.getJob(unsure)?.state]).toEqual(['completed', 'needs_decision'])
    const s = h.engine.spend()
    expect(s.monthTotal).toBeCloseTo(0.32, 6)
    expect(s.notBilledThisMonth).toEqual({ jobs: 1, amount: 0.32 })
    expect(s.billingUnknownThisMonth).toEqual({ jobs: 1, amount: 0.32 })
    // Dismissed by the person, its create may still have arrived: it stays "maybe billed", never "not billed".
    h.engine.decide(unsure, 'dismiss')
    expect(h.engine.getJob(unsure)?.state).toBe('canceled')
    const after = h.engine.spend()
    expect(after.notBilledThisMonth).toEqual({ jobs: 1, amount: 0.32 })
    expect(after.billingUnknownThisMonth).toEqual({ jobs: 1, amount: 0.32 })
  }, 60_000)
})
