// Jobs in SQLite: the only code that speaks SQL to the jobs and job_events tables. Every change is
// one short transaction; the engine never keeps a job only in memory. State changes are written by
// the hub (jobHub.ts), which checks them against the lifecycle table first.
import type { JobError, JobQuery, JobSpec, JobState, JobView, Lineage, ProviderFamily } from '../../shared/jobs'
import type { StateSet } from '../../shared/jobStates'
import type { Message } from '../../shared/messages'
import type { Db } from '../db/database'

interface JobRow {
  id: string
  batch_id: string | null
  parent_id: string | null
  lineage: string | null
  model: string
  provider: string
  vendor: string | null
  spec: string
  state: string
  progress: number | null
  downloaded_bytes: number
  download_total: number | null
  remote_id: string | null
  external_id: string
  key_id: string
  result_urls: string | null
  result_expires_at: number | null
  estimated_cost: number | null
  error: string | null
  note: string | null
  file_name: string | null
  library_item_id: string | null
  create_attempts: number
  poll_count: number
  poll_errors: number
  last_polled_at: number | null
  next_attempt_at: number | null
  remote_done_at: number | null
  created_at: number
  updated_at: number
  submitted_at: number | null
  completed_at: number | null
  rev: number
}

/** A job as stored, with the engine's bookkeeping next to what everyone sees. */
export interface JobRecord {
  view: JobView
  resultUrls: string[]
  resultExpiresAt: number | null
  fileName: string | null
  createAttempts: number
  pollCount: number
  pollErrors: number
  lastPolledAt: number | null
  nextAttemptAt: number | null
  remoteDoneAt: number | null
  /** Database-wide change counter: a clock that never jumps, for watching changes across processes. */
  rev: number
}

export interface NewJob {
  id: string
  batchId: string | null
  parentId: string | null
  lineage: Lineage | null
  model: string
  provider: ProviderFamily
  vendor: string | null
  spec: JobSpec
  state: JobState
  externalId: string
  /** The named key it is sent, checked and downloaded with. */
  keyId: string
  estimatedCost: number | null
  note: Message | null
  createdAt: number
}

/** Fields a stage may change besides the state (which only a lifecycle event sets); undefined leaves a column as it is. */
export interface JobUpdate {
  progress?: number | null
  downloadedBytes?: number
  downloadTotal?: number | null
  remoteId?: string | null
  resultUrls?: string[]
  resultExpiresAt?: number | null
  error?: JobError | null
  note?: Message | null
  fileName?: string | null
  libraryItemId?: string | null
  createAttempts?: number
  pollCount?: number
  pollErrors?: number
  lastPolledAt?: number | null
  nextAttemptAt?: number | null
  remoteDoneAt?: number | null
  submittedAt?: number | null
  completedAt?: number | null
  estimatedCost?: number | null
}

const NEXT_REV = '(SELECT IFNULL(MAX(rev), 0) + 1 FROM jobs)'

/** What the hub writes: the update plus the state its event leads to. */
export type StoredUpdate = JobUpdate & { state?: JobState }

const COLUMNS: Record<keyof StoredUpdate, string> = {
  state: 'state',
  progress: 'progress',
  downloadedBytes: 'downloaded_bytes',
  downloadTotal: 'download_total',
  remoteId: 'remote_id',
  resultUrls: 'result_urls',
  resultExpiresAt: 'result_expires_at',
  error: 'error',
  note: 'note',
  fileName: 'file_name',
  libraryItemId: 'library_item_id',
  createAttempts: 'create_attempts',
  pollCount: 'poll_count',
  pollErrors: 'poll_errors',
  lastPolledAt: 'last_polled_at',
  nextAttemptAt: 'next_attempt_at',
  remoteDoneAt: 'remote_done_at',
  submittedAt: 'submitted_at',
  completedAt: 'completed_at',
  estimatedCost: 'estimated_cost'
}

function encode(key: keyof StoredUpdate, value: unknown): unknown {
  if (value === null || value === undefined) return null
  if (key === 'resultUrls' || key === 'error' || key === 'note') return JSON.stringify(value)
  return value
}

/** A stored note: a Message as JSON (or plain text written by an older version). */
function decodeNote(text: string | null): Pick<JobView, 'note' | 'noteCode' | 'noteParams'> {
  if (!text) return { note: null, noteCode: null, noteParams: null }
  if (text.startsWith('{')) {
    const m = parseJson<Partial<Message> | null>(text, null)
    if (m && typeof m.text === 'string') return { note: m.text, noteCode: m.code ?? null, noteParams: m.params ?? null }
  }
  return { note: text, noteCode: null, noteParams: null }
}

function parseJson<T>(text: string | null, fallback: T): T {
  if (!text) return fallback
  try {
    return JSON.parse(text) as T
  } catch {
    return fallback
  }
}

export function rowToRecord(row: JobRow, libraryRoot: string, join: (root: string, name: string) => string): JobRecord {
  const view: JobView = {
    id: row.id,
    batchId: row.batch_id,
    parentId: row.parent_id,
    lineage: row.lineage as Lineage | null,
    model: row.model,
    provider: row.provider as ProviderFamily,
    vendor: row.vendor,
    spec: parseJson<JobSpec>(row.spec, { model: row.model, prompt: '' }),
    state: row.state as JobState,
    progress: row.progress,
    downloadedBytes: row.downloaded_bytes,
    downloadTotal: row.download_total,
    remoteId: row.remote_id,
    billed: row.remote_id !== null,
    externalId: row.external_id,
    keyId: row.key_id,
    estimatedCost: row.estimated_cost,
    error: parseJson<JobError | null>(row.error, null),
    ...decodeNote(row.note),
    file: row.state === 'completed' && row.file_name ? join(libraryRoot, row.file_name) : null,
    libraryItemId: row.library_item_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    submittedAt: row.submitted_at,
    completedAt: row.completed_at,
    etaAt: null
  }
  return {
    view,
    resultUrls: parseJson<string[]>(row.result_urls, []),
    resultExpiresAt: row.result_expires_at,
    fileName: row.file_name,
    createAttempts: row.create_attempts,
    pollCount: row.poll_count,
    pollErrors: row.poll_errors,
    lastPolledAt: row.last_polled_at,
    nextAttemptAt: row.next_attempt_at,
    remoteDoneAt: row.remote_done_at,
    rev: row.rev
  }
}

export type { JobQuery } from '../../shared/jobs'

export class JobStore {
  private readonly insertStmt
  private readonly getStmt
  private readonly eventStmt

  constructor(
    private readonly db: Db,
    private readonly libraryRoot: () => string,
    private readonly join: (root: string, name: string) => string
  ) {
    this.insertStmt = db.prepare(`INSERT INTO jobs (id, batch_id, parent_id, lineage, model, provider, vendor, spec, state, external_id,
      key_id, estimated_cost, note, created_at, updated_at, rev) VALUES (@id, @batchId, @parentId, @lineage, @model, @provider, @vendor, @spec, @state,
      @externalId, @keyId, @estimatedCost, @note, @createdAt, @createdAt, ${NEXT_REV})`)
    this.getStmt = db.prepare('SELECT * FROM jobs WHERE id = ?')
    this.eventStmt = db.prepare('INSERT INTO job_events (job_id, at, kind, detail) VALUES (?, ?, ?, ?)')
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)()
  }

  insert(job: NewJob): void {
    this.insertStmt.run({ ...job, spec: JSON.stringify(job.spec), note: job.note ? JSON.stringify(job.note) : null })
    this.event(job.id, job.createdAt, 'created', job.state)
  }

  get(id: string): JobRecord | null {
    const row = this.getStmt.get(id) as JobRow | undefined
    return row ? rowToRecord(row, this.libraryRoot(), this.join) : null
  }

  /**
   * Applies an update. With `expectState`, only when the job is still in one of those states —
   * the guard that stops two engines (or a cancel racing a create) from both acting on one job.
   */
  update(id: string, changes: StoredUpdate, at: number, expectState?: StateSet): boolean {
    const sets: string[] = ['updated_at = @updated_at', `rev = ${NEXT_REV}`]
    const params: Record<string, unknown> = { id, updated_at: at }
    for (const [k, v] of Object.entries(changes) as [keyof StoredUpdate, unknown][]) {
      if (v === undefined) continue
      sets.push(`${COLUMNS[k]} = @${k}`)
      params[k] = encode(k, v)
    }
    let sql = `UPDATE jobs SET ${sets.join(', ')} WHERE id = @id`
    if (expectState?.length) {
      sql += ` AND state IN (${expectState.map((_, i) => `@s${i}`).join(', ')})`
      expectState.forEach((s, i) => (params[`s${i}`] = s))
    }
    // Not wrapped in a transaction of its own: with one, the crash torture test left a made video
    // undownloaded ("link kept expiring") in 3 runs of 3, without it none (cause not found yet).
    const res = this.db.prepare(sql).run(params)
    if (res.changes && changes.state) this.event(id, at, 'state', changes.state)
    return res.changes > 0
  }

  event(jobId: string, at: number, kind: string, detail: string | null): void {
    this.eventStmt.run(jobId, at, kind, detail)
  }

  /** The states a job entered, oldest first, with when (its `created` event and each state change). */
  timeline(jobId: string): { state: JobState; at: number }[] {
    const rows = this.db.prepare("SELECT at, detail FROM job_events WHERE job_id = ? AND kind IN ('created', 'state') ORDER BY seq").all(jobId) as { at: number; detail: string | null }[]
    return rows.filter((r) => r.detail !== null).map((r) => ({ state: r.detail as JobState, at: r.at }))
  }

  /**
   * The job made by retrying each of `ids` (parent id → retry id), for those that were retried. The
   * mark is on the parent itself (a `retried` event), so removing the retry from the queue does not
   * make the failure retryable again; retries made before the mark existed are found by their link.
   */
  retriesOf(ids: readonly string[]): Map<string, string> {
    const out = new Map<string, string>()
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500)
      const marks = chunk.map(() => '?').join(',')
      const linked = this.db
        .prepare(`SELECT id, parent_id FROM jobs WHERE lineage = 'retry' AND parent_id IN (${marks}) ORDER BY created_at, rowid`)
        .all(...chunk) as { id: string; parent_id: string }[]
      for (const r of linked) out.set(r.parent_id, r.id)
      const marked = this.db.prepare(`SELECT job_id, detail FROM job_events WHERE kind = 'retried' AND job_id IN (${marks}) ORDER BY seq`).all(...chunk) as { job_id: string; detail: string }[]
      for (const r of marked) if (!out.has(r.job_id)) out.set(r.job_id, r.detail)
    }
    return out
  }

  /** Marks `parentId` as retried by `retryId` (inside the transaction that inserts the retry). */
  markRetried(parentId: string, retryId: string, at: number): void {
    this.event(parentId, at, 'retried', retryId)
  }

  query(q: JobQuery = {}): JobRecord[] {
    const where: string[] = []
    const params: unknown[] = []
    if (q.states?.length) {
      where.push(`state IN (${q.states.map(() => '?').join(',')})`)
      params.push(...q.states)
    }
    if (q.batchId) {
      where.push('batch_id = ?')
      params.push(q.batchId)
    }
    if (q.ids?.length) {
      where.push(`id IN (${q.ids.map(() => '?').join(',')})`)
      params.push(...q.ids)
    }
    let sql = 'SELECT * FROM jobs'
    if (where.length) sql += ` WHERE ${where.join(' AND ')}`
    sql += ` ORDER BY created_at ${q.order === 'desc' ? 'DESC' : 'ASC'}, rowid ${q.order === 'desc' ? 'DESC' : 'ASC'}`
    if (q.limit) sql += ` LIMIT ${Math.floor(q.limit)} OFFSET ${Math.floor(q.offset ?? 0)}`
    const root = this.libraryRoot()
    return (this.db.prepare(sql).all(...params) as JobRow[]).map((r) => rowToRecord(r, root, this.join))
  }

  /** Rows changed after revision `rev`, for engines watching another process's work. */
  changedSince(rev: number): JobRecord[] {
    const root = this.libraryRoot()
    return (this.db.prepare('SELECT * FROM jobs WHERE rev > ? ORDER BY rev').all(rev) as JobRow[]).map((r) => rowToRecord(r, root, this.join))
  }

  maxRev(): number {
    return (this.db.prepare('SELECT IFNULL(MAX(rev), 0) AS r FROM jobs').get() as { r: number }).r
  }

  count(states?: StateSet): number {
    if (!states?.length) return (this.db.prepare('SELECT COUNT(*) AS n FROM jobs').get() as { n: number }).n
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM jobs WHERE state IN (${states.map(() => '?').join(',')})`).get(...states) as { n: number }).n
  }

  countsByState(): Partial<Record<JobState, number>> {
    const counts: Partial<Record<JobState, number>> = {}
    for (const row of this.db.prepare('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state').all() as { state: JobState; n: number }[]) counts[row.state] = row.n
    return counts
  }

  /** Ids of jobs in `state`, the soonest-expiring result link first (the download queue). */
  idsBySoonestExpiry(state: JobState, limit: number): string[] {
    const rows = this.db
      .prepare('SELECT id FROM jobs WHERE state = ? ORDER BY COALESCE(result_expires_at, remote_done_at + 3600000, updated_at + 3600000) ASC LIMIT ?')
      .all(state, Math.floor(limit)) as { id: string }[]
    return rows.map((r) => r.id)
  }

  /** Estimated cost of the jobs in `states` (those not in the spend ledger yet), of one key's or of all. */
  estimatedCostIn(states: StateSet, keyId?: string): number {
    if (!states.length) return 0
    const marks = states.map(() => '?').join(',')
    if (keyId !== undefined) {
      return (this.db.prepare(`SELECT IFNULL(SUM(estimated_cost), 0) AS t FROM jobs WHERE state IN (${marks}) AND key_id = ?`).get(...states, keyId) as { t: number }).t
    }
    return (this.db.prepare(`SELECT IFNULL(SUM(estimated_cost), 0) AS t FROM jobs WHERE state IN (${marks})`).get(...states) as { t: number }).t
  }

  /** Jobs of one key in `states`. */
  countWithKey(keyId: string, states: StateSet): number {
    if (!states.length) return 0
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM jobs WHERE key_id = ? AND state IN (${states.map(() => '?').join(',')})`).get(keyId, ...states) as { n: number }).n
  }

  /** Jobs sent with no known price whose creation falls in the local month `YYYY-MM`. */
  unpricedSentInMonth(month: string): number {
    return (
      this.db
        .prepare("SELECT COUNT(*) AS n FROM jobs WHERE estimated_cost IS NULL AND submitted_at IS NOT NULL AND substr(datetime(created_at / 1000, 'unixepoch', 'localtime'), 1, 7) = ?")
        .get(month) as { n: number }
    ).n
  }

  /**
   * Jobs created in the local month `YYYY-MM`, in `states`, that CometAPI never gave a task id: each
   * with its estimated cost and whether it ever entered one of `sentStates` (its create may have left).
   */
  withoutTaskInMonth(month: string, states: StateSet, sentStates: StateSet): { state: JobState; cost: number; sent: boolean }[] {
    if (!states.length) return []
    const rows = this.db
      .prepare(
        `SELECT j.state AS state, IFNULL(j.estimated_cost, 0) AS cost,
           EXISTS (SELECT 1 FROM job_events e WHERE e.job_id = j.id AND e.kind = 'state' AND e.detail IN (${sentStates.map(() => '?').join(',') || "''"})) AS sent
         FROM jobs j WHERE j.remote_id IS NULL AND j.state IN (${states.map(() => '?').join(',')})
           AND substr(datetime(j.created_at / 1000, 'unixepoch', 'localtime'), 1, 7) = ?`
      )
      .all(...sentStates, ...states, month) as { state: JobState; cost: number; sent: number }[]
    return rows.map((r) => ({ state: r.state, cost: r.cost, sent: r.sent === 1 }))
  }

  /** Deletes a job when it is in one of `states`; returns whether it did. */
  delete(id: string, states: StateSet): boolean {
    if (!states.length) return false
    // Its timeline goes with it, in the same transaction.
    return this.transaction(() => {
      const gone = this.db.prepare(`DELETE FROM jobs WHERE id = ? AND state IN (${states.map(() => '?').join(',')})`).run(id, ...states).changes > 0
      if (gone) this.db.prepare('DELETE FROM job_events WHERE job_id = ?').run(id)
      return gone
    })
  }
}
