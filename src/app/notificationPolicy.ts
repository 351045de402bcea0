// When the desktop tells the person something with an OS notification, and what it says: engine
// events in, notices out. Plain Node (no electron), so it is tested with made-up events and times.
//
// The rules:
// - One notice per batch, when its last job stops by itself ("12 videos ready, 1 failed"); a job
//   alone is a batch of one ("Video ready — sora-2"). A batch the person ends with Cancel says nothing.
// - One notice when jobs need the person's decision (a create whose outcome is unknown, a task
//   CometAPI no longer knows): per batch, however many at once. A batch that ends with them says
//   so in its own notice instead.
// - One notice when a create is held at the daily cap (per create: a batch, a watched-folder image).
// - Each waits a short quiet time so a burst becomes one notice (capped, so a steady stream still
//   speaks), and is said in the person's language when it is due.
// - Nothing while the window is focused (the screen already shows it: the notice is dropped, not
//   saved for later), and nothing when the `notifications` setting is off.
// - Only changes seen by this process count: a job is "finished" when it leaves the working
//   states, so a restart never repeats old news (prime() tells the policy what is working now).
import type { EngineEvent, JobView } from '../shared/jobs'
import { ACTIVE_STATES, isIn, type JobState } from '../shared/jobStates'
import type { AppNavigation } from '../shared/navigation'
import { type MainLang, type MainTextKey, say } from './mainTexts'

export type NoticeKind = 'finished' | 'decisions' | 'held'

export interface Notice {
  kind: NoticeKind
  title: string
  body: string
  /** Where a click takes the person. */
  target: AppNavigation
}

export interface NotificationPolicyPorts {
  /** Every job of a batch as it is now (asked once, when the batch's notice is written). */
  jobsOfBatch(batchId: string): JobView[]
}

export interface NoticeContext {
  /** The `notifications` setting. */
  enabled: boolean
  /** The person is looking at the window (focused and shown). */
  focused: boolean
  lang: MainLang
}

export interface NotificationPolicyOptions {
  /** How long a notice waits for more of its kind (ms). */
  quietMs?: number
  /** The longest a notice waits, however busy (ms). */
  maxWaitMs?: number
}

/** The states a job waits in for the person's decision, reached by themselves from work. */
const DECISION_STATES: readonly JobState[] = ['needs_decision', 'lost_contact']
const FAILED_STATES: readonly JobState[] = ['failed', 'download_failed']
const PROMPT_MAX = 80

interface Pending {
  kind: NoticeKind
  group: string
  batchId: string | null
  /** The jobs it is about, newest view of each. */
  jobs: Map<string, JobView>
  firstAt: number
  dueAt: number
}

/** Jobs of a batch are told together; a job without a batch is its own. */
function groupOf(job: Pick<JobView, 'id' | 'batchId'>): string {
  return job.batchId ? `b:${job.batchId}` : `j:${job.id}`
}

function short(prompt: string): string {
  const p = prompt.trim().replace(/\s+/g, ' ')
  return p.length > PROMPT_MAX ? `${p.slice(0, PROMPT_MAX - 1)}…` : p
}

/** What a batch came to, a job replaced by its retry not counted (the retry stands for it). */
export function batchOutcome(jobs: readonly JobView[]): { total: number; ready: number; failed: number; waiting: number; canceled: number } {
  const replaced = new Set(jobs.filter((j) => j.lineage === 'retry' && j.parentId).map((j) => j.parentId!))
  const counted = jobs.filter((j) => !replaced.has(j.id))
  const n = (states: readonly JobState[]): number => counted.filter((j) => states.includes(j.state)).length
  return { total: counted.length, ready: n(['completed']), failed: n(FAILED_STATES), waiting: n([...DECISION_STATES, 'held']), canceled: n(['canceled']) }
}

export class NotificationPolicy {
  /** Jobs this process knows are working, by id → their group. */
  private readonly working = new Map<string, string>()
  /** How many of each group's jobs are working. */
  private readonly workingInGroup = new Map<string, number>()
  private readonly pending = new Map<string, Pending>()
  private readonly quietMs: number
  private readonly maxWaitMs: number

  constructor(
    private readonly ports: NotificationPolicyPorts,
    o: NotificationPolicyOptions = {}
  ) {
    this.quietMs = o.quietMs ?? 1500
    this.maxWaitMs = o.maxWaitMs ?? 8000
  }

  /** The jobs working when the app starts (what is already settled is old news). */
  prime(jobs: readonly JobView[]): void {
    for (const job of jobs) if (isIn(ACTIVE_STATES, job.state)) this.setWorking(job)
  }

  observe(e: EngineEvent, now: number): void {
    if (e.type === 'job.created') {
      if (isIn(ACTIVE_STATES, e.job.state)) this.setWorking(e.job)
      else if (e.job.state === 'held') this.add('held', e.job, now)
      return
    }
    if (e.type === 'job.removed') {
      this.forget(e.id)
      return
    }
    if (e.type !== 'job.updated') return
    const job = e.job
    const wasWorking = this.working.has(job.id)
    if (isIn(ACTIVE_STATES, job.state)) {
      // Confirmed, resubmitted, checked again: whatever was waiting to be said about it is moot.
      this.setWorking(job)
      this.dropJob(job.id)
      return
    }
    if (!wasWorking) {
      // The person acted on a job that was already waiting for them (cancel, dismiss): nothing to say.
      if (job.state !== 'held') this.dropJob(job.id)
      return
    }
    const group = this.working.get(job.id)!
    this.unsetWorking(job.id)
    const finished = (this.workingInGroup.get(group) ?? 0) === 0
    if (isIn(DECISION_STATES, job.state) && !finished) this.add('decisions', job, now)
    if (finished) {
      // The person's cancel ends a batch quietly; anything else that ends it is news.
      if (job.state === 'canceled') {
        this.pending.delete(`finished:${group}`)
        return
      }
      // The batch's notice says how many wait for a decision: no separate one.
      this.pending.delete(`decisions:${group}`)
      this.add('finished', job, now)
    }
  }

  /** When the next notice falls due (ms epoch), or null when none waits. */
  nextDueAt(): number | null {
    let next: number | null = null
    for (const p of this.pending.values()) if (next === null || p.dueAt < next) next = p.dueAt
    return next
  }

  /** The notices due by `now`, in words, and forgets them; dropped unshown when off or the window is focused. */
  due(now: number, ctx: NoticeContext): Notice[] {
    const out: Notice[] = []
    for (const [key, p] of [...this.pending.entries()].sort((a, b) => a[1].dueAt - b[1].dueAt)) {
      if (p.dueAt > now) continue
      this.pending.delete(key)
      if (!ctx.enabled || ctx.focused) continue
      const notice = this.write(p, ctx.lang)
      if (notice) out.push(notice)
    }
    return out
  }

  private setWorking(job: JobView): void {
    if (this.working.has(job.id)) return
    const group = groupOf(job)
    this.working.set(job.id, group)
    this.workingInGroup.set(group, (this.workingInGroup.get(group) ?? 0) + 1)
  }

  private unsetWorking(id: string): void {
    const group = this.working.get(id)
    if (group === undefined) return
    this.working.delete(id)
    const left = (this.workingInGroup.get(group) ?? 1) - 1
    if (left > 0) this.workingInGroup.set(group, left)
    else this.workingInGroup.delete(group)
  }

  private forget(id: string): void {
    this.unsetWorking(id)
    this.dropJob(id)
  }

  /** Takes a job out of the decision and held notices not said yet (one left empty goes). */
  private dropJob(id: string): void {
    for (const [key, p] of this.pending) {
      if (p.kind === 'finished' || !p.jobs.delete(id)) continue
      if (p.jobs.size === 0) this.pending.delete(key)
    }
  }

  private add(kind: NoticeKind, job: JobView, now: number): void {
    const group = groupOf(job)
    const key = `${kind}:${group}`
    const p = this.pending.get(key) ?? { kind, group, batchId: job.batchId, jobs: new Map<string, JobView>(), firstAt: now, dueAt: now }
    p.jobs.set(job.id, job)
    p.dueAt = Math.min(now + this.quietMs, p.firstAt + this.maxWaitMs)
    this.pending.set(key, p)
  }

  private write(p: Pending, lang: MainLang): Notice | null {
    const last = [...p.jobs.values()].at(-1)!
    const one = (title: MainTextKey, kind: NoticeKind = p.kind): Notice => ({ kind, title: say(lang, title, { model: last.model }), body: short(last.spec.prompt), target: { to: 'queue', jobId: last.id } })
    if (p.kind === 'held') {
      const count = p.jobs.size
      const target: AppNavigation = count === 1 || !p.batchId ? { to: 'queue', jobId: last.id } : { to: 'queue', batchId: p.batchId, filter: 'attention' }
      return { kind: 'held', title: say(lang, 'notify.held'), body: say(lang, 'notify.heldBody', { count }), target }
    }
    if (p.kind === 'decisions') {
      if (p.jobs.size === 1 || !p.batchId) return one('notify.videoNeedsYou')
      return { kind: 'decisions', title: say(lang, 'notify.decisions', { count: p.jobs.size }), body: say(lang, 'notify.decisionsBody'), target: { to: 'queue', batchId: p.batchId, filter: 'attention' } }
    }
    const outcome = p.batchId ? batchOutcome(this.ports.jobsOfBatch(p.batchId)) : null
    if (!outcome || outcome.total <= 1) {
      if (last.state === 'completed') return one('notify.videoReady')
      if (isIn(FAILED_STATES, last.state)) return one('notify.videoFailed')
      if (isIn(DECISION_STATES, last.state)) return one('notify.videoNeedsYou', 'decisions')
      return null
    }
    if (outcome.ready + outcome.failed + outcome.waiting === 0) return null
    const parts: string[] = []
    if (outcome.ready) parts.push(say(lang, 'notify.batchReady', { count: outcome.ready }))
    if (outcome.failed) parts.push(say(lang, 'notify.batchFailed', { count: outcome.failed }))
    if (outcome.waiting) parts.push(say(lang, 'notify.batchWaiting', { count: outcome.waiting }))
    if (outcome.canceled) parts.push(say(lang, 'notify.batchCanceled', { count: outcome.canceled }))
    return { kind: 'finished', title: say(lang, 'notify.batchDone'), body: parts.join(say(lang, 'notify.listSeparator')), target: { to: 'queue', batchId: p.batchId! } }
  }
}
