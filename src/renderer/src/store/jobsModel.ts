// Pure job-list logic: a Map by id plus ids ordered newest first, patched in place of a reload.
// Unchanged jobs keep their object identity, so a row selecting its own job re-renders only
// when that job changed.
import { baseName } from '../lib/format'
import { ACTIVE_STATES, JOB_STATES, TERMINAL_STATES, WAITING_FOR_PERSON_STATES, isIn, type JobState, type JobView, type JobsChanged, type StateSet } from '../shared'

export interface JobsData {
  byId: Map<string, JobView>
  /** Newest first (createdAt desc, then id desc for a stable order). */
  order: string[]
  counts: Record<JobState, number>
}

export function emptyCounts(): Record<JobState, number> {
  return Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>
}

export function countIn(counts: Record<JobState, number>, states: StateSet): number {
  return states.reduce((n, s) => n + counts[s], 0)
}

export function emptyJobs(): JobsData {
  return { byId: new Map(), order: [], counts: emptyCounts() }
}

/** Newer first; ties broken by id so two jobs created in the same millisecond keep one order. */
export function compareJobs(a: JobView, b: JobView): number {
  if (a.createdAt !== b.createdAt) return b.createdAt - a.createdAt
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0
}

export function jobsFromList(list: JobView[]): JobsData {
  const byId = new Map<string, JobView>()
  const counts = emptyCounts()
  for (const job of list) {
    const old = byId.get(job.id)
    if (old) counts[old.state]--
    byId.set(job.id, job)
    counts[job.state]++
  }
  const order = [...byId.values()].sort(compareJobs).map((j) => j.id)
  return { byId, order, counts }
}

/**
 * Adds a page of a long list loaded in the background: jobs not held yet, or held in an older
 * version. One sort instead of an insertion per job, so 10,000 jobs merge in milliseconds.
 */
export function mergeJobs(data: JobsData, list: JobView[]): JobsData {
  const merged = new Map(data.byId)
  let changed = false
  for (const job of list) {
    const current = merged.get(job.id)
    if (current && current.updatedAt >= job.updatedAt) continue
    merged.set(job.id, job)
    changed = true
  }
  return changed ? jobsFromList([...merged.values()]) : data
}

/** Index where `job` belongs in `order` (binary search on the newest-first order). */
function insertionIndex(order: string[], byId: Map<string, JobView>, job: JobView): number {
  let lo = 0
  let hi = order.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const other = byId.get(order[mid])
    if (other && compareJobs(other, job) < 0) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * Applies one `jobs.changed` patch. A job older than the one held (by updatedAt) is ignored, so a
 * patch that raced the initial `jobs.list` cannot roll a row back. Returns the same object when
 * nothing changed.
 */
export function applyJobsChanged(data: JobsData, patch: JobsChanged): JobsData {
  let byId: Map<string, JobView> | null = null
  let order = data.order
  let orderCopied = false
  let counts: Record<JobState, number> | null = null
  const removedIds = new Set<string>()
  const writable = (): Map<string, JobView> => (byId ??= new Map(data.byId))
  const tally = (): Record<JobState, number> => (counts ??= { ...data.counts })

  for (const id of patch.removed) {
    const current = (byId ?? data.byId).get(id)
    if (!current) continue
    writable().delete(id)
    tally()[current.state]--
    removedIds.add(id)
  }
  if (removedIds.size > 0) {
    order = order.filter((id) => !removedIds.has(id))
    orderCopied = true
  }
  for (const job of patch.jobs) {
    if (removedIds.has(job.id)) continue
    const map = byId ?? data.byId
    const current = map.get(job.id)
    if (current && current.updatedAt > job.updatedAt) continue
    if (current === job) continue
    writable().set(job.id, job)
    const c = tally()
    if (current) {
      c[current.state]--
      c[job.state]++
      if (current.createdAt === job.createdAt) continue
      order = (orderCopied ? order : order.slice()).filter((id) => id !== job.id)
      orderCopied = true
    } else {
      c[job.state]++
    }
    if (!orderCopied) {
      order = order.slice()
      orderCopied = true
    }
    order.splice(insertionIndex(order, writable(), job), 0, job.id)
  }
  if (!byId && order === data.order) return data
  return { byId: byId ?? data.byId, order, counts: counts ?? data.counts }
}

/** Not finished yet: the engine is working on them or they wait for the person. No shared set says
 * "not terminal", so it is made from the ones that do. */
const UNFINISHED_STATES: StateSet = JOB_STATES.filter((s) => !isIn(TERMINAL_STATES, s))

/** Jobs still on their way. */
export function activeCount(counts: Record<JobState, number>): number {
  return countIn(counts, UNFINISHED_STATES)
}

export type QueueFilter = 'all' | 'active' | 'attention' | 'completed' | 'failed' | 'canceled'

export const QUEUE_FILTERS: readonly QueueFilter[] = ['all', 'active', 'attention', 'completed', 'failed', 'canceled']

const FILTER_STATES: Record<Exclude<QueueFilter, 'all'>, StateSet> = {
  active: ACTIVE_STATES,
  attention: WAITING_FOR_PERSON_STATES,
  completed: ['completed'],
  failed: ['failed'],
  canceled: ['canceled']
}

export function statesOf(filter: QueueFilter): StateSet | null {
  return filter === 'all' ? null : FILTER_STATES[filter]
}

export function filterCount(counts: Record<JobState, number>, filter: QueueFilter): number {
  return countIn(counts, statesOf(filter) ?? JOB_STATES)
}

/**
 * The newest retry of each job that has one (parent id → retry id), worked out once per version of
 * the list: every patch makes a new `byId`, so the cache never holds a stale answer.
 */
const retryCache = new WeakMap<Map<string, JobView>, Map<string, string>>()

export function retriesOf(data: Pick<JobsData, 'byId'>): Map<string, string> {
  let out = retryCache.get(data.byId)
  if (out) return out
  out = new Map()
  const newest = new Map<string, JobView>()
  for (const job of data.byId.values()) {
    if (job.lineage !== 'retry' || !job.parentId) continue
    const held = newest.get(job.parentId)
    if (!held || compareJobs(job, held) < 0) newest.set(job.parentId, job)
  }
  for (const [parent, job] of newest) out.set(parent, job.id)
  retryCache.set(data.byId, out)
  return out
}

/** The job that replaced `id` by retrying it (null: not retried). A replaced job offers no second Retry. */
export function replacedBy(data: Pick<JobsData, 'byId'>, id: string): string | null {
  return retriesOf(data).get(id) ?? null
}

/** Failed jobs that were retried: shown as replaced, not counted or listed under Failed. */
function replacedFailed(data: JobsData): number {
  let n = 0
  for (const parent of retriesOf(data).keys()) if (data.byId.get(parent)?.state === 'failed') n++
  return n
}

/** How many jobs a filter chip shows (Failed leaves out the failed jobs a retry replaced). */
export function queueFilterCount(data: JobsData, filter: QueueFilter): number {
  const n = filterCount(data.counts, filter)
  return filter === 'failed' ? n - replacedFailed(data) : n
}

/** Ids in order whose job matches the filter and the text (model, prompt, task id, source file names). */
export function filterJobIds(data: JobsData, filter: QueueFilter, text = ''): string[] {
  const states = statesOf(filter)
  const needle = text.trim().toLowerCase()
  if (!states && !needle) return data.order
  const retries = filter === 'failed' ? retriesOf(data) : null
  const out: string[] = []
  for (const id of data.order) {
    const job = data.byId.get(id)
    if (!job) continue
    if (states && !isIn(states, job.state)) continue
    if (retries?.has(id)) continue
    if (needle && !matchesText(job, needle)) continue
    out.push(id)
  }
  return out
}

function matchesText(job: JobView, needle: string): boolean {
  return (
    job.model.toLowerCase().includes(needle) ||
    job.spec.prompt.toLowerCase().includes(needle) ||
    (job.remoteId ?? '').toLowerCase().includes(needle) ||
    job.id.toLowerCase().includes(needle) ||
    (job.spec.images ?? []).some((p) => baseName(p).toLowerCase().includes(needle))
  )
}

/** Finished jobs that "Clear finished" removes from the queue (the videos stay in the library). */
export function finishedIds(data: JobsData): string[] {
  const out: string[] = []
  for (const id of data.order) {
    const s = data.byId.get(id)?.state
    if (s && isIn(TERMINAL_STATES, s)) out.push(id)
  }
  return out
}

export function sameIds(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

export interface UndecidedBatch {
  batchId: string
  count: number
  /** What resubmitting them all would cost, from their estimates (null when none is priced). */
  cost: number | null
}

const UNDECIDED = 'needs_decision'

/** Batches with more than one job waiting for a decision, for deciding them in one step. */
export function undecidedBatches(data: JobsData): UndecidedBatch[] {
  if (!data.counts[UNDECIDED] || data.counts[UNDECIDED] < 2) return []
  const byBatch = new Map<string, UndecidedBatch>()
  for (const job of data.byId.values()) {
    if (job.state !== UNDECIDED || !job.batchId) continue
    const b = byBatch.get(job.batchId) ?? { batchId: job.batchId, count: 0, cost: null }
    b.count++
    if (job.estimatedCost !== null) b.cost = (b.cost ?? 0) + job.estimatedCost
    byBatch.set(job.batchId, b)
  }
  return [...byBatch.values()].filter((b) => b.count > 1)
}
