// Child processes for benchmarks: each measured side runs in its own process, so memory figures
// are that process's alone and one side's garbage never slows the other.
import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const ROOT = join(import.meta.dirname, '../..')
export const WORK = join(ROOT, 'bench/.work')

/** Runs `node --import tsx script ...args` and resolves with the JSON object on its last stdout line. */
export function runTsx<T>(script: string, args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : null
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('close', (code) => {
      if (timer) clearTimeout(timer)
      const last = out.trim().split('\n').pop() ?? ''
      try {
        if (code !== 0) throw new Error(`exit ${code}`)
        resolve(JSON.parse(last) as T)
      } catch (e) {
        reject(new Error(`${script} failed (${(e as Error).message}): ${err.slice(-2000) || out.slice(-2000)}`))
      }
    })
  })
}

/** Runs a command, resolving with its stdout (rejects on a non-zero exit). */
export function run(cmd: string, args: string[], opts: { cwd?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}: ${err.slice(-1000)}`))))
  })
}

/** Resident memory of this process now (MiB), from /proc (falls back to memoryUsage). */
export function rssMiB(): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))
    if (m) return Number(m[1]) / 1024
  } catch {
    // not Linux
  }
  return process.memoryUsage().rss / 1024 ** 2
}

/** Peak resident memory of this process since start or the last resetPeakRss() (MiB). */
export function peakRssMiB(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))
    if (m) return Number(m[1]) / 1024
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024
}

/** Resets the kernel's peak-RSS mark (Linux: writing 5 to clear_refs), so peaks measure what follows. */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5')
    return true
  } catch {
    return false
  }
}
