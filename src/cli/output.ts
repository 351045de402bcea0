// What the CLI prints: one JSON document with --json, readable lines otherwise, and progress on
// stderr (a live line on a terminal, a line per change otherwise).
import type { JobView } from '../shared/jobs'
import { ACTIVE_STATES, isIn, POLLED_STATES } from '../shared/jobStates'
import type { CliIo } from './runtime'

export interface JobJson {
  id: string
  /** The batch it was created in (for `decide --batch`). */
  batchId: string | null
  model: string
  provider: string
  vendor: string | null
  status: JobView['state']
  progress: number | null
  remoteId: string | null
  /** The provider accepted the task (it is billed). */
  billed: boolean
  file: string | null
  error: { kind: string; message: string; retryable: boolean } | null
  note: string | null
  prompt: string
  estimatedCost: number | null
  parentId: string | null
  createdAt: string
}

export function jobJson(j: JobView): JobJson {
  return {
    id: j.id,
    batchId: j.batchId,
    model: j.model,
    provider: j.provider,
    vendor: j.vendor,
    status: j.state,
    progress: j.progress,
    remoteId: j.remoteId,
    billed: j.billed,
    file: j.file,
    error: j.error ? { kind: j.error.kind, message: j.error.message, retryable: j.error.retryable } : null,
    note: j.note,
    prompt: j.spec.prompt,
    estimatedCost: j.estimatedCost,
    parentId: j.parentId,
    createdAt: new Date(j.createdAt).toISOString()
  }
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
}

function truncate(s: string, n: number): string {
  const flat = s.replace(/\s+/g, ' ').trim()
  return flat.length > n ? `${flat.slice(0, n - 1)}…` : flat
}

export function jobLine(j: JobView): string {
  const pct = j.state === 'downloading' && j.downloadTotal ? ` ${Math.floor((100 * j.downloadedBytes) / j.downloadTotal)}% downloaded` : j.progress != null && isIn(POLLED_STATES, j.state) ? ` ${j.progress}%` : ''
  const tail = j.state === 'completed' && j.file ? `  → ${j.file}` : j.error ? `  ✗ ${j.error.message}` : j.note ? `  (${j.note})` : ''
  return `${j.id}  ${j.model.padEnd(22)} ${j.state.padEnd(14)}${pct}  “${truncate(j.spec.prompt, 40)}”${tail}`
}

/** Live progress for a set of jobs on stderr. */
export class ProgressReporter {
  private last = new Map<string, string>()
  private lineShown = false

  constructor(private readonly io: CliIo) {}

  private get live(): boolean {
    return !!this.io.stderr.isTTY
  }

  update(jobs: JobView[]): void {
    if (this.live) {
      const counts = new Map<string, number>()
      for (const j of jobs) counts.set(j.state, (counts.get(j.state) ?? 0) + 1)
      const parts = [...counts.entries()].map(([s, n]) => `${n} ${s}`)
      const active = jobs.find((j) => isIn(ACTIVE_STATES, j.state))
      const detail = active ? ` · ${jobLine(active).slice(0, 60)}` : ''
      const width = this.io.stderr.columns ?? 100
      this.io.stderr.write(`\r\x1b[2K${`${jobs.length} job(s): ${parts.join(', ')}${detail}`.slice(0, width - 1)}`)
      this.lineShown = true
      return
    }
    for (const j of jobs) {
      const key = `${j.state}|${j.progress ?? ''}|${j.note ?? ''}`
      if (this.last.get(j.id) === key) continue
      this.last.set(j.id, key)
      this.io.stderr.write(`${jobLine(j)}\n`)
    }
  }

  done(): void {
    if (this.lineShown) this.io.stderr.write('\n')
    this.lineShown = false
  }
}
