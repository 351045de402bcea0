// Job vocabulary shared by the engine, the IPC contract, the renderer and the CLI.

/** The four API families of ARCHITECTURE.md; each has one adapter in src/core/adapters. */
export type ProviderFamily = 'openai-videos' | 'runway' | 'kling' | 'xai'

export const PROVIDER_FAMILIES: readonly ProviderFamily[] = ['openai-videos', 'runway', 'kling', 'xai']

export type { JobState } from './jobStates'
import type { JobState, StateSet } from './jobStates'
import type { FieldError } from './modelTypes'

export type GenerationMode = 'text-to-video' | 'image-to-video'

/** What the user asked for. Field names are ours; adapters translate them to each family's wire names. */
export interface JobSpec {
  model: string
  prompt: string
  negativePrompt?: string
  /** Clip length in seconds. */
  seconds?: number
  /** Sora/Wan/Vidu/HappyHorse: `WxH`; Seedance: a ratio label like `16:9`; Veo: `16x9`. */
  size?: string
  /** Kling/xAI/Omni `aspect_ratio`, Runway `ratio` (e.g. `1280:768`). */
  aspectRatio?: string
  /** `480p` | `720p` | `1080p` where the model has it. */
  resolution?: string
  seed?: number
  /** Absolute paths of local images, in order (first frame, last frame...). */
  images?: string[]
  /** Remote id of a finished video to remix (Sora remix). */
  remixOf?: string
  /** Extra wire fields passed through unchanged (`--param key=value`). */
  params?: Record<string, string | number | boolean>
}

export type ErrorKind =
  | 'validation' // our own pre-flight validation or a 400 from the API
  | 'auth' // 401: key missing or wrong
  | 'forbidden' // 403
  | 'not_found' // 404 / wrong path
  | 'bad_base_url' // HTML or a redirect where JSON was expected
  | 'too_large' // 413
  | 'rate_limited' // 429
  | 'server' // 5xx, 524
  | 'invalid_request' // 500 with code invalid_request
  | 'model_unavailable' // model_not_found / invalid model name
  | 'timeout'
  | 'network'
  | 'provider_failed' // the provider ran the task and reported failure
  | 'expired' // the provider says the task or its result expired
  | 'max_age' // we gave up waiting
  | 'disk' // local disk problem (ENOSPC, read-only, ...)
  | 'download' // result could not be downloaded or verified
  | 'canceled'
  | 'unknown'

export interface JobError {
  kind: ErrorKind
  /** A plain sentence a person can act on: what happened and what to do. Never contains the key. */
  message: string
  /** Whether retrying the same job can reasonably help. */
  retryable: boolean
  /** CometAPI request id when the server gave one. */
  requestId?: string
  /** HTTP status when there was one. */
  status?: number
  /** Field the problem concerns (validation). */
  field?: string
  /** The sentence as a code and parameters (shared/messages.ts, or a FieldError code), for translation. */
  code?: string
  params?: Record<string, string | number>
}

export type Lineage = 'retry' | 'duplicate' | 'remix' | 'compare'

/** A job as every consumer sees it (engine events, IPC, CLI --json). */
export interface JobView {
  id: string
  batchId: string | null
  parentId: string | null
  lineage: Lineage | null
  model: string
  provider: ProviderFamily
  /** Display name of the vendor from the catalog (e.g. OpenAI, Kling). */
  vendor: string | null
  spec: JobSpec
  state: JobState
  /** Generation progress 0–100 as reported by the provider (null when unknown). */
  progress: number | null
  downloadedBytes: number
  downloadTotal: number | null
  remoteId: string | null
  /** The provider accepted the task (a task id came back), so it is billed; counted once in the spend ledger. */
  billed: boolean
  externalId: string
  /** The named key (its profile id, never the key) it is sent, checked and downloaded with. */
  keyId: string
  estimatedCost: number | null
  error: JobError | null
  /** Why the job is held / waiting / needs a decision, in plain words (English). */
  note: string | null
  /** The note as a code and parameters (shared/messages.ts), for translation. */
  noteCode: string | null
  noteParams: Record<string, string | number> | null
  /** Absolute path of the finished video once it is in the library. */
  file: string | null
  libraryItemId: string | null
  createdAt: number
  updatedAt: number
  submittedAt: number | null
  completedAt: number | null
  /** Estimated time of remote completion (ms epoch), from the model's learned durations. */
  etaAt: number | null
  /** How long such a video usually takes (ms, the learned median), while it is being made. */
  typicalMs?: number | null
}

/** One step of a job's life: the state it entered and when (from the job store's events). */
export interface JobTimelineEntry {
  state: JobState
  at: number
}

/** Everything the queue's details panel shows about one job. */
export interface JobDetails {
  job: JobView
  /** Every state the job entered, oldest first (the first is the state it was created in). */
  timeline: JobTimelineEntry[]
  /** What the spend ledger recorded for it (null: nothing was billed). */
  billed: { amount: number; at: number } | null
  /** The newest job made by retrying this one (null: not retried). */
  replacedBy: string | null
}

/**
 * The provider ran the task and reported it failed (a task id came back, then a terminal failed
 * answer). Only these are worth a new paid job by "Retry all failed": a create that was refused
 * or never sent would be refused again.
 */
export function failedByProvider(job: Pick<JobView, 'state' | 'remoteId'>): boolean {
  return job.state === 'failed' && job.remoteId !== null
}

export type EngineEvent =
  | { type: 'job.created'; job: JobView }
  | { type: 'job.updated'; job: JobView }
  | { type: 'job.removed'; id: string }
  | { type: 'library.changed'; itemIds: string[] }
  | { type: 'catalog.changed' }
  | { type: 'spend.changed' }
  | { type: 'engine.status'; status: EngineStatus }

/** A problem that stops all new work until the user acts (a rejected key, a wrong base URL). */
export interface EnginePause {
  /** `database`: the database file vanished under the running app; a restart clears it. */
  kind: 'auth' | 'bad_base_url' | 'no_key' | 'database' | 'proxy'
  /** English text (CLI, logs); the renderer says it by `code` and `params`. */
  message: string
  code: string
  params: Record<string, string | number>
  since: number
}

export interface EngineStatus {
  /** `owner` runs jobs; `observer` watches another process (the app or a CLI) run them. */
  role: 'owner' | 'observer' | 'stopped'
  paused: EnginePause | null
  /**
   * The person chose "Pause all" (tray, menu, queue) in this run of the app: no new create is sent
   * until they resume (queued jobs wait); what was already sent is still checked and downloaded.
   */
  heldByPerson: { since: number } | null
  /** CometAPI has not answered the last few requests (network down, DNS, timeouts, gateway pages); jobs wait and are checked again. */
  unreachable: { since: number; message: string; code: string; params: Record<string, string | number> } | null
  counts: Partial<Record<JobState, number>>
}

/** Which jobs to list: newest or oldest first, optionally by state, batch or id, a page at a time. */
export interface JobQuery {
  states?: StateSet
  batchId?: string
  ids?: string[]
  limit?: number
  offset?: number
  order?: 'asc' | 'desc'
}

/** The answer to creating jobs: all were written (maybe held above the daily cap), or none and why. */
export type CreateJobsReply =
  | { ok: true; jobs: JobView[]; held: boolean; estimate: number | null; note: string | null }
  | { ok: false; errors: { index: number; errors: FieldError[] }[] }
