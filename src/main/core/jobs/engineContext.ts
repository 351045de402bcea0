// What the engine's parts (submitter, poller, downloads) share: ports, stores and a few helpers.
import { randomBytes } from 'node:crypto'
import type { EngineEvent, JobError, JobView } from '../../../shared/jobs'
import type { Message } from '../../../shared/messages'
import type { Settings } from '../../../shared/settings'
import type { Catalog } from '../catalog/catalog'
import { backoffDelay, type BackoffPolicy } from '../http/backoff'
import type { CometClient } from '../http/cometClient'
import type { Library } from '../library/library'
import type { Clock, Logger } from '../ports'
import type { DurationModel } from './durationModel'
import type { JobRecord, JobStore, JobUpdate } from './jobStore'
import type { SpendLedger } from './spendLedger'

export interface EngineContext {
  clock: Clock
  logger: Logger
  store: JobStore
  client: CometClient
  catalog: Catalog
  library: () => Library
  ledger: SpendLedger
  durations: DurationModel
  settings: () => Settings
  emit(event: EngineEvent): void
  /** Emits `job.updated` for the job as stored now. */
  emitJob(id: string): void
  /** Updates a job and emits the change; returns false when the state guard did not match. */
  patch(id: string, changes: JobUpdate, expectState?: JobView['state'][]): boolean
  /** Stops all new creates (and polls) until the user fixes the key or base URL. */
  pause(kind: 'auth' | 'bad_base_url' | 'no_key', message: string): void
  isPaused(): boolean
  /** Aborted when the engine stops (polls, downloads, lookups). */
  signal(): AbortSignal
  /** Multiplies every retry delay (1 in the app; tests shrink waits). */
  backoffScale: number
  /** Aborted only if creates in flight outlive the stop grace period: an aborted create has an unknown outcome. */
  createSignal(): AbortSignal
}

/** Time-sortable, unguessable ids: `j` + base36 ms + 10 random hex. */
export function newId(prefix: string, now: number): string {
  return `${prefix}${now.toString(36)}${randomBytes(5).toString('hex')}`
}

export function errorOf(kind: JobError['kind'], message: Message, retryable: boolean, extra: Partial<JobError> = {}): JobError {
  return { kind, message: message.text, code: message.code, params: message.params, retryable, ...extra }
}

/** No wait the engine plans is longer (Retry-After is capped at 10 min); a longer one means the clock went back. */
export const MAX_PLANNED_WAIT_MS = 10 * 60_000

/** Whether a wait until `at` is still believable, or the wall clock went back since it was planned. */
export function isPlausibleWait(ctx: Pick<EngineContext, 'backoffScale'>, at: number, now: number): boolean {
  return at - now <= MAX_PLANNED_WAIT_MS * Math.max(ctx.backoffScale, 0.001) + 1000
}

/** A retry delay: exponential backoff with full jitter, Retry-After when given, never below `floorMs`. */
export function retryDelay(ctx: Pick<EngineContext, 'backoffScale'>, attempt: number, policy: BackoffPolicy, retryAfterMs: number | undefined, floorMs: number): number {
  return Math.max(floorMs, backoffDelay(attempt, policy, retryAfterMs)) * ctx.backoffScale
}

export function vendorName(rec: JobRecord): string {
  return rec.view.vendor ?? rec.view.model
}
