// What the figures were measured on: they mean little without it.
import { readdirSync, readFileSync } from 'node:fs'
import { cpus, loadavg, release, totalmem } from 'node:os'

export interface Machine {
  cores: number
  cpu: string
  memoryGiB: number
  node: string
  os: string
  /** 1-minute load average when the benchmark started: a busy machine skews everything. */
  load1: number
}

export function machine(): Machine {
  const c = cpus()
  return {
    cores: c.length,
    cpu: c[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${process.platform} ${release()}`,
    load1: Math.round(loadavg()[0] * 100) / 100
  }
}

export function describeMachine(m: Machine): string {
  return `${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB RAM, Node ${m.node}, ${m.os}, load ${m.load1} at start`
}

/**
 * CPU time used by processes outside this process's tree, sampled from /proc (Linux): how much
 * other work shared the machine while a benchmark ran. Returns a stop() giving average cores used.
 */
export function watchOtherCpu(everyMs = 1000): () => number {
  const tick = 100 // USER_HZ on Linux
  const seen = new Map<number, number>()
  let total = 0
  const started = Date.now()
  const sample = (): void => {
    let entries: string[]
    try {
      entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d))
    } catch {
      return
    }
    const info = new Map<number, { ppid: number; cpu: number }>()
    for (const d of entries) {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8')
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
        info.set(Number(d), { ppid: Number(f[1]), cpu: Number(f[11]) + Number(f[12]) })
      } catch {
        // gone already
      }
    }
    const ours = (pid: number): boolean => {
      for (let p = pid, hops = 0; p > 1 && hops < 64; hops++) {
        if (p === process.pid) return true
        p = info.get(p)?.ppid ?? 0
      }
      return false
    }
    for (const [pid, x] of info) {
      // Kernel threads (children of kthreadd) mostly write back our own files: not other work.
      if (ours(pid) || pid === 2 || x.ppid === 2) continue
      const before = seen.get(pid)
      if (before !== undefined) total += Math.max(0, x.cpu - before)
      seen.set(pid, x.cpu)
    }
  }
  sample()
  const timer = setInterval(sample, everyMs)
  timer.unref()
  return () => {
    clearInterval(timer)
    sample()
    const secs = (Date.now() - started) / 1000
    return secs > 0 ? total / tick / secs : 0
  }
}
