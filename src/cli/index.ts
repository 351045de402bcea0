// `comet-video`: the same engine, database and library as the desktop app, from a terminal.
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { ApiError } from '../core/http/apiError'
import { baseUrlProblem } from '../core/http/baseUrl'
import { normalizeBaseUrl } from '../core/http/cometClient'
import { type Engine, EngineError, type EngineOptions, EnginePausedError } from '../core/engine'
import { UsageError } from './args'
import {
  batchCommand, cancelCommand, CliFailure, createCommand, decideCommand, EXIT, jobsCommand, modelsCommand, retryCommand, spendCommand, waitCommand
} from './jobCommands'
import { keyCommand } from './keyCommands'
import { libraryCommand, rescanCommand } from './otherCommands'
import { watchCommand } from './watchCommand'
import { type CliIo, makeEngine, makeVault } from './runtime'

const HELP = `comet-video — generate videos with CometAPI's video models

Usage:
  comet-video models [--json] [--refresh]
  comet-video create --model M --prompt P [--image FILE]… [--seconds N] [--size S]
                     [--aspect-ratio R] [--resolution R] [--seed N] [--param key=value]…
                     [--key NAME] [--wait] [--json] [--confirm-spend]
  comet-video batch --model M [--prompt P] PATH… [--key NAME] [--wait] [--json]
  comet-video jobs [--status S] [--json]
  comet-video wait [JOB_ID…] [--json]
  comet-video cancel ID
  comet-video retry ID [--wait]      (a made video not downloaded yet: downloads it again, no new
                                     charge; anything else: a new paid job, its cost shown)
  comet-video decide ID resubmit|dismiss    (a create whose outcome is unknown)
  comet-video decide ID check|dismiss       (a task we lost contact with)
  comet-video decide --batch ID|--all resubmit|dismiss   (every undecided job at once)
  comet-video library [--search Q] [--json]
  comet-video rescan [--json]
  comet-video spend [--json]
  comet-video watch FOLDER --model M --prompt P [--seconds N] [--size S] [--aspect-ratio R]
                    [--resolution R] [--seed N] [--param key=value]… [--settle SECONDS]
                    [--existing include|skip] [--json]
                                     (each image that appears in FOLDER becomes a job, never twice;
                                     on the first run in a folder the images already there are skipped
                                     unless --existing include; later runs send what arrived meanwhile;
                                     {file} in the prompt is the image's name; Ctrl-C stops)
  comet-video key set|status|clear [--name NAME]   (set reads the key from standard input;
                                     a new NAME adds a named key, e.g. a team key)
  comet-video key list | use NAME | cap NAME AMOUNT|none | remove NAME [--yes]
                                     (create and batch take --key NAME; the default otherwise)

Environment: COMETAPI_KEY, COMETAPI_BASE_URL, COMET_VIDEO_HOME (data folder),
             COMET_VIDEO_REQUESTS_PER_SECOND (request budget, default from Settings).
Exit codes: 0 all done, 1 a job failed, 2 usage or validation error, 3 authentication error.
`

/** `stop` is aborted by Ctrl-C for the commands that end themselves then (SELF_STOPPING). */
type Command = (engine: Engine, io: CliIo, argv: string[], stop: AbortSignal, opts: { verbose: boolean }) => Promise<number>

/** Commands that run until Ctrl-C and then stop cleanly by themselves (watch). */
const SELF_STOPPING = new Set(['watch'])
/** Ctrl-C's signal for the self-stopping command running in this process. */
let stopping: AbortController | null = null

/** The engine of the command running in this process, so Ctrl-C can stop it cleanly. */
let active: Engine | null = null

const COMMANDS: Record<string, Command> = {
  models: modelsCommand,
  create: createCommand,
  batch: batchCommand,
  jobs: jobsCommand,
  wait: waitCommand,
  cancel: cancelCommand,
  retry: retryCommand,
  decide: decideCommand,
  library: libraryCommand,
  rescan: rescanCommand,
  spend: spendCommand,
  watch: watchCommand
}

/** Runs one command; `extra` engine options are for programs that embed the CLI (its tests). */
export async function runCli(argv: string[], io: CliIo, extra?: Partial<EngineOptions>): Promise<number> {
  const [name, ...rest] = argv
  const verbose = rest.includes('--verbose')
  const args = rest.filter((a) => a !== '--verbose')
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(HELP)
    return name ? EXIT.ok : EXIT.usage
  }
  if (name === 'key') {
    // An engine that never runs jobs: only for the base URL the key is checked against.
    const vault = makeVault(io.env)
    const engine = makeEngine(io, { verbose, observer: true, extra, keys: vault })
    try {
      return await keyCommand(engine, vault, io, args, { transport: engine.transport })
    } catch (err) {
      if (!(err instanceof UsageError)) throw err
      io.stderr.write(`${err.message}\n`)
      return EXIT.usage
    } finally {
      await engine.close()
    }
  }
  const command = COMMANDS[name]
  if (!command) {
    io.stderr.write(`Unknown command "${name}".\n\n${HELP}`)
    return EXIT.usage
  }
  const base = io.env.COMETAPI_BASE_URL?.trim()
  const baseProblem = base ? baseUrlProblem(normalizeBaseUrl(base)) : null
  if (baseProblem) {
    io.stderr.write(`COMETAPI_BASE_URL: ${baseProblem.text}\n`)
    return EXIT.usage
  }
  const engine = makeEngine(io, { verbose, extra })
  active = engine
  const stop = new AbortController()
  if (SELF_STOPPING.has(name)) stopping = stop
  try {
    return await command(engine, io, args, stop.signal, { verbose })
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`${err.message}\n`)
      return EXIT.usage
    }
    if (err instanceof EnginePausedError) {
      io.stderr.write(`${err.message}\n`)
      return err.pause.kind === 'database' ? EXIT.failed : EXIT.auth
    }
    if (err instanceof CliFailure) {
      io.stderr.write(`${err.message}\n`)
      return EXIT.failed
    }
    if (err instanceof ApiError) {
      io.stderr.write(`${err.message}\n`)
      return err.kind === 'auth' ? EXIT.auth : EXIT.failed
    }
    if (err instanceof EngineError) {
      io.stderr.write(`${err.message}\n`)
      return err.code === 'not_found' || err.code === 'bad_state' ? EXIT.usage : EXIT.failed
    }
    throw err
  } finally {
    active = null
    stopping = null
    await engine.close()
  }
}

function isMain(): boolean {
  const entry = process.argv[1]
  if (!entry) return false
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
}

/** Runs the CLI in this process with its real stdio, then exits with the command's code. */
export function main(extra?: Partial<EngineOptions>): void {
  const io: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env }
  let interrupted = false
  const onSignal = (): void => {
    if (interrupted) process.exit(130)
    interrupted = true
    if (stopping) {
      // The command stops itself (and closes its engine); a second Ctrl-C exits at once.
      stopping.abort()
      setTimeout(() => process.exit(130), 20_000).unref()
      return
    }
    process.stderr.write('\nStopping… (jobs keep their state; run `comet-video wait` to continue)\n')
    setTimeout(() => process.exit(130), 20_000).unref()
    void (active?.close() ?? Promise.resolve()).finally(() => process.exit(130))
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  runCli(process.argv.slice(2), io, extra).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
      process.exit(1)
    }
  )
}

if (isMain()) main()
