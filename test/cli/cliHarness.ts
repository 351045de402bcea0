// Runs `comet-video` as a real child process against the fake CometAPI (through testEntry.mjs,
// which gives it short waits; everything else is the real CLI).
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'

export const BIN = join(import.meta.dirname, 'testEntry.mjs')

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export function cliEnv(home: string, apiUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    COMET_VIDEO_HOME: home,
    COMETAPI_BASE_URL: apiUrl,
    COMETAPI_KEY: 'sk-test-good',
    CVS_TEST_PRIOR_SECONDS: '0.5',
    CVS_TEST_WAIT_SCALE: '0.1',
    NO_COLOR: '1',
    ...extra
  }
}

export function startCli(args: string[], env: NodeJS.ProcessEnv, stdin?: string): { child: ChildProcess; done: Promise<CliResult>; stderrSoFar: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (d) => (stdout += d))
  child.stderr!.on('data', (d) => (stderr += d))
  if (stdin !== undefined) child.stdin!.end(stdin)
  else child.stdin!.end()
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })))
  return { child, done, stderrSoFar: () => stderr }
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<CliResult> {
  return startCli(args, env, stdin).done
}
