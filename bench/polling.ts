// Polling cost and detection latency, in simulated time (fake clock, no network, no waiting).
//   npx tsx bench/polling.ts [--quick] [--runs N] [--jobs N]
//
// 500 remote tasks across four models with log-normal durations (seeded), under the product's
// global budget of 2 requests/s. Three policies run on the same workload in the same process:
//   adaptive     the engine's PollScheduler + DurationModel + RequestBudget, driven as the
//                engine's Poller drives them (progress and learned durations included);
//   naive        the loop from the CometAPI docs: every task every 10 s, no budget;
//   round-robin  the same 10 s loop made budget-aware: under the same RequestBudget, the task
//                polled longest ago goes next.
// Each run draws a new workload (seed = run number); figures are medians over runs.
import { Results, runsArg } from './lib/results'
import { percentile } from './lib/stats'
import {
  adaptive, type Arrival, BUDGET_RPS, CREATE_CONCURRENCY, CREATE_LATENCY_MS, maxInWindow, MODELS, naive, oracle, type Outcome, POLL_LATENCY_MS,
  roundRobin, SIGMA, workload
} from './polling/sim'

const JOBS = (() => {
  const i = process.argv.indexOf('--jobs')
  return i > 0 ? Number(process.argv[i + 1]) : 500
})()
const RUNS = runsArg(5, 2)
const T0 = Date.UTC(2026, 0, 1)

const res = new Results('polling', '2. Polling cost and detection latency', 'npx tsx bench/polling.ts')
res.describe(
  `${JOBS} jobs, the four models in turn (${MODELS.map((m) => `${m.id} median ${m.medianS} s`).join(', ')}), log-normal σ = ${SIGMA}, ` +
    `drawn from a seeded PRNG (a new seed per run, ${RUNS} runs). The simulated remote reports linear progress after 10 % queued, as the fake CometAPI does; ` +
    `a poll takes ${POLL_LATENCY_MS} ms, a create ${CREATE_LATENCY_MS} ms of simulated time. The adaptive scheduler starts cold (the engine's default priors: ` +
    `grok 45 s, veo 90 s, sora 120 s, kling 180 s) and learns each model's durations as its tasks finish.`
)
res.describe(
  `Two arrivals. **Created through the budget** (the real case): the engine creates the 500 jobs itself, up to ${CREATE_CONCURRENCY} creates in flight, each create ` +
    `taking a place in the same ${BUDGET_RPS} req/s budget as the polls (so the batch takes minutes to submit). **Running at t = 0** (stress): 500 tasks already ` +
    `running when polling starts (an engine restarted mid-batch); finishes then outpace the budget for minutes.`
)
res.describe(
  `Baselines in the same run, same workload: naive = every task every 10 s, no budget (CometAPI docs; creates all at once); round-robin = the same 10 s loop ` +
    `under the same RequestBudget(${BUDGET_RPS}/s), the task polled longest ago first. Detection delay = when the "finished" answer arrives − the remote finish time. ` +
    `"Floor" = an oracle that knows every finish time and polls each task once, in finish order, under the same budget: what no policy can beat.`
)

const scenarios: { arrival: Arrival; label: string }[] = [
  { arrival: 'created-through-budget', label: 'created through the budget' },
  { arrival: 'running-at-t0', label: 'running at t = 0' }
]

for (const sc of scenarios) {
  const rows = { a: [] as Outcome[], b: [] as Outcome[], n: [] as Outcome[], r: [] as Outcome[], o: [] as Outcome[] }
  for (let run = 0; run < RUNS; run++) {
    const jobs = workload(1000 + run, JOBS)
    const t = Date.now()
    const a = await adaptive(jobs, sc.arrival, T0)
    rows.a.push(a)
    rows.n.push(await naive(jobs, sc.arrival, T0))
    rows.r.push(await roundRobin(jobs, sc.arrival, T0))
    rows.o.push(oracle(a.starts, a.createSends ?? [], jobs, T0))
    rows.b.push(await adaptive(jobs, sc.arrival, T0, BUDGET_RPS, true))
    console.log(`[${sc.label}] run ${run + 1}/${RUNS}: simulated in ${Date.now() - t} ms; polls adaptive ${a.polls}, naive ${rows.n[run].polls}, round-robin ${rows.r[run].polls}`)
  }
  const p = (o: Outcome, q: number): number => percentile(o.delays, q) / 1000
  const tag = ` — ${sc.label}`
  res.add(`Adaptive: poll requests${tag}`, rows.a.map((o) => o.polls), { digits: 0 })
  res.add(`Adaptive: poll requests per job${tag}`, rows.a.map((o) => o.polls / JOBS))
  res.add(`Adaptive: detection delay p50${tag}`, rows.a.map((o) => p(o, 0.5)), { unit: 's', digits: 1 })
  res.add(`Adaptive: detection delay p95${tag}`, rows.a.map((o) => p(o, 0.95)), { unit: 's', digits: 1 })
  res.add(`Naive 10 s loop: poll requests${tag}`, rows.n.map((o) => o.polls), { digits: 0 })
  res.add(`Naive 10 s loop: detection delay p50${tag}`, rows.n.map((o) => p(o, 0.5)), { unit: 's', digits: 1 })
  res.add(`Naive 10 s loop: detection delay p95${tag}`, rows.n.map((o) => p(o, 0.95)), { unit: 's', digits: 1 })
  res.add(`Naive 10 s loop: most requests in any 1 s${tag}`, rows.n.map((o) => maxInWindow(o.sends, 1000)), { digits: 0 })
  res.add(`Round-robin under budget: poll requests${tag}`, rows.r.map((o) => o.polls), { digits: 0 })
  res.add(`Round-robin under budget: detection delay p50${tag}`, rows.r.map((o) => p(o, 0.5)), { unit: 's', digits: 1 })
  res.add(`Round-robin under budget: detection delay p95${tag}`, rows.r.map((o) => p(o, 0.95)), { unit: 's', digits: 1 })
  res.add(`Before this work (highest chance first): detection delay p50${tag}`, rows.b.map((o) => p(o, 0.5)), { unit: 's', digits: 1 })
  res.add(`Before this work (highest chance first): detection delay p95${tag}`, rows.b.map((o) => p(o, 0.95)), { unit: 's', digits: 1 })
  res.add(`Floor (oracle): detection delay p95${tag}`, rows.o.map((o) => p(o, 0.95)), { unit: 's', digits: 1 })
  res.add(`Adaptive ÷ naive poll requests${tag}`, rows.a.map((o, i) => o.polls / rows.n[i].polls), {
    target: '≤ 0.40',
    meets: (v) => v <= 0.4,
    digits: 3
  })
  res.add(`Adaptive ÷ round-robin p95 detection delay${tag}`, rows.a.map((o, i) => p(o, 0.95) / p(rows.r[i], 0.95)), {
    target: '≤ 0.50',
    meets: (v) => v <= 0.5,
    digits: 3,
    why:
      'Two things hold the tail back, both visible against the oracle floor. (1) Information: the slowest-detected tasks are fast outliers of slow models ' +
      '(a 90 s Kling task, a 50 s Sora task). The learned durations say when a typical task finishes; an atypical one is found only by spending a poll on it, ' +
      'and round-robin spends polls on everything. (2) Saturation: while the batch is being created, creates and polls take turns in the budget (RequestBudget), ' +
      'so polls get about 0.9/s while about 0.9 tasks/s finish; with all 500 already running, finishes outpace the 2 req/s for minutes. ' +
      'Picking the task expected to have been finished the longest (this work) took the created-batch ratio from 1.2 to about 0.63. The scheduler also looks at each task once early ' +
      '(at 35 % of its typical duration) to expose outliers by their progress, but only with budget no finished task needs, which a saturated budget rarely has. ' +
      'What would close the rest: letting polls of near-certainly finished tasks go ahead of creates when such a queue builds (a RequestBudget policy, trading ' +
      'later submissions for earlier pick-ups), a higher request budget (at 5 req/s the ratio is about 0.5, see below), or provider push notifications.'
  })
  const maxA = rows.a.map((o) => maxInWindow(o.sends, 1000))
  res.add(`Adaptive: most requests (polls + creates) in any 1 s${tag}`, maxA, {
    target: `≤ ${BUDGET_RPS}`,
    meets: () => Math.max(...maxA) <= BUDGET_RPS,
    value: Math.max(...maxA),
    digits: 0
  })
  res.add(`Adaptive: until the last task is noticed${tag}`, rows.a.map((o) => o.makespan / 1000), { unit: 's', digits: 0 })
  res.add(`Round-robin: until the last task is noticed${tag}`, rows.r.map((o) => o.makespan / 1000), { unit: 's', digits: 0 })
}
res.note(
  'This work changed which due task the scheduler polls first (src/core/jobs/pollScheduler.ts): the one expected to have been finished the longest, ' +
    'E[(now − T)⁺ | unfinished when last seen], instead of the one most likely finished. With a backlog, the old rule kept serving near-certain newcomers ' +
    'while tasks that had finished earlier waited (the "before" rows). The trade: the median delay of a created batch rose (about 26 s → 40 s) while its p95 ' +
    'fell by half; request counts are unchanged. The test in test/core/pollScheduler.test.ts still holds.'
)

// How the delay ratio moves with the budget: saturation, not the policy, is what holds it back at 2 req/s.
for (const rps of [5]) {
  for (const sc of scenarios) {
    const ratios: number[] = []
    for (let run = 0; run < Math.min(RUNS, 3); run++) {
      const jobs = workload(1000 + run, JOBS)
      const a = await adaptive(jobs, sc.arrival, T0, rps)
      const r = await roundRobin(jobs, sc.arrival, T0, rps)
      ratios.push(percentile(a.delays, 0.95) / percentile(r.delays, 0.95))
    }
    res.add(`At ${rps} req/s: adaptive ÷ round-robin p95 detection delay — ${sc.label}`, ratios, { digits: 3 })
  }
}
res.finish()
