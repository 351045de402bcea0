// A job's details: the timeline of its states with their times (job_events, written by the hub in
// the same transaction as each change), what the spend ledger recorded for it, and what replaced
// it. "Retry all failed" makes new paid jobs only for jobs the provider really failed, once.
import { afterEach, describe, expect, it } from 'vitest'
import { harness, settle, sora, until, type Harness } from './harness'

let h: Harness
afterEach(async () => {
  await h?.cleanup()
})

describe('job details', () => {
  it('has every state the job went through, in order, with non-decreasing times, and what the ledger billed', async () => {
    h = await harness()
    h.engine.start()
    const reply = await h.engine.createJobs({ specs: [sora('a timeline')] })
    if (!reply.ok) throw new Error('refused')
    const id = reply.jobs[0].id
    const [job] = await settle(h.engine, [id])
    expect(job.state).toBe('completed')
    const details = h.engine.jobDetails(id)
    const states = details.timeline.map((e) => e.state)
    expect(states[0]).toBe('queued')
    expect(states).toContain('submitting')
    expect(states).toContain('downloading')
    expect(states.at(-1)).toBe('completed')
    for (let i = 1; i < details.timeline.length; i++) expect(details.timeline[i].at).toBeGreaterThanOrEqual(details.timeline[i - 1].at)
    expect(details.timeline[0].at).toBe(job.createdAt)
    expect(details.timeline.at(-1)!.at).toBe(job.completedAt)
    // Billed = what the spend ledger recorded for this job, at the time the provider accepted it.
    expect(details.billed).not.toBeNull()
    expect(details.billed!.amount).toBeCloseTo(job.estimatedCost!, 6)
    expect(details.billed!.at).toBeGreaterThanOrEqual(job.createdAt)
    expect(details.job.remoteId).toBe(job.remoteId)
    expect(details.replacedBy).toBeNull()
  })

  it('a job never sent has no billing', async () => {
    h = await harness()
    // Not started: the job stays queued.
    const reply = await h.engine.createJobs({ specs: [sora('never sent')] })
    if (!reply.ok) throw new Error('refused')
    const details = h.engine.jobDetails(reply.jobs[0].id)
    expect(details.billed).toBeNull()
    expect(details.timeline.map((e) => e.state)).toEqual(['queued'])
  })

  it('an unknown id is a clear not-found error', () => {
    return (async () => {
      h = await harness()
      expect(() => h.engine.jobDetails('j-nope')).toThrow(/j-nope/)
    })()
  })
})

describe('retry all failed', () => {
  it('makes exactly one new paid job per job the provider failed, linked to it, and never a second one', async () => {
    h = await harness({ durations: { '*': 60_000 } })
    h.engine.start()
    const specs = [1, 2, 3, 4].map((i) => sora(`batch four ${i}`))
    const reply = await h.engine.createJobs({ specs })
    if (!reply.ok) throw new Error('refused')
    const ids = reply.jobs.map((j) => j.id)
    const batchId = reply.jobs[0].batchId!
    await until(() => ids.every((id) => h.engine.getJob(id)?.remoteId), 15_000)
    const failedTasks = [h.engine.getJob(ids[0])!.remoteId!, h.engine.getJob(ids[2])!.remoteId!]
    for (const t of failedTasks) h.fake.finishTask(t, 'failed')
    await until(() => [ids[0], ids[2]].every((id) => h.engine.getJob(id)?.state === 'failed'), 15_000)
    const before = h.fake.creates().length

    const retried = await h.engine.retryFailed(ids)
    expect(retried.ok).toBe(true)
    if (!retried.ok) return
    expect(retried.jobs).toHaveLength(2)
    expect(retried.jobs.map((j) => j.parentId).sort()).toEqual([ids[0], ids[2]].sort())
    expect(retried.jobs.every((j) => j.lineage === 'retry' && j.batchId === batchId)).toBe(true)
    await until(() => h.fake.creates().length === before + 2, 15_000)

    // The failed ones are replaced now: asking again makes nothing, and neither does a single retry.
    expect(h.engine.jobDetails(ids[0]).replacedBy).toBe(retried.jobs.find((j) => j.parentId === ids[0])!.id)
    await expect(h.engine.retryFailed(ids)).rejects.toThrow(/nothing to retry/i)
    await expect(h.engine.retry(ids[0])).rejects.toThrow(/already retried/i)
    await new Promise((r) => setTimeout(r, 300))
    expect(h.fake.creates().length).toBe(before + 2)
  })

  it('does not retry a failure that never reached the provider as a task (no task id)', async () => {
    h = await harness()
    const reply = await h.engine.createJobs({ specs: [sora('still queued')] })
    if (!reply.ok) throw new Error('refused')
    await expect(h.engine.retryFailed([reply.jobs[0].id])).rejects.toThrow(/nothing to retry/i)
  })
})

describe('cancel many', () => {
  it('cancels those the lifecycle allows and says how many', async () => {
    h = await harness()
    const reply = await h.engine.createJobs({ specs: [sora('c1'), sora('c2')] })
    if (!reply.ok) throw new Error('refused')
    const ids = reply.jobs.map((j) => j.id)
    expect(h.engine.cancelMany(ids)).toBe(2)
    expect(ids.map((id) => h.engine.getJob(id)!.state)).toEqual(['canceled', 'canceled'])
    expect(h.engine.cancelMany(ids)).toBe(0)
    expect(h.engine.jobDetails(ids[0]).timeline.map((e) => e.state)).toEqual(['queued', 'canceled'])
    // Removed from the queue, it has no details any more.
    expect(h.engine.removeJobs([ids[0]])).toBe(1)
    expect(() => h.engine.jobDetails(ids[0])).toThrow(/No job/)
  })
})

describe('one retry per failure, whatever happens around it', () => {
  async function failedJob(prompt: string): Promise<string> {
    const reply = await h.engine.createJobs({ specs: [sora(prompt)] })
    if (!reply.ok) throw new Error('refused')
    const id = reply.jobs[0].id
    await until(() => !!h.engine.getJob(id)?.remoteId, 15_000)
    h.fake.finishTask(h.engine.getJob(id)!.remoteId!, 'failed')
    await until(() => h.engine.getJob(id)?.state === 'failed', 15_000)
    return id
  }

  it('two retries of the same failure at once (a double click, two windows) make one paid job, not two', async () => {
    h = await harness({ durations: { '*': 60_000 } })
    h.engine.start()
    const id = await failedJob('retried twice at once')
    const outcomes = await Promise.allSettled([h.engine.retry(id), h.engine.retry(id), h.engine.retryFailed([id])])
    expect(outcomes.filter((o) => o.status === 'fulfilled' && o.value.ok)).toHaveLength(1)
    expect(h.engine.listJobs().filter((j) => j.parentId === id)).toHaveLength(1)
  })

  it('removing the retry from the queue does not make the failure retryable again', async () => {
    h = await harness({ durations: { '*': 60_000 } })
    h.engine.start()
    const id = await failedJob('retry removed')
    const r = await h.engine.retry(id)
    if (!r.ok) throw new Error('refused')
    const retryId = r.jobs[0].id
    h.engine.cancel(retryId)
    h.engine.removeJobs([retryId])
    expect(h.engine.getJob(retryId)).toBeNull()
    await expect(h.engine.retry(id)).rejects.toThrow(/already/i)
    await expect(h.engine.retryFailed([id])).rejects.toThrow()
    expect(h.engine.listJobs().filter((j) => j.parentId === id)).toHaveLength(0)
  })

  it('an empty list retries and cancels nothing (never "every job")', async () => {
    h = await harness({ durations: { '*': 60_000 } })
    h.engine.start()
    await failedJob('not in the list')
    await expect(h.engine.retryFailed([])).rejects.toThrow()
    expect(h.engine.cancelMany([])).toBe(0)
  })
})
