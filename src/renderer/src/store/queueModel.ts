// The queue screen's pure logic beyond the list itself: batches grouped under a header with their
// summary, the selection (click, shift-click, Ctrl/Cmd-click, select all) over the ids shown —
// rows the virtual list never rendered included — and what a bulk action may do to the selected.
import { CANCELABLE_STATES, MADE_NOT_STORED_STATES, REMOVABLE_STATES, TERMINAL_STATES, WAITING_FOR_PERSON_STATES, failedByProvider, isIn, type JobView } from '../shared'
import { baseName } from '../lib/format'
import { compareJobs, retriesOf, statesOf, type JobsData, type QueueFilter } from './jobsModel'

/** The base names of a job's source images, in order (the folder is nobody's business on screen). */
export function sourceNames(job: JobView): string[] {
  return (job.spec.images ?? []).map(baseName)
}

// ---- batches ---------------------------------------------------------------------------------

/** Every job of each batch, newest first, once per version of the list. */
const batchCache = new WeakMap<Map<string, JobView>, Map<string, JobView[]>>()

export function batchesOf(data: Pick<JobsData, 'byId'>): Map<string, JobView[]> {
  let out = batchCache.get(data.byId)
  if (out) return out
  out = new Map()
  for (const job of data.byId.values()) {
    if (!job.batchId) continue
    const list = out.get(job.batchId)
    if (list) list.push(job)
    else out.set(job.batchId, [job])
  }
  for (const list of out.values()) list.sort(compareJobs)
  batchCache.set(data.byId, out)
  return out
}

export type QueueItem = { kind: 'batch'; batchId: string; key: string } | { kind: 'job'; id: string; key: string; inBatch: boolean }

/**
 * The rows to show for `visible` (ids in list order): a batch of more than one job gets a header,
 * with all its visible jobs together under it, where its newest visible job would be.
 */
export function queueItems(data: JobsData, visible: readonly string[]): QueueItem[] {
  const batches = batchesOf(data)
  const grouped = new Map<string, string[]>()
  for (const id of visible) {
    const b = data.byId.get(id)?.batchId
    if (!b || (batches.get(b)?.length ?? 0) < 2) continue
    const list = grouped.get(b)
    if (list) list.push(id)
    else grouped.set(b, [id])
  }
  const out: QueueItem[] = []
  const done = new Set<string>()
  for (const id of visible) {
    const b = data.byId.get(id)?.batchId
    const members = b ? grouped.get(b) : undefined
    if (!b || !members) {
      out.push({ kind: 'job', id, key: id, inBatch: false })
      continue
    }
    if (done.has(b)) continue
    done.add(b)
    out.push({ kind: 'batch', batchId: b, key: `batch:${b}` })
    for (const m of members) out.push({ kind: 'job', id: m, key: m, inBatch: true })
  }
  return out
}

/** The job ids of `items`, in the order shown: what shift-click ranges and select-all go by. */
export function shownIds(items: readonly QueueItem[]): string[] {
  const out: string[] = []
  for (const i of items) if (i.kind === 'job') out.push(i.id)
  return out
}

export type BatchState = 'active' | 'attention' | 'failed' | 'finished'

export interface BatchSummary {
  batchId: string
  /** Its jobs, a job replaced by its retry not counted (the retry stands for it). */
  total: number
  /** Completed (in the library). */
  done: number
  /** What was billed so far: the estimates of the jobs the provider accepted. */
  costSoFar: number
  /** Jobs the provider failed and nobody retried yet: what "Retry all failed" would make again. */
  retryIds: string[]
  /** Their estimated cost as new paid jobs (the priced ones), and how many have no known price. */
  retryCost: number
  retryUnpriced: number
  /** Jobs still to stop: what "Cancel the rest" cancels. */
  cancelIds: string[]
  /** Library items of its finished videos. */
  completedItems: string[]
  state: BatchState
}

export function batchSummary(data: JobsData, batchId: string): BatchSummary {
  const jobs = batchesOf(data).get(batchId) ?? []
  const retries = retriesOf(data)
  const counted = jobs.filter((j) => !retries.has(j.id))
  const retry = counted.filter(failedByProvider)
  // A made (and paid) video waiting to be fetched is never thrown away by a bulk action: it gets Retry download.
  const cancelIds = counted.filter((j) => isIn(CANCELABLE_STATES, j.state) && !isIn(MADE_NOT_STORED_STATES, j.state)).map((j) => j.id)
  const state: BatchState = counted.some((j) => isIn(WAITING_FOR_PERSON_STATES, j.state))
    ? 'attention'
    : counted.some((j) => !isIn(TERMINAL_STATES, j.state))
      ? 'active'
      : counted.some((j) => j.state === 'failed')
        ? 'failed'
        : 'finished'
  return {
    batchId,
    total: counted.length,
    done: counted.filter((j) => j.state === 'completed').length,
    costSoFar: jobs.reduce((sum, j) => sum + (j.billed && j.estimatedCost !== null ? j.estimatedCost : 0), 0),
    retryIds: retry.map((j) => j.id),
    retryCost: retry.reduce((sum, j) => sum + (j.estimatedCost ?? 0), 0),
    retryUnpriced: retry.filter((j) => j.estimatedCost === null).length,
    cancelIds,
    completedItems: counted.flatMap((j) => (j.state === 'completed' && j.libraryItemId ? [j.libraryItemId] : [])),
    state
  }
}

// ---- selection -------------------------------------------------------------------------------

export interface Selection {
  ids: ReadonlySet<string>
  /** Where a shift-click range starts: the last row clicked without shift. */
  anchor: string | null
}

export function emptySelection(): Selection {
  return { ids: new Set(), anchor: null }
}

/**
 * A click on row `id` of `order` (every id shown, rendered or not). Plain: only it. `toggle`
 * (Ctrl/Cmd): add or take it away. `shift`: the range from the anchor, instead of (or, with
 * toggle, added to) the selection.
 */
export function clickSelection(sel: Selection, order: readonly string[], id: string, mods: { shift?: boolean; toggle?: boolean }): Selection {
  if (mods.shift && sel.anchor !== null) {
    const a = order.indexOf(sel.anchor)
    const b = order.indexOf(id)
    if (a >= 0 && b >= 0) {
      const ids = new Set(mods.toggle ? sel.ids : [])
      for (let i = Math.min(a, b); i <= Math.max(a, b); i++) ids.add(order[i])
      return { ids, anchor: sel.anchor }
    }
  }
  if (mods.toggle) {
    const ids = new Set(sel.ids)
    if (ids.has(id)) ids.delete(id)
    else ids.add(id)
    return { ids, anchor: id }
  }
  return { ids: new Set([id]), anchor: id }
}

export function selectAll(order: readonly string[]): Selection {
  return { ids: new Set(order), anchor: order[0] ?? null }
}

/** Keeps only the selected rows still shown; the same object when none went away. */
export function pruneSelection(sel: Selection, order: readonly string[]): Selection {
  if (sel.ids.size === 0) return sel
  const shown = new Set(order)
  let gone = false
  for (const id of sel.ids) if (!shown.has(id)) gone = true
  if (!gone) return sel
  const ids = new Set([...sel.ids].filter((id) => shown.has(id)))
  return { ids, anchor: sel.anchor !== null && shown.has(sel.anchor) ? sel.anchor : null }
}

export interface BulkPlan {
  /** Those the person may stop. */
  cancel: string[]
  /** Those the provider failed and nobody retried: each a new paid job. */
  retry: string[]
  retryCost: number
  retryUnpriced: number
  /** Those that may leave the list. */
  remove: string[]
}

/** What each bulk action would apply to among `ids`, as the lifecycle allows. */
export function bulkPlan(data: Pick<JobsData, 'byId'>, ids: Iterable<string>): BulkPlan {
  const retries = retriesOf(data)
  const plan: BulkPlan = { cancel: [], retry: [], retryCost: 0, retryUnpriced: 0, remove: [] }
  for (const id of ids) {
    const job = data.byId.get(id)
    if (!job) continue
    if (isIn(CANCELABLE_STATES, job.state) && !isIn(MADE_NOT_STORED_STATES, job.state)) plan.cancel.push(id)
    if (isIn(REMOVABLE_STATES, job.state)) plan.remove.push(id)
    if (failedByProvider(job) && !retries.has(id)) {
      plan.retry.push(id)
      if (job.estimatedCost === null) plan.retryUnpriced++
      else plan.retryCost += job.estimatedCost
    }
  }
  return plan
}

// ---- one batch ---------------------------------------------------------------------------------

/** The ids of `ids` (in their order) that belong to `batchId`: the queue shown for one batch. */
export function onlyBatch(data: Pick<JobsData, 'byId'>, ids: readonly string[], batchId: string): string[] {
  return ids.filter((id) => data.byId.get(id)?.batchId === batchId)
}

/** How many of one batch's jobs a filter chip shows (Failed leaves out the failed jobs a retry replaced, as for the whole queue). */
export function batchFilterCount(data: JobsData, batchId: string, filter: QueueFilter): number {
  const jobs = batchesOf(data).get(batchId) ?? []
  const states = statesOf(filter)
  if (!states) return jobs.length
  const retries = filter === 'failed' ? retriesOf(data) : null
  return jobs.filter((j) => isIn(states, j.state) && !retries?.has(j.id)).length
}
