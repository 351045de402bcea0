// comet-video watch FOLDER --model M --prompt P: the app's watched folder in the foreground. Each
// image that appears (once it has stopped growing) becomes a job, never twice; every file's
// outcome is printed; Ctrl-C stops watching (a file being sent finishes first) and exits 0.
import { resolve } from 'node:path'
import type { Engine } from '../core/engine'
import type { WatchFileEvent } from '../core/watch/folderWatch'
import { WatchError, WatchService } from '../core/watch/watchService'
import { isIn, OUTCOME_STATES } from '../shared/jobStates'
import type { WatchExisting, WatchRecipe } from '../shared/watch'
import { parse, str, UsageError } from './args'
import { EXIT, specFrom } from './jobCommands'
import { jobLine } from './output'
import { type CliIo, makeLogger } from './runtime'

const WATCH_OPTIONS = {
  model: { type: 'string', short: 'm' },
  prompt: { type: 'string', short: 'p' },
  'negative-prompt': { type: 'string' },
  seconds: { type: 'string', short: 's' },
  size: { type: 'string' },
  'aspect-ratio': { type: 'string' },
  resolution: { type: 'string' },
  seed: { type: 'string' },
  param: { type: 'string', multiple: true },
  settle: { type: 'string' },
  existing: { type: 'string' },
  json: { type: 'boolean' }
} as const

/** The recipe from the same flags as `create` (one parser for both). */
function recipeFrom(values: Record<string, unknown>): WatchRecipe {
  const { images: _images, ...recipe } = specFrom(values, str(values.prompt) ?? '', [])
  return recipe
}

/** What happened to a file, in one line (null: nothing worth a line). */
export function outcomeLine(e: WatchFileEvent, note: string | null): string | null {
  switch (e.outcome) {
    case 'settling':
      return `${e.name}: waiting for the file to settle…`
    case 'queued':
      return `${e.name}: queued as job ${e.jobId}${e.held ? ` — ${note ?? 'held at the daily cap; confirm it in the app’s queue'}` : ''}`
    case 'duplicate':
      return `${e.name}: skipped, the same image as ${e.duplicateOf} (job ${e.jobId})`
    case 'refused':
      return `${e.name}: refused: ${e.reason?.text ?? 'not usable'}`
    case 'skipped':
      return `${e.name}: already there when the folder was added; not sent`
    case 'waiting':
      return `${e.name}: not sent yet: ${e.reason?.text ?? ''}`
    case 'known':
      if (!e.initial) return null
      if (e.was === 'queued') return `${e.name}: already sent as job ${e.jobId}`
      if (e.was === 'duplicate') return `${e.name}: already skipped, the same image as ${e.duplicateOf}`
      if (e.was === 'skipped') return `${e.name}: already there when the folder was added; not sent`
      return `${e.name}: already refused: ${e.reason?.text ?? ''}`
    default:
      return null
  }
}

export async function watchCommand(engine: Engine, io: CliIo, argv: string[], stop?: AbortSignal, opts: { verbose?: boolean } = {}): Promise<number> {
  const { values, positionals } = parse(argv, WATCH_OPTIONS)
  if (positionals.length !== 1) throw new UsageError('watch needs one folder: comet-video watch FOLDER --model M --prompt P')
  const recipe = recipeFrom(values)
  const settle = values.settle === undefined ? undefined : Number(values.settle)
  if (settle !== undefined && !(Number.isFinite(settle) && settle > 0 && settle <= 600)) throw new UsageError(`--settle is how many seconds a new file must stay unchanged (more than 0, at most 600), got "${String(values.settle)}".`)
  const existingArg = str(values.existing) ?? 'skip'
  if (existingArg !== 'include' && existingArg !== 'skip') throw new UsageError(`--existing is include or skip (what to do with the images already in the folder), got "${existingArg}".`)
  const existing: WatchExisting = existingArg
  const json = !!values.json
  if (!engine.models().length) {
    const { problem } = await engine.refreshModels()
    // Ctrl-C while the list loaded: stop before anything starts.
    if (stop?.aborted) return EXIT.ok
    if (problem) io.stderr.write(`Could not load the model list (${problem}); images wait until it loads.\n`)
  }
  const watchers = new WatchService({
    engine,
    timing: settle === undefined ? undefined : { settleMs: Math.round(settle * 1000) },
    logger: opts.verbose ? makeLogger(io, true) : undefined
  })
  // An unknown model only counts once there is a model list to know it by.
  const problems = watchers.checkRecipe(recipe).filter((p) => engine.models().length > 0 || p.code !== 'watch.modelUnknown')
  if (problems.length) {
    for (const p of problems) io.stderr.write(`${p.field}: ${p.message}\n`)
    return EXIT.usage
  }
  const ours = new Map<string, string>()
  const print = (line: object | string): void => void io.stdout.write(`${typeof line === 'string' ? line : JSON.stringify(line)}\n`)
  let lastState: string | null = null
  watchers.on((n) => {
    if (n.type === 'folder') {
      // The folder's own news (gone, broken, back): on stderr, once per change.
      if (!n.state || n.state === lastState) return
      const was = lastState
      lastState = n.state
      if (n.state === 'unavailable') io.stderr.write(`${n.problem?.text ?? `${n.folder} cannot be read`} (retrying)\n`)
      else if (n.state === 'watching' && was === 'unavailable') io.stderr.write(`Watching ${n.folder} again.\n`)
      return
    }
    if (n.outcome === 'queued' && n.jobId) ours.set(n.jobId, n.name)
    if (json) {
      if (n.outcome === 'checking' || (n.outcome === 'known' && !n.initial)) return
      print({ file: n.name, outcome: n.outcome, was: n.was, job: n.jobId, held: n.held, duplicateOf: n.duplicateOf, reason: n.reason?.text ?? null, at: new Date(n.at).toISOString() })
      return
    }
    const line = outcomeLine(n, n.jobId ? (engine.getJob(n.jobId)?.note ?? null) : null)
    if (line) print(line)
  })
  // The videos of this run's jobs, as they end.
  const offJobs = engine.on((e) => {
    if (e.type !== 'job.updated' || !ours.has(e.job.id) || !isIn(OUTCOME_STATES, e.job.state)) return
    const name = ours.get(e.job.id)!
    ours.delete(e.job.id)
    if (json) print({ file: name, job: e.job.id, status: e.job.state, video: e.job.file, error: e.job.error?.message ?? null })
    else print(`${name}: ${jobLine(e.job)}`)
  })
  if (stop?.aborted) {
    offJobs()
    return EXIT.ok
  }
  engine.start()
  let watching: { path: string; skipped: number; stop: () => Promise<void> }
  try {
    watching = await watchers.watchFolder(resolve(positionals[0]!), recipe, { existing })
  } catch (err) {
    offJobs()
    if (!(err instanceof WatchError)) throw err
    io.stderr.write(`${err.message}\n`)
    return EXIT.usage
  }
  if (watching.skipped) io.stderr.write(`Skipped ${watching.skipped} file${watching.skipped === 1 ? '' : 's'} already in the folder (--existing include sends them).\n`)
  io.stderr.write(`Watching ${watching.path} with ${recipe.model}: each new image becomes a job. Ctrl-C stops.\n`)
  // The engine's timers never keep a process alive on their own; while the command watches, this does.
  const keepAlive = setInterval(() => {}, 60_000)
  try {
    await new Promise<void>((done) => {
      if (!stop || stop.aborted) return done()
      stop.addEventListener('abort', () => done(), { once: true })
    })
    io.stderr.write('Stopping… (jobs keep their state; the app or `comet-video wait` carries them on)\n')
    await watching.stop()
    return EXIT.ok
  } finally {
    clearInterval(keepAlive)
    offJobs()
  }
}
