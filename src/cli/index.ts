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
import { keyCommand, libraryCommand, rescanCommand } from './otherCommands'
import { type CliIo, makeEngine, makeSecrets } from './runtime'

const HELP = `comet-video — generate videos with CometAPI's video models

Usage:
  comet-video models [--json] [--refresh]
  comet-video create --model M --prompt P [--image FILE]… [--seconds N] [--size S]
                     [--aspect-ratio R] [--resolution R] [--seed N] [--param key=value]…
                     [--wait] [--json] [--confirm-spend]
  comet-video batch --model M [--prompt P] PATH… [--wait] [--json]
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
  comet-video key set|status|clear      (set reads the key from standard input)

Environment: COMETAPI_KEY, COMETAPI_BASE_URL, COMET_VIDEO_HOME (data folder),
             COMET_VIDEO_REQUESTS_PER_SECOND (request budget, default from Settings).
Exit codes: 0 all done, 1 a job failed, 2 usage or validation error, 3 authentication error.
`

type Command = (engine: Engine, io: CliIo, argv: string[]) => Promise<number>

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
  spend: spendCommand
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
    const engine = makeEngine(io, { verbose, observer: true, extra })
    try {
      return await keyCommand(makeSecrets(io.env), io, args, { baseUrl: engine.settings.baseUrl, transport: extra?.transport })
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
  try {
    return await command(engine, io, args)
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
