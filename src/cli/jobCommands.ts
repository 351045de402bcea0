// comet-video create | batch | jobs | wait | cancel | retry | decide | models | spend
import { resolve } from 'node:path'
import type { Engine } from '../core/engine'
import { scanImages } from '../core/images/imageScan'
import type { JobSpec, JobView } from '../shared/jobs'
import { ACCEPTED_STATES, ACTIVE_STATES, isIn, isJobState, SETTLED_STATES, type StateSet } from '../shared/jobStates'
import type { FieldError } from '../shared/modelTypes'
import { intArg, params, parse, str, strs, UsageError } from './args'
import { jobJson, jobLine, printJson, ProgressReporter } from './output'
import type { CliIo } from './runtime'
import { formatMoney } from '../shared/money'

export const EXIT = { ok: 0, failed: 1, usage: 2, auth: 3 } as const

/** A command that could not do its work, with the sentence to print (exit 1). */
export class CliFailure extends Error {}

/** What `create`, `batch` and `retry` wait for: with --wait, settled; without, accepted by the provider (or settled). */
const SENT: StateSet = [...ACCEPTED_STATES, ...SETTLED_STATES]
const ONLY_COMPLETED: StateSet = ['completed']

/** Runs the engine until every job is in one of `until`; rejects with EnginePausedError when the engine pauses. */
export async function runUntil(engine: Engine, ids: string[], until: StateSet, io: CliIo, quiet: boolean): Promise<JobView[]> {
  const progress = new ProgressReporter(io)
  // The engine's timers never keep a process alive on their own; while the command waits, this does.
  const keepAlive = setInterval(() => {}, 60_000)
  try {
    return await engine.waitFor(ids, { until, failOnPause: true, onChange: quiet ? undefined : (jobs) => progress.update(jobs) })
  } finally {
    clearInterval(keepAlive)
    if (!quiet) progress.done()
  }
}

/** Exit 0 when every job ended as `wanted` says. */
function exitFor(jobs: JobView[], wanted: StateSet): number {
  return jobs.every((j) => isIn(wanted, j.state)) ? EXIT.ok : EXIT.failed
}

/** Exit for --wait (every video made) or not (every job accepted by the provider). */
function exitAfter(jobs: JobView[], waited: boolean): number {
  return exitFor(jobs, waited ? ONLY_COMPLETED : ACCEPTED_STATES)
}

function printFieldErrors(io: CliIo, errors: { index: number; errors: FieldError[] }[], label: (i: number) => string): void {
  for (const e of errors) for (const fe of e.errors) io.stderr.write(`${label(e.index)}${fe.field}: ${fe.message}\n`)
}

async function ensureCatalog(engine: Engine, io: CliIo): Promise<void> {
  if (engine.models().length) return
  const { problem } = await engine.refreshModels()
  if (problem) io.stderr.write(`Could not load the model list (${problem}); using known model ids.\n`)
}

const CREATE_OPTIONS = {
  model: { type: 'string', short: 'm' },
  prompt: { type: 'string', short: 'p' },
  'negative-prompt': { type: 'string' },
  image: { type: 'string', multiple: true, short: 'i' },
  seconds: { type: 'string', short: 's' },
  size: { type: 'string' },
  'aspect-ratio': { type: 'string' },
  resolution: { type: 'string' },
  seed: { type: 'string' },
  param: { type: 'string', multiple: true },
  wait: { type: 'boolean', short: 'w' },
  json: { type: 'boolean' },
  'confirm-spend': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  key: { type: 'string' }
} as const

/** The named key of `--key NAME` (a label or id), or the default key when absent. */
function keyFrom(engine: Engine, values: Record<string, unknown>): string | null {
  const name = str(values.key)
  if (name === undefined) return null
  const p = engine.keys().find((k) => k.id === name || k.label.toLowerCase() === name.trim().toLowerCase())
  if (!p) throw new UsageError(`There is no key named “${name}”. See the keys with: comet-video key list`)
  return p.id
}

/** A job's spec from the command line's flags (create, batch, and watch's recipe). */
export function specFrom(values: Record<string, unknown>, prompt: string, images: string[]): JobSpec {
  const model = str(values.model)
  if (!model) throw new UsageError('--model is required (see `comet-video models`).')
  const spec: JobSpec = { model, prompt }
  const neg = str(values['negative-prompt'])
  if (neg) spec.negativePrompt = neg
  const seconds = intArg(values.seconds, 'seconds')
  if (seconds !== undefined) spec.seconds = seconds
  if (str(values.size)) spec.size = str(values.size)
  if (str(values['aspect-ratio'])) spec.aspectRatio = str(values['aspect-ratio'])
  if (str(values.resolution)) spec.resolution = str(values.resolution)
  const seed = intArg(values.seed, 'seed')
  if (seed !== undefined) spec.seed = seed
  if (images.length) spec.images = images.map((p) => resolve(p))
  const extra = params(strs(values.param))
  if (extra) spec.params = extra
  return spec
}

/** Submits (and with --wait, finishes) jobs, then prints them; returns the exit code. */
async function submitOne(engine: Engine, io: CliIo, spec: JobSpec, values: Record<string, unknown>): Promise<number> {
  const json = !!values.json
  const result = await engine.createJobs({ specs: [spec], confirmOverBudget: !!values['confirm-spend'], keyId: keyFrom(engine, values) })
  if (!result.ok) {
    printFieldErrors(io, result.errors, () => '')
    return EXIT.usage
  }
  if (result.held) {
    io.stderr.write(`${result.note}\nRun again with --confirm-spend to send it anyway.\n`)
    if (json) printJson(io, { ...jobJson(result.jobs[0]), held: true })
    return EXIT.failed
  }
  engine.start()
  const jobs = await runUntil(engine, [result.jobs[0].id], values.wait ? SETTLED_STATES : SENT, io, !!values.quiet || json)
  if (json) printJson(io, jobJson(jobs[0]))
  else io.stdout.write(`${jobLine(jobs[0])}\n`)
  return exitAfter(jobs, !!values.wait)
}

export async function createCommand(engine: Engine, io: CliIo, argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, CREATE_OPTIONS)
  const prompt = str(values.prompt) ?? positionals.join(' ')
  const spec = specFrom(values, prompt, strs(values.image))
  await ensureCatalog(engine, io)
  return submitOne(engine, io, spec, values)
}

export async function batchCommand(engine: Engine, io: CliIo, argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, CREATE_OPTIONS)
  if (!positionals.length) throw new UsageError('batch needs at least one image file or folder.')
  const json = !!values.json
  await ensureCatalog(engine, io)
  // The same walk as the app's drop: folders, symlink loops, hidden files, the file cap, duplicates.
  const scan = await scanImages(positionals.map((p) => resolve(p)))
  const skipped: { file: string; reason: string }[] = scan.rejected.map((r) => ({ file: r.path, reason: r.reason }))
  const specs: JobSpec[] = []
  const sources: string[] = []
  for (const image of scan.images) {
    if (image.duplicateOf) {
      skipped.push({ file: image.path, reason: `the same image as ${image.duplicateOf}` })
      continue
    }
    const spec = specFrom(values, str(values.prompt) ?? '', [image.path])
    const problems = await engine.validate(spec)
    if (problems.length) {
      skipped.push({ file: image.path, reason: problems.map((p) => p.message).join(' ') })
      continue
    }
    specs.push(spec)
    sources.push(image.path)
  }
  for (const s of skipped) io.stderr.write(`skipped ${s.file}: ${s.reason}\n`)
  if (!specs.length) {
    io.stderr.write('No usable images: nothing was sent.\n')
    if (json) printJson(io, { jobs: [], skipped })
    return EXIT.usage
  }
  const result = await engine.createJobs({ specs, confirmOverBudget: !!values['confirm-spend'], keyId: keyFrom(engine, values) })
  if (!result.ok) {
    printFieldErrors(io, result.errors, (i) => `${sources[i]}: `)
    return EXIT.usage
  }
  if (result.held) {
    io.stderr.write(`${result.note}\nRun again with --confirm-spend to send it anyway.\n`)
    if (json) printJson(io, { jobs: result.jobs.map(jobJson), skipped, held: true })
    return EXIT.failed
  }
  if (!json) io.stderr.write(`${specs.length} job(s) created${result.estimate != null ? `, estimated cost ${result.estimate.toFixed(2)}` : ''}.\n`)
  engine.start()
  const ids = result.jobs.map((j) => j.id)
  const jobs = await runUntil(engine, ids, values.wait ? SETTLED_STATES : SENT, io, !!values.quiet || json)
  if (json) printJson(io, { jobs: jobs.map(jobJson), skipped })
  else for (const j of jobs) io.stdout.write(`${jobLine(j)}\n`)
  return exitAfter(jobs, !!values.wait)
}

export async function jobsCommand(engine: Engine, io: CliIo, argv: string[]): Promise<number> {
  const { values } = parse(argv, { status: { type: 'string', multiple: true }, json: { type: 'boolean' }, limit: { type: 'string' } })
  const states = strs(values.status).flatMap((s) => s.split(','))
  const unknown = states.find((s) => !isJobState(s))
  if (unknown) throw new UsageError(`--status "${unknown}" is not a job state.`)
  const jobs = engine.listJobs({ states: states.length ? states.filter(isJobState) : undefined, order: 'desc', limit: intArg(values.limit, 'limit') ?? 500 })
  if (values.json) printJson(io, { jobs: jobs.map(jobJson) })
  else if (!jobs.length) io.stdout.write('No jobs.\n')
  else for (const j of jobs) io.stdout.write(`${jobLine(j)}\n`)
  return EXIT.ok
}

export async function waitCommand(engine: Engine, io: CliIo, argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' }, quiet: { type: 'boolean', short: 'q' } })
  for (const id of positionals) if (!engine.getJob(id)) throw new UsageError(`No job with id ${id}.`)
  const ids = positionals.length ? positionals : engine.listJobs({ states: ACTIVE_STATES }).map((j) => j.id)
  engine.start()
  const jobs = ids.length ? await runUntil(engine, ids, SETTLED_STATES, io, !!values.quiet || !!values.json) : []
  if (values.json) printJson(io, { jobs: jobs.map(jobJson) })
  else if (!jobs.length) io.stdout.write('Nothing to wait for.\n')
  else for (const j of jobs) io.stdout.write(`${jobLine(j)}\n`)
  return exitFor(jobs, ONLY_COMPLETED)
}

export async function cancelCommand(engine: Engine, io: CliIo, argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' } })
  if (positionals.length !== 1) throw new UsageError('cancel needs one job id.')
  const { job, message } = engine.cancel(positionals[0])
  if (values.json) printJson(io, { ...jobJson(job), message })
  else io.stdout.write(`${message}\n`)
  return EXIT.ok
}

const money = (n: number | null): string => (n == null ? 'price unknown' : `about ${n.toFixed(2)}`)

/**
 * `retry ID`: a made video whose download did not finish is downloaded again (no new task, no new
 * charge); anything else the provider failed, or that was never sent, becomes a new paid job.
 */
export async function retryCommand(engine: Engine, io: CliIo, argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' }, wait: { type: 'boolean', short: 'w' }, quiet: { type: 'boolean', short: 'q' } })
  if (positionals.length !== 1) throw new UsageError('retry needs one job id.')
  const old = engine.getJob(positionals[0])
  if (!old) throw new UsageError(`No job with id ${positionals[0]}.`)
  let ids: string[]
  if (old.state === 'download_failed') {
    engine.retryDownload(old.id)
    if (!values.json) io.stderr.write('Downloading the video again (it was already made: no new job, no new charge).\n')
    ids = [old.id]
  } else {
    const result = await engine.retry(old.id)
    if (!result.ok) {
      printFieldErrors(io, result.errors, () => '')
      return EXIT.usage
    }
    if (result.held) {
      io.stderr.write(`${result.note}\nRun again with --confirm-spend to send it anyway.\n`)
      return EXIT.failed
    }
    if (!values.json) io.stderr.write(`New paid job ${result.jobs[0].id}, ${money(result.estimate)}.\n`)
    ids = result.jobs.map((j) => j.id)
  }
  engine.start()
  const jobs = await runUntil(engine, ids, values.wait ? SETTLED_STATES : SENT, io, !!values.quiet || !!values.json)
  if (values.json) printJson(io, jobJson(jobs[0]))
  else io.stdout.write(`${jobLine(jobs[0])}\n`)
  return exitAfter(jobs, !!values.wait)
}

const DECIDE_USAGE = 'decide needs a job id and "resubmit" or "dismiss" (a create whose outcome is unknown) or "check" or "dismiss" (a task we lost contact with); or --batch ID / --all with "resubmit" or "dismiss".'

/** The person's answer for jobs waiting for them: one job, or every undecided job of a batch at once. */
export async function decideCommand(engine: Engine, io: CliIo, argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' }, batch: { type: 'string' }, all: { type: 'boolean' } })
  const batchId = str(values.batch)
  if (batchId || values.all) {
    const [choice] = positionals
    if (positionals.length !== 1 || (choice !== 'resubmit' && choice !== 'dismiss')) throw new UsageError(DECIDE_USAGE)
    const { jobs, estimate } = engine.decideMany(batchId ? { batchId } : {}, choice)
    if (values.json) printJson(io, { jobs: jobs.map(jobJson), estimate })
    else if (!jobs.length) io.stdout.write('No job is waiting for a decision there.\n')
    else io.stdout.write(choice === 'resubmit' ? `Resubmitted ${jobs.length} job(s) as new paid jobs, ${money(estimate)}.\n` : `Dismissed ${jobs.length} job(s).\n`)
    return EXIT.ok
  }
  const [id, choice] = positionals
  if (!id || positionals.length !== 2) throw new UsageError(DECIDE_USAGE)
  const job = engine.getJob(id)
  if (!job) throw new UsageError(`No job with id ${id}.`)
  let decided
  if (job.state === 'lost_contact' && (choice === 'check' || choice === 'dismiss')) decided = engine.contact(id, choice)
  else if (choice === 'resubmit' || choice === 'dismiss') decided = engine.decide(id, choice)
  else throw new UsageError(DECIDE_USAGE)
  if (choice === 'resubmit' && !values.json) io.stderr.write(`Resubmitted as a new paid job, ${money(job.estimatedCost)}.\n`)
  if (choice === 'check') engine.start()
  if (values.json) printJson(io, jobJson(decided))
  else io.stdout.write(`${jobLine(decided)}\n`)
  return EXIT.ok
}

export async function modelsCommand(engine: Engine, io: CliIo, argv: string[]): Promise<number> {
  const { values } = parse(argv, { json: { type: 'boolean' }, refresh: { type: 'boolean' } })
  const { models, problem } = await engine.refreshModels({ force: !!values.refresh })
  if (problem && !models.length) throw new CliFailure(`Could not load the model list: ${problem}`)
  if (problem) io.stderr.write(`Offline: showing the saved model list (${problem}).\n`)
  if (values.json) {
    printJson(io, {
      models: models.map((m) => ({ id: m.id, name: m.name, vendor: m.vendor, provider: m.family, modes: m.modes, pricing: m.pricing, upcoming: m.upcoming, available: m.available }))
    })
    return EXIT.ok
  }
  for (const m of models) {
    const price = m.pricing.perSecond != null ? `${m.pricing.perSecond}/s` : m.pricing.perRequest != null ? `${m.pricing.perRequest}/video` : 'price n/a'
    const flags = [m.upcoming ? 'upcoming' : '', m.available ? '' : 'unavailable'].filter(Boolean).join(' ')
    io.stdout.write(`${m.id.padEnd(28)} ${m.vendor.padEnd(12)} ${m.modes.join(', ').padEnd(32)} ${price}${flags ? `  [${flags}]` : ''}\n`)
  }
  return EXIT.ok
}

export async function spendCommand(engine: Engine, io: CliIo, argv: string[]): Promise<number> {
  const { values } = parse(argv, { json: { type: 'boolean' } })
  const s = engine.spend()
  if (values.json) printJson(io, s)
  else {
    const $ = (n: number): string => formatMoney(n, 'en-US')
    io.stdout.write(`Billed today (${s.today}): ${$(s.todayTotal)}   This month: ${$(s.monthTotal)}   Pending: ${$(s.pending)}${s.dailyBudget != null ? `   Daily cap: ${$(s.dailyBudget)}` : ''}\n`)
    for (const m of s.monthByModel) io.stdout.write(`  ${m.model.padEnd(28)} ${$(m.amount)}  (${m.jobs} job(s))\n`)
    // Per key, when there is more than the one key (or a removed key spent today).
    if (s.byKey.length > 1 || s.byKey.some((k) => k.label === null || k.dailyCap != null)) {
      io.stdout.write('Today by key:\n')
      for (const k of s.byKey) {
        const name = k.label ?? `${k.keyId} (removed)`
        io.stdout.write(`  ${name.padEnd(28)} ${$(k.todayAmount)}  (${k.todayJobs} job(s))${k.pending ? `   pending ${$(k.pending)}` : ''}${k.dailyCap != null ? `   cap ${$(k.dailyCap)}` : ''}\n`)
      }
    }
    if (s.notBilledThisMonth.jobs > 0) io.stdout.write(`Not billed this month: ${s.notBilledThisMonth.jobs} job(s), about ${$(s.notBilledThisMonth.amount)}, ended before CometAPI took them.\n`)
    if (s.billingUnknownThisMonth.jobs > 0) io.stdout.write(`Maybe billed: ${s.billingUnknownThisMonth.jobs} job(s), about ${$(s.billingUnknownThisMonth.amount)}, may have reached CometAPI; decide with: comet-video decide\n`)
  }
  return EXIT.ok
}
