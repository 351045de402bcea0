// What a person can do to jobs: confirm held ones, cancel, retry, duplicate, remix, decide, remove.
// Each is a lifecycle event through the hub; a new job goes through jobCreation like any other.
import { type CreateJobsReply, failedByProvider, type JobSpec, type JobView } from '../../shared/jobs'
import { CANCELABLE_STATES, isIn, MAY_BE_BILLED_STATES, REMOVABLE_STATES, RETRYABLE_STATES } from '../../shared/jobStates'
import { type Message, msg, SentenceError } from '../../shared/messages'
import type { Library } from '../library/library'
import { type CreateJobsInput, createJobs, type CreationPorts } from './jobCreation'
import { allows, TRANSITIONS } from './lifecycle'
import type { JobReader } from './stagePorts'

export class EngineError extends SentenceError {
  constructor(
    sentence: Message,
    readonly code: 'not_found' | 'bad_state' | 'validation' | 'unsupported'
  ) {
    super(sentence)
    this.name = 'EngineError'
  }
}

/** What the running stages must hear of a person's action. */
export interface ActionEffects {
  /** New or re-queued jobs wait to be sent. */
  queued(): void
  /** Nothing more is to be done for this job (stop polling or fetching it). */
  stopped(id: string): void
  /** Fetch this made video again, from a fresh link. */
  downloadAgain(id: string): void
  /** Ask the provider about this task again. */
  watchAgain(id: string): void
  /** Jobs were created (the poller starts their clocks; the spend view changes). */
  created(jobs: JobView[], held: boolean): void
}

export type ActionPorts = CreationPorts & { jobs: JobReader; library: Library; effects: ActionEffects }

export class JobActions {
  constructor(private readonly p: ActionPorts) {}

  private mustGet(id: string): JobView {
    const rec = this.p.jobs.get(id)
    if (!rec) throw new EngineError(msg('job.notFound', { id }), 'not_found')
    return this.p.hub.view(rec)
  }

  /** A new job from an old one goes with the old one's key, or the default key once that was removed. */
  private keyOf(job: JobView): string | null {
    return this.p.keys.get(job.keyId) ? job.keyId : null
  }

  async create(input: CreateJobsInput): Promise<CreateJobsReply> {
    const reply = await createJobs(this.p, input)
    if (reply.ok) this.p.effects.created(reply.jobs, reply.held)
    return reply
  }

  /** Sends held jobs (the person confirmed the spend). */
  confirmHeld(ids: string[]): JobView[] {
    const out = ids.filter((id) => this.p.hub.transition(id, 'hold.confirm', { note: null })).map((id) => this.mustGet(id))
    this.p.effects.queued()
    return out
  }

  /**
   * Stops a job. Before it was sent nothing is billed; after, CometAPI has no cancel for video
   * tasks, so the provider may still finish — and bill — the video.
   */
  cancel(id: string): { job: JobView; message: string } {
    const job = this.mustGet(id)
    if (!isIn(CANCELABLE_STATES, job.state)) throw new EngineError(msg('job.cannotCancel', { state: job.state }), 'bad_state')
    const note = msg(isIn(MAY_BE_BILLED_STATES, job.state) ? 'cancel.mayBill' : 'cancel.notBilled')
    this.p.hub.transition(id, 'cancel', { note })
    this.p.effects.stopped(id)
    this.p.library.releaseName(id)
    return { job: this.mustGet(id), message: note.text }
  }

  /** A new (paid) job with the same settings, linked to the old one. */
  async retry(id: string): Promise<CreateJobsReply> {
    const job = this.mustGet(id)
    if (allows('download.retry', job.state)) throw new EngineError(msg('job.useRetryDownload'), 'bad_state')
    if (!isIn(RETRYABLE_STATES, job.state)) throw new EngineError(msg('job.notRetryable'), 'bad_state')
    // One retry per job: a second would be a second paid job for the same failure.
    if (this.p.jobs.retriesOf([id]).has(id)) throw new EngineError(msg('job.alreadyRetried'), 'bad_state')
    const reply = await this.create({ specs: [job.spec], parentId: id, lineage: 'retry', batchId: job.batchId, keyId: this.keyOf(job), guard: (made) => this.onceEach(made) })
    // An undecided create is let go once its retry exists (the person chose a new paid job instead).
    if (reply.ok && job.state === 'needs_decision') this.p.hub.transition(id, 'retry.replace', { note: msg('retry.replaced') })
    return reply
  }

  /**
   * Inside the transaction that writes retries: refuses when any parent was retried meanwhile (a
   * double click, a second window, the CLI), and marks each parent as retried by its new job.
   */
  private onceEach(made: { id: string; parentId: string | null }[]): void {
    const parents = made.flatMap((m) => (m.parentId ? [m.parentId] : []))
    if (this.p.jobs.retriesOf(parents).size > 0) throw new EngineError(msg('job.alreadyRetried'), 'bad_state')
    const now = this.p.clock.now()
    for (const m of made) if (m.parentId) this.p.jobs.markRetried(m.parentId, m.id, now)
  }

  /**
   * "Retry all failed": one new (paid) job for each of `ids` the provider really failed and that was
   * not retried yet; the others are left as they are. The new jobs keep their batch when they all
   * came from one, and go through creation like any other (priced, held above the daily cap).
   */
  async retryFailed(ids: string[]): Promise<CreateJobsReply> {
    if (ids.length === 0) throw new EngineError(msg('job.nothingToRetry'), 'bad_state')
    const failed = this.p.jobs.query({ ids, states: ['failed'] }).map((r) => this.p.hub.view(r)).filter(failedByProvider)
    const retried = this.p.jobs.retriesOf(failed.map((j) => j.id))
    const todo = failed.filter((j) => !retried.has(j.id))
    if (!todo.length) throw new EngineError(msg('job.nothingToRetry'), 'bad_state')
    const batches = new Set(todo.map((j) => j.batchId))
    const batchId = batches.size === 1 ? [...batches][0] : null
    return this.create({ specs: todo.map((j) => j.spec), parentIds: todo.map((j) => j.id), keyIds: todo.map((j) => this.keyOf(j)), lineage: 'retry', batchId, guard: (made) => this.onceEach(made) })
  }

  /** Cancels each of `ids` the lifecycle lets the person stop; returns how many were canceled. */
  cancelMany(ids: string[]): number {
    // An empty list is nothing to do, never "every job".
    if (ids.length === 0) return 0
    const cancelable = this.p.jobs.query({ ids, states: CANCELABLE_STATES })
    let n = 0
    for (const rec of cancelable) {
      const note = msg(isIn(MAY_BE_BILLED_STATES, rec.view.state) ? 'cancel.mayBill' : 'cancel.notBilled')
      if (!this.p.hub.transition(rec.view.id, 'cancel', { note })) continue
      this.p.effects.stopped(rec.view.id)
      this.p.library.releaseName(rec.view.id)
      n++
    }
    return n
  }

  /** Fetches a made video whose download did not finish: a fresh link, the content route, the bytes on disk. Never a new task. */
  retryDownload(id: string): JobView {
    this.mustGet(id)
    if (!this.p.hub.transition(id, 'download.retry', { note: msg('download.retrying'), error: null })) throw new EngineError(msg('job.notDownloadFailed'), 'bad_state')
    this.p.effects.downloadAgain(id)
    return this.mustGet(id)
  }

  /** The person's answer for a task we lost contact with: look for it again, or let it go. */
  contact(id: string, choice: 'check' | 'dismiss'): JobView {
    this.mustGet(id)
    const event = choice === 'check' ? 'contact.check' : 'contact.dismiss'
    const note = msg(choice === 'check' ? 'contact.checking' : 'contact.dismissed')
    if (!this.p.hub.transition(id, event, { note, error: null, pollErrors: 0 })) throw new EngineError(msg('job.notLost'), 'bad_state')
    if (choice === 'check') this.p.effects.watchAgain(id)
    return this.mustGet(id)
  }

  /** A new job from an old one's settings with some changed. */
  async duplicate(id: string, edits: Partial<JobSpec> = {}): Promise<CreateJobsReply> {
    const job = this.mustGet(id)
    return this.create({ specs: [{ ...job.spec, ...edits }], parentId: id, lineage: 'duplicate', batchId: null, keyId: this.keyOf(job) })
  }

  /** Sora remix of a finished video. */
  async remix(id: string, prompt: string): Promise<CreateJobsReply> {
    const job = this.mustGet(id)
    if (job.state !== 'completed' || !job.remoteId) throw new EngineError(msg('job.remixNotFinished'), 'bad_state')
    const model = this.p.catalog.resolve(job.model)
    if (!model?.rules.remix) throw new EngineError(msg('job.noRemix', { model: job.model }), 'unsupported')
    return this.create({ specs: [{ model: job.model, prompt, remixOf: job.remoteId, seconds: job.spec.seconds, size: job.spec.size }], parentId: id, lineage: 'remix', batchId: null, keyId: job.keyId })
  }

  /** The person's answer for a job whose create may or may not have reached the provider. */
  decide(id: string, choice: 'resubmit' | 'dismiss'): JobView {
    const event = choice === 'resubmit' ? 'decide.resubmit' : 'decide.dismiss'
    const note = msg(choice === 'resubmit' ? 'decide.resubmitted' : 'decide.dismissed')
    this.mustGet(id)
    if (!this.p.hub.transition(id, event, { note })) throw new EngineError(msg('job.notUndecided'), 'bad_state')
    if (choice === 'resubmit') this.p.effects.queued()
    return this.mustGet(id)
  }

  /**
   * The same answer for every undecided job of a batch (or of the given ids) at once. Returns the
   * jobs decided and, for resubmit, the estimated cost of sending them again (each a new paid create).
   */
  decideMany(scope: { batchId?: string; ids?: string[] }, choice: 'resubmit' | 'dismiss'): { jobs: JobView[]; estimate: number | null } {
    const undecided = TRANSITIONS['decide.resubmit'].from
    const candidates = this.p.jobs.query({ states: undecided, batchId: scope.batchId, ids: scope.ids })
    const event = choice === 'resubmit' ? 'decide.resubmit' : 'decide.dismiss'
    const note = msg(choice === 'resubmit' ? 'decide.resubmitted' : 'decide.dismissed')
    const decided = this.p.hub.atomically(() => candidates.filter((rec) => this.p.hub.transition(rec.view.id, event, { note })))
    if (choice === 'resubmit' && decided.length) this.p.effects.queued()
    const costs = decided.map((r) => r.view.estimatedCost).filter((c): c is number => c != null)
    return { jobs: decided.map((r) => this.mustGet(r.view.id)), estimate: choice === 'resubmit' && costs.length ? costs.reduce((a, b) => a + b, 0) : null }
  }

  /** Removes finished jobs from the queue (their library videos stay). */
  remove(ids: string[]): number {
    return ids.filter((id) => this.p.hub.remove(id, REMOVABLE_STATES)).length
  }
}
