// The one way a job changes: check the event against the lifecycle table, write it through the
// job store, emit the event. Stages (submitter, poller, downloads), the engine's job operations
// and the cross-process watcher all call this hub; none of them writes a job or emits by itself.
import type { EngineEvent, JobView } from '../../shared/jobs'
import type { Clock, Logger } from '../ports'
import { type JobEvent, TRANSITIONS } from './lifecycle'
import type { JobRecord, JobStore, JobUpdate, NewJob } from './jobStore'

type Listener = (e: EngineEvent) => void

export class JobHub {
  private listeners = new Set<Listener>()
  /** The newest revision of each job this process has emitted, so the watcher skips our own writes. */
  private seenRev = new Map<string, number>()
  /** Ids changed inside atomically(): emitted once the transaction has committed. */
  private pending: Set<string> | null = null
  private decorate: (view: JobView) => JobView = (v) => v

  constructor(
    private readonly store: JobStore,
    private readonly clock: Clock,
    private readonly logger: Logger
  ) {}

  /** Adds what only the running process knows to every view it hands out (the poller's ETA). */
  setViewDecorator(fn: (view: JobView) => JobView): void {
    this.decorate = fn
  }

  on(fn: Listener): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  emit(e: EngineEvent): void {
    for (const fn of this.listeners) {
      try {
        fn(e)
      } catch (err) {
        this.logger.log('error', `engine listener failed: ${err instanceof Error ? err.message : String(err)}`)
      }
    }
  }

  view(rec: JobRecord): JobView {
    return this.decorate(rec.view)
  }

  /**
   * Applies a lifecycle event to a job: only when the job is in one of the event's from-states
   * (checked in the same statement that writes, so two engines or a cancel racing a create cannot
   * both act). Returns false when it did not apply.
   */
  transition(id: string, event: JobEvent, changes: JobUpdate = {}): boolean {
    const rule = TRANSITIONS[event]
    if (!rule.from.length) throw new Error(`${event} creates jobs: use insert()`)
    const now = this.clock.now()
    // A completed job's time is its completed event's: one clock reading for both, never two.
    const stamped = rule.to === 'completed' ? { ...changes, completedAt: now } : changes
    const ok = this.store.update(id, rule.to ? { ...stamped, state: rule.to } : stamped, now, rule.from)
    if (ok) this.changed(id)
    return ok
  }

  /** Runs `fn` in one transaction; the jobs it changed are emitted after it commits. */
  atomically<T>(fn: () => T): T {
    if (this.pending) return fn()
    const pending = new Set<string>()
    this.pending = pending
    let out: T
    try {
      out = this.store.transaction(fn)
    } finally {
      this.pending = null
    }
    for (const id of pending) this.emitJob(id)
    return out
  }

  /** Writes new jobs in one transaction (event `create.queue` or `create.hold`) and emits them. */
  /** `guard` runs in the same transaction first: it may refuse (throw) or write what belongs with the new jobs. */
  insert(jobs: Omit<NewJob, 'state'>[], event: 'create.queue' | 'create.hold', guard?: () => void): JobView[] {
    const state = TRANSITIONS[event].to
    if (!state) throw new Error(`${event} leads to no state`)
    this.store.transaction(() => {
      guard?.()
      for (const job of jobs) this.store.insert({ ...job, state })
    })
    const views: JobView[] = []
    for (const job of jobs) {
      const rec = this.store.get(job.id)
      if (!rec) continue
      this.seenRev.set(job.id, rec.rev)
      views.push(this.view(rec))
    }
    for (const job of views) this.emit({ type: 'job.created', job })
    return views
  }

  /** Deletes a job in one of `states`; emits `job.removed` when it did. */
  remove(id: string, states: readonly JobView['state'][]): boolean {
    if (!this.store.delete(id, states)) return false
    this.seenRev.delete(id)
    this.emit({ type: 'job.removed', id })
    return true
  }

  private changed(id: string): void {
    if (this.pending) this.pending.add(id)
    else this.emitJob(id)
  }

  /** Emits `job.updated` for the job as stored now. */
  emitJob(id: string): void {
    const rec = this.store.get(id)
    if (!rec) return
    this.seenRev.set(id, rec.rev)
    this.emit({ type: 'job.updated', job: this.view(rec) })
  }

  /** The newest revision of `id` this process emitted (0: never). */
  seen(id: string): number {
    return this.seenRev.get(id) ?? 0
  }

  /** Emits a change another process wrote (the watcher calls this). */
  emitForeign(rec: JobRecord, isNew: boolean): void {
    this.seenRev.set(rec.view.id, rec.rev)
    this.emit({ type: isNew ? 'job.created' : 'job.updated', job: this.view(rec) })
  }
}
