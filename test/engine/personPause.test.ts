// The person's "Pause all" (tray, menu, queue): no new create is sent until they resume; what was
// already sent is still checked and downloaded; nothing is lost or sent twice; a problem's pause
// and the person's do not clear each other.
import { afterEach, describe, expect, it } from 'vitest'
import type { RequestBudget } from '../../src/core/http/requestBudget'
import { createOne, harness, type Harness, KEY, settle, sora, until } from './harness'

/** The engine's request budget: how many creates wait for their turn there. */
const budgetOf = (h: Harness): RequestBudget => (h.engine as unknown as { budget: RequestBudget }).budget

let h: Harness
afterEach(async () => {
  await h?.cleanup()
})

describe("the person's pause", () => {
  it('holds new creates, lets a task already sent finish and land, then sends the held ones once each on resume', async () => {
    h = await harness({ durations: { '*': 900 } })
    h.engine.start()
    const sent = await createOne(h.engine, sora('already on its way'))
    await until(() => ['submitted', 'running'].includes(h.engine.getJob(sent)?.state ?? ''))

    h.engine.pauseNewWork()
    const status = h.engine.status()
    expect(status.heldByPerson?.since).toEqual(expect.any(Number))
    expect(status.paused).toBeNull() // not a problem's pause: the banner says "paused by you"
    const r = await h.engine.createJobs({ specs: [sora('wait one'), sora('wait two'), sora('wait three')] })
    if (!r.ok) throw new Error('refused')
    const waiting = r.jobs.map((j) => j.id)

    // The task already sent is still polled and downloaded while paused.
    const [landed] = await settle(h.engine, [sent])
    expect(landed.state).toBe('completed')
    // Meanwhile nothing new went out: the three wait in the queue, in order.
    expect(h.fake.creates().map((e) => e.prompt)).toEqual(['already on its way'])
    expect(waiting.map((id) => h.engine.getJob(id)?.state)).toEqual(['queued', 'queued', 'queued'])

    h.engine.resumeNewWork()
    expect(h.engine.status().heldByPerson).toBeNull()
    const done = await settle(h.engine, waiting)
    expect(done.map((j) => j.state)).toEqual(['completed', 'completed', 'completed'])
    // Each held create was sent exactly once.
    const counts = h.fake.createCountsByPrompt()
    expect(['already on its way', 'wait one', 'wait two', 'wait three'].map((p) => counts.get(p))).toEqual([1, 1, 1, 1])
  })

  it('tells the status listeners, and pausing twice or resuming when not paused changes nothing', async () => {
    h = await harness()
    h.engine.start()
    const seen: (number | null)[] = []
    const off = h.engine.on((e) => {
      if (e.type === 'engine.status') seen.push(e.status.heldByPerson?.since ?? null)
    })
    h.engine.pauseNewWork()
    h.engine.pauseNewWork()
    h.engine.resumeNewWork()
    h.engine.resumeNewWork()
    off()
    expect(seen).toHaveLength(2)
    expect(seen[0]).toEqual(expect.any(Number))
    expect(seen[1]).toBeNull()
  })

  it("a key fixed during the person's pause does not resume it, and the person's resume does not clear a problem", async () => {
    h = await harness()
    h.engine.start()
    h.engine.pauseNewWork()
    h.engine.resume() // what a new key or base URL does
    expect(h.engine.status().heldByPerson).not.toBeNull()
    const id = await createOne(h.engine, sora('still waiting'))
    expect(h.engine.getJob(id)?.state).toBe('queued')
    const resumedAt = Date.now()
    h.engine.resumeNewWork()
    const [job] = await settle(h.engine, [id])
    expect(job.state).toBe('completed')
    // Sent once, and only after the person's resume (the fake stamps each create when it arrives).
    expect(h.fake.creates().map((e) => e.at >= resumedAt)).toEqual([true])

    // A rejected key pauses the engine; the person's pause and resume leave that problem in place.
    h.fake.revokeKey(KEY)
    const blocked = await createOne(h.engine, sora('key rejected'))
    await until(() => h.engine.status().paused?.kind === 'auth')
    h.engine.pauseNewWork()
    h.engine.resumeNewWork()
    expect(h.engine.status().paused?.kind).toBe('auth')
    h.fake.restoreKey(KEY)
    h.engine.resume()
    const [after] = await settle(h.engine, [blocked])
    expect(after.state).toBe('completed')
  })

  it('lasts only for this run: a restart sends what was waiting', async () => {
    h = await harness()
    h.engine.start()
    h.engine.pauseNewWork()
    const id = await createOne(h.engine, sora('after a restart'))
    const engine = await h.restart()
    // The first run is closed (a create in flight would have had its answer): nothing went out in it.
    expect(h.fake.creates()).toHaveLength(0)
    engine.start()
    expect(engine.status().heldByPerson).toBeNull()
    const [job] = await settle(engine, [id])
    expect(job.state).toBe('completed')
    expect(h.fake.createCountsByPrompt().get('after a restart')).toBe(1)
  })

  it('holds a create already picked up and waiting for its turn in the request budget: none is sent while paused, each once on resume', async () => {
    // Half a request per second: the first create takes the only place in the window, so the next
    // two are picked up and then wait in the budget for seconds.
    h = await harness({ durations: { '*': 300 } }, { settingsOverrides: { requestsPerSecond: 0.5 } })
    h.engine.start()
    const first = await createOne(h.engine, sora('takes the place'))
    await until(() => h.fake.creates().length === 1)
    const r = await h.engine.createJobs({ specs: [sora('picked one'), sora('picked two')] })
    if (!r.ok) throw new Error('refused')
    const picked = r.jobs.map((j) => j.id)
    await until(() => budgetOf(h).waiting('create') === 2, 10_000)

    h.engine.pauseNewWork()
    // Their turn comes while paused: each gives its place back and stays queued.
    await until(() => budgetOf(h).waiting('create') === 0, 15_000)
    expect(h.fake.creates().map((e) => e.prompt)).toEqual(['takes the place'])
    expect(picked.map((id) => h.engine.getJob(id)?.state)).toEqual(['queued', 'queued'])

    const resumedAt = Date.now()
    h.engine.resumeNewWork()
    const done = await settle(h.engine, [first, ...picked], 30_000)
    expect(done.map((j) => j.state)).toEqual(['completed', 'completed', 'completed'])
    const counts = h.fake.createCountsByPrompt()
    expect(['takes the place', 'picked one', 'picked two'].map((p) => counts.get(p))).toEqual([1, 1, 1])
    expect(h.fake.creates().filter((e) => e.prompt !== 'takes the place').every((e) => e.at >= resumedAt)).toBe(true)
  }, 60_000)
})
