// The small interface every API family implements. Adapters are pure: no fetch, no timers,
// no disk. The engine reads files, sends requests, keeps time and retries.
import type { JobSpec, ProviderFamily } from '../../shared/jobs'
import type { FieldError, ImageInfo, ModelRules } from '../../shared/modelTypes'

/** A local image the engine has already read and probed. */
export interface LoadedImage {
  info: ImageInfo
  fileName: string
  mime: string
  bytes: Uint8Array
}

export interface MultipartFile {
  field: string
  fileName: string
  contentType: string
  bytes: Uint8Array
}

/** A request described as data; the engine's HTTP client turns it into a real request. */
export interface RequestSpec {
  method: 'GET' | 'POST' | 'DELETE'
  /** Path relative to the base URL, starting with `/` (may include a query string). */
  path: string
  headers?: Record<string, string>
  json?: unknown
  multipart?: { fields: [string, string][]; files: MultipartFile[] }
}

export type RemoteState = 'pending' | 'running' | 'succeeded' | 'failed' | 'unknown'

export interface RemoteError {
  code: string | null
  message: string
  /** Failure kind when the adapter can tell (e.g. `expired` for xAI `expired`). */
  kind?: 'provider_failed' | 'expired' | 'model_unavailable' | 'validation'
}

/** Any poll answer, normalized. */
export interface PollResult {
  state: RemoteState
  /** 0–100, or null when the provider says nothing. */
  progress: number | null
  resultUrls: string[]
  /** Epoch ms when result URLs stop working, when the provider says. */
  expiresAt: number | null
  /** Epoch ms when the provider says the task finished, when it says. */
  completedAt: number | null
  error: RemoteError | null
  /** The raw status word, for logs (`unknown` states keep polling and are logged). */
  rawStatus: string | null
  /**
   * A non-terminal answer that still says something is off — never an end by itself: `missing`,
   * the poll route does not know the task right now; `odd`, an error object came without a
   * terminal status (gateways do this when busy). The poller keeps asking, with backoff.
   */
  problem: { kind: 'missing' | 'odd'; message: string } | null
}

export interface CreateResult {
  remoteId: string
  /** Some creates already carry a status (e.g. `queued`). */
  poll: PollResult | null
}

/** An error answer as the client read it (the HTTP status and the body's own code and message). */
export interface ErrorAnswer {
  status?: number
  code?: string | null
  message?: string | null
}

export interface CreateContext {
  /** Our id for the job; sent as Kling's `external_task_id`. */
  externalId: string
  images: LoadedImage[]
}

export interface VideoAdapter {
  family: ProviderFamily
  /** Family-specific checks beyond the shared rule checks (e.g. Sora's image must match size). */
  validate(spec: JobSpec, rules: ModelRules, images: ImageInfo[]): FieldError[]
  buildCreate(spec: JobSpec, ctx: CreateContext): RequestSpec
  /** Throws `AdapterError` when the body is a failure envelope (Kling code≠0, 200 with `error`). */
  parseCreate(body: unknown): CreateResult
  buildPoll(remoteId: string, spec: JobSpec): RequestSpec
  parsePoll(body: unknown): PollResult
  /** The route that streams the result when no URL is given or the URL expired (`/v1/videos/{id}/content`). */
  contentRequest?(remoteId: string, spec: JobSpec): RequestSpec
  /** Finds a task by our external id after an interrupted create (Kling). */
  buildLookup?(externalId: string, spec: JobSpec): RequestSpec
  /**
   * The remote id found by a lookup, or null only when the answer definitely says the task does
   * not exist (a re-send is then safe). Throws `AdapterError` for anything it cannot read.
   */
  parseLookup?(body: unknown): CreateResult | null
  /** Whether a failed lookup (an error answer) is the provider's own definite "no such task". */
  lookupSaysAbsent?(failure: ErrorAnswer): boolean
  /** Whether a refused create says our external id is taken: the task exists, so it is looked up, not failed. */
  isDuplicateCreate?(failure: ErrorAnswer): boolean
  /** Sora remix of a finished remote video. */
  buildRemix?(remoteId: string, spec: JobSpec): RequestSpec
}

/** A body the adapter could not accept: a failure envelope or an unexpected shape. */
export class AdapterError extends Error {
  constructor(
    message: string,
    readonly code: string | null = null,
    readonly kind: RemoteError['kind'] | 'malformed' = 'malformed'
  ) {
    super(message)
    this.name = 'AdapterError'
  }
}
