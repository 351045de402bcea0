// The polling simulation behind bench/polling.ts: a workload of remote tasks and the policies
// that poll them, all on a fake clock (nothing waits for real, nothing goes on the network).
import { RequestBudget, type BudgetGrant } from '../../src/core/http/requestBudget'
import { DurationModel } from '../../src/core/jobs/durationModel'
import { PollScheduler } from '../../src/core/jobs/pollScheduler'
import { FakeClock } from '../../test/helpers/fakeClock'
import { gaussian, prng } from '../lib/stats'

export const BUDGET_RPS = 2
export const NAIVE_INTERVAL_MS = 10_000
/** Simulated round trip of a poll: its answer arrives this long after it was sent. */
export const POLL_LATENCY_MS = 250
/** Simulated round trip of a create (upload, provider hand-off). */
export const CREATE_LATENCY_MS = 1000
/** The engine's default `maxConcurrentCreates`. */
export const CREATE_CONCURRENCY = 4
/** Share of a task spent queued (progress 0) before progress rises linearly (as the fake server does). */
const QUEUED_SHARE = 0.1
const SAFETY_LIMIT_MS = 6 * 3600_000

/** Real model ids (so the engine's default duration priors apply) with the medians we simulate. */
export const MODELS: { id: string; medianS: number }[] = [
  { id: 'grok-imagine-video', medianS: 40 },
  { id: 'veo3.1', medianS: 70 },
  { id: 'sora-2', medianS: 110 },
  { id: 'kling-v2-6', medianS: 180 }
]
export const SIGMA = 0.35

/** One remote task: its model and how long the provider takes once it has the create. */
export interface Job {
  id: string
  model: string
  durationMs: number
}

/** How the tasks come to exist: already running at t0, or created one by one through the budget. */
export type Arrival = 'running-at-t0' | 'created-through-budget'

export interface Outcome {
  polls: number
  creates: number
  /** Detection delay per task (ms): when the "finished" answer arrived − the remote finish time. */
  delays: number[]
  /** Send time of every request, polls and creates (ms). */
  sends: number[]
  /** From t0 until the last task was noticed (ms). */
  makespan: number
  /** When each remote task started (received its create). */
  starts: Map<string, number>
  /** Send times of the creates. */
  createSends?: number[]
  /** Detection delay by task id (ms), for diagnostics. */
  delayById?: Map<string, number>
}

export function workload(seed: number, jobs: number): Job[] {
  const rand = prng(seed)
  return Array.from({ length: jobs }, (_, i) => {
    const m = MODELS[i % MODELS.length]
    const seconds = Math.exp(Math.log(m.medianS) + SIGMA * gaussian(rand))
    return { id: `t${i}`, model: m.id, durationMs: Math.round(seconds * 1000) }
  })
}

/** A task the remote runs: it started (received the create) at `startAt`. */
interface Remote {
  job: Job
  startAt: number
  finishAt: number
}

/** What the remote says at `now`: finished, or the progress the fake CometAPI would report. */
function answer(r: Remote, now: number): { done: boolean; progress: number } {
  if (now >= r.finishAt) return { done: true, progress: 100 }
  const d = r.finishAt - r.startAt
  const elapsed = now - r.startAt
  if (elapsed < d * QUEUED_SHARE) return { done: false, progress: 0 }
  return { done: false, progress: Math.min(99, Math.max(1, Math.floor((elapsed / d) * 100))) }
}

export function maxInWindow(sends: number[], windowMs: number): number {
  const s = [...sends].sort((a, b) => a - b)
  let best = 0
  let j = 0
  for (let i = 0; i < s.length; i++) {
    while (s[i] - s[j] >= windowMs) j++
    best = Math.max(best, i - j + 1)
  }
  return best
}

/**
 * Brings the jobs into existence on the remote. `running-at-t0`: all already running (e.g. the
 * engine restarted with them in flight). `created-through-budget`: the engine's creates, up to
 * CREATE_CONCURRENCY in flight, each taking a place in the same RequestBudget as the polls.
 * Calls `onSubmitted` when the create's answer arrives (the engine's `submittedAt`).
 */
function creator(
  jobs: Job[], arrival: Arrival, clock: FakeClock, budget: RequestBudget | null, out: Outcome, t0: number,
  onSubmitted: (r: Remote, submittedAt: number) => void
): void {
  if (arrival === 'running-at-t0') {
    for (const job of jobs) {
      out.starts.set(job.id, t0)
      onSubmitted({ job, startAt: t0, finishAt: t0 + job.durationMs }, t0)
    }
    return
  }
  let next = 0
  let inFlight = 0
  const pump = (): void => {
    while (inFlight < CREATE_CONCURRENCY && next < jobs.length) {
      const job = jobs[next++]
      inFlight++
      const send = (): void => {
        const sentAt = clock.now()
        out.starts.set(job.id, sentAt)
        ;(out.createSends ??= []).push(sentAt)
        out.creates++
        out.sends.push(sentAt)
        clock.setTimeout(() => {
          inFlight--
          onSubmitted({ job, startAt: sentAt, finishAt: sentAt + job.durationMs }, clock.now())
          pump()
        }, CREATE_LATENCY_MS)
      }
      if (!budget) send()
      else
        void budget.acquire('create').then((grant) => {
          grant.sent()
          send()
        })
    }
  }
  pump()
}

async function runClock(clock: FakeClock, left: () => number): Promise<void> {
  const start = clock.now()
  while (left() > 0 && clock.now() - start < SAFETY_LIMIT_MS) await clock.advance(1000)
}

/** The scheduler's choice before bench/polling.ts: among due tasks, the highest chance of being finished. */
class HighestChanceScheduler extends PollScheduler {
  protected override score(e: Parameters<PollScheduler['chance']>[0], now: number): number {
    return this.chance(e, now)
  }
}

/**
 * The engine's scheduler, driven the way src/core/jobs/poller.ts drives it.
 * `highestChance`: its earlier pick rule, for the before/after figure.
 */
export async function adaptive(jobs: Job[], arrival: Arrival, t0: number, rps = BUDGET_RPS, highestChance = false): Promise<Outcome> {
  const clock = new FakeClock(t0)
  const budget = new RequestBudget(clock, rps)
  const durations = new DurationModel()
  const remotes = new Map<string, { r: Remote; submittedAt: number }>()
  const progressSeen = new Map<string, { progress: number; at: number }>()
  const out: Outcome = { polls: 0, creates: 0, delays: [], sends: [], makespan: 0, starts: new Map() }
  let left = jobs.length
  const Scheduler = highestChance ? HighestChanceScheduler : PollScheduler
  const scheduler: PollScheduler = new Scheduler({
    clock,
    budget,
    durations,
    poll: (id: string, grant: BudgetGrant) =>
      new Promise<void>((resolve) => {
        grant.sent()
        out.polls++
        out.sends.push(clock.now())
        clock.setTimeout(() => {
          const { r, submittedAt } = remotes.get(id)!
          const now = clock.now()
          const a = answer(r, now)
          if (a.done) {
            scheduler.remove(id)
            progressSeen.delete(id)
            // The remote says when it finished (Sora's completed_at, Runway's finish_time…).
            durations.record(r.job.model, (r.finishAt - submittedAt) / 1000)
            out.delays.push(now - r.finishAt)
            ;(out.delayById ??= new Map()).set(id, now - r.finishAt)
            out.makespan = Math.max(out.makespan, now - t0)
            left--
          } else {
            if (a.progress > 0) progressSeen.set(id, { progress: a.progress, at: now })
            const seen = progressSeen.get(id)
            scheduler.upsert({ id, model: r.job.model, startedAt: submittedAt, lastPolledAt: now, progress: seen?.progress ?? null, progressAt: seen?.at ?? null, notBefore: 0 })
          }
          resolve()
        }, POLL_LATENCY_MS)
      })
  })
  scheduler.start()
  creator(jobs, arrival, clock, budget, out, t0, (r, submittedAt) => {
    remotes.set(r.job.id, { r, submittedAt })
    // Poller.track after the create was recorded.
    scheduler.upsert({ id: r.job.id, model: r.job.model, startedAt: submittedAt, lastPolledAt: null, progress: null, progressAt: null, notBefore: 0 })
  })
  await runClock(clock, () => left)
  scheduler.stop()
  budget.dispose()
  return out
}

/** The loop from the CometAPI docs: create everything, poll each task every 10 s, no budget. */
export async function naive(jobs: Job[], arrival: Arrival, t0: number): Promise<Outcome> {
  const clock = new FakeClock(t0)
  const out: Outcome = { polls: 0, creates: 0, delays: [], sends: [], makespan: 0, starts: new Map() }
  let left = jobs.length
  creator(jobs, arrival, clock, null, out, t0, (r, submittedAt) => {
    const tick = (): void => {
      out.polls++
      out.sends.push(clock.now())
      clock.setTimeout(() => {
        const now = clock.now()
        if (answer(r, now).done) {
          out.delays.push(now - r.finishAt)
          out.makespan = Math.max(out.makespan, now - t0)
          left--
        } else clock.setTimeout(tick, NAIVE_INTERVAL_MS - POLL_LATENCY_MS)
      }, POLL_LATENCY_MS)
    }
    clock.setTimeout(tick, NAIVE_INTERVAL_MS + submittedAt - clock.now())
  })
  await runClock(clock, () => left)
  return out
}

/** The 10 s loop under the same budget: of the tasks not polled for 10 s, the one polled longest ago goes next. */
export async function roundRobin(jobs: Job[], arrival: Arrival, t0: number, rps = BUDGET_RPS): Promise<Outcome> {
  const clock = new FakeClock(t0)
  const budget = new RequestBudget(clock, rps)
  const out: Outcome = { polls: 0, creates: 0, delays: [], sends: [], makespan: 0, starts: new Map() }
  const active = new Map<string, { r: Remote; last: number; inFlight: boolean }>()
  let left = jobs.length
  let running = true
  creator(jobs, arrival, clock, budget, out, t0, (r, submittedAt) => active.set(r.job.id, { r, last: submittedAt, inFlight: false }))
  const loop = async (): Promise<void> => {
    while (running) {
      const now = clock.now()
      let pick: { r: Remote; last: number; inFlight: boolean } | null = null
      for (const e of active.values()) {
        if (e.inFlight || now - e.last < NAIVE_INTERVAL_MS) continue
        if (!pick || e.last < pick.last) pick = e
      }
      if (!pick) {
        await new Promise<void>((resolve) => clock.setTimeout(resolve, 100))
        continue
      }
      const e = pick
      e.inFlight = true
      const grant = await budget.acquire('poll')
      grant.sent()
      const sentAt = clock.now()
      out.polls++
      out.sends.push(sentAt)
      clock.setTimeout(() => {
        const at = clock.now()
        e.inFlight = false
        e.last = sentAt
        if (answer(e.r, at).done) {
          active.delete(e.r.job.id)
          out.delays.push(at - e.r.finishAt)
          out.makespan = Math.max(out.makespan, at - t0)
          left--
        }
      }, POLL_LATENCY_MS)
    }
  }
  void loop()
  await runClock(clock, () => left)
  running = false
  await clock.advance(1000)
  budget.dispose()
  return out
}

/**
 * A floor no policy can beat: an oracle that knows every finish time polls each task exactly
 * once, in finish order, as early as the budget allows given the creates already sent (`creates`:
 * their send times). Not a policy anyone can run; the bound the others are read against.
 */
export function oracle(starts: Map<string, number>, creates: number[], jobs: Job[], t0: number, rps = BUDGET_RPS): Outcome {
  const windowMs = (new RequestBudget(new FakeClock(0), rps) as unknown as { windowMs: number }).windowMs
  const out: Outcome = { polls: 0, creates: 0, delays: [], sends: [], makespan: 0, starts: new Map() }
  const grants = [...creates].sort((a, b) => a - b)
  // Whether one more grant at t keeps every window of windowMs at or below the budget.
  const fits = (t: number): boolean => {
    const near = grants.filter((g) => g > t - windowMs && g < t + windowMs)
    near.push(t)
    near.sort((a, b) => a - b)
    let j = 0
    for (let i = 0; i < near.length; i++) {
      while (near[i] - near[j] >= windowMs) j++
      if (i - j + 1 > Math.floor(rps)) return false
    }
    return true
  }
  const finishes = jobs.map((j) => (starts.get(j.id) ?? t0) + j.durationMs).sort((a, b) => a - b)
  for (const finishAt of finishes) {
    let at = finishAt - POLL_LATENCY_MS
    while (!fits(at)) at += 10
    grants.push(at)
    grants.sort((a, b) => a - b)
    out.polls++
    out.sends.push(at)
    out.delays.push(at + POLL_LATENCY_MS - finishAt)
    out.makespan = Math.max(out.makespan, at + POLL_LATENCY_MS - t0)
  }
  return out
}
