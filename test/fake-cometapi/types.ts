// Public vocabulary of the fake server; server.ts re-exports all of it.

export type RequestKind = 'catalog' | 'create' | 'poll' | 'lookup' | 'remix' | 'content' | 'file' | 'other'

export type Family = 'openai-videos' | 'runway' | 'kling' | 'xai' | 'volc' | 'runway-compat'

export type Outcome = 'success' | 'failed' | 'expired'

export interface FaultConfig {
  // probabilities 0..1 applied per request of the matching kind
  rate429?: number
  /** Retry-After seconds sent with probabilistic 429s; null/undefined = no header. */
  retryAfterSeconds?: number | null
  rate5xx?: number
  statuses5xx?: number[]
  /** Accept the request, never answer (until the client or close() destroys the socket). */
  rateTimeout?: number
  /** Destroy the socket (for files: after part of the body). */
  rateReset?: number
  /** Files only: announce Content-Length N, send fewer bytes, end the socket. */
  rateTruncate?: number
  /** Polls only: 200 with an `{"error":{...}}` body and no status (the task keeps running). */
  rateError200?: number
  /**
   * Creates (and remixes) only: the handler runs, so the task exists and will finish, then the
   * answer is ambiguous: one of `createThenFaults`, picked by the same seeded dice.
   */
  rateCreateThenFail?: number
  /** Which ambiguous answers `rateCreateThenFail` picks from (default: DEFAULT_CREATE_THEN_FAULTS). */
  createThenFaults?: CreateThenFault[]
  /** Kinds the rates apply to (default: every kind except 'catalog'). */
  kinds?: RequestKind[]
  /** Rates for one kind instead of the ones above (e.g. resets on polls but never on creates). */
  byKind?: Partial<Record<RequestKind, Omit<FaultConfig, 'kinds' | 'byKind'>>>
}

export type FaultName =
  | '429'
  | '429-retry-after'
  | '500'
  | '500-invalid-request'
  | '503'
  | '503-model-not-found'
  | '524'
  | 'timeout'
  | 'reset'
  | 'truncate'
  | 'error200'
  | 'html'
  | CreateThenFault
  /** Polls/lookups: the family's "task does not exist" answer although the task exists (it keeps running). */
  | 'not-exist'
  /** Files: 403 with an S3-style `AccessDenied` XML body; `/content`: 403 in CometAPI's envelope. */
  | 'file-refused'
  /** Polls: the handler runs, then every status word in the answer is one no client knows. */
  | 'unknown-status'
  /** Files: 200 video/mp4 announcing 5 GB, a valid MP4 start, then silence. */
  | 'huge-file'

/**
 * Faults applied *after* the handler ran (a create has created; the task exists and finishes)
 * whose answer leaves the client unsure whether it did.
 */
export type CreateThenFault =
  /** Never answers (until the client or close() destroys the socket). */
  | 'create-then-timeout'
  /** Destroys the socket without an answer. */
  | 'create-then-reset'
  /** That HTTP status in CometAPI's older error envelope (request id in the message). */
  | 'create-then-500'
  | 'create-then-502'
  | 'create-then-504'
  | 'create-then-524'
  /** 502 with an nginx "502 Bad Gateway" HTML page (text/html; charset=utf-8). */
  | 'create-then-html'
  /** A 2xx JSON body with no task id in it (per family; an error answer passes through unchanged). */
  | 'create-then-no-id'
  /** The handler runs (a create creates), then the 200 body is cut-off JSON. */
  | 'malformed-json'

export interface InjectRule {
  kind: RequestKind
  family?: string
  count?: number
  fault: FaultName
}

export interface FakeOptions {
  port?: number
  keys?: string[]
  /** Task duration in ms by model id (exact) or '*'; default 1500 ms. Progress rises linearly. */
  durations?: Record<string, number>
  runwayDialect?: 'flat' | 'wrapped'
  xaiDialect?: 'flat' | 'wrapped'
  seedanceCase?: 'upper' | 'lower'
  /** Default true: pending (queued) xAI polls return only `{request_id}`. */
  xaiRequestIdOnlyWhilePending?: boolean
  /** First poll after create of a Runway/Seedance task answers 400 task_not_exist. */
  transientNotExist?: boolean
  /**
   * Each key sees only the tasks made with it, as keys of two CometAPI accounts would: a poll or a
   * download of another key's task answers exactly as for a task that does not exist. Default false.
   */
  tasksByKey?: boolean
  /** Signed result URLs stop working this long after they were issued (default 10 min). */
  resultUrlTtlMs?: number
  expiredStatus?: 403 | 404 | 410
  unknownPath?: 'redirect' | 'html'
  /** By model id or '*': serve a generated file of this many bytes instead of the fixture. */
  videoBytes?: Record<string, number>
  /** Throttles result-file streaming (lets tests stop a process mid-download). null = full speed. */
  fileBytesPerSecond?: number | null
  /** Think time by request kind: the handler acts at once (a create creates), the answer comes this much later. */
  latencyMs?: Partial<Record<RequestKind, number>>
  faults?: FaultConfig
  seed?: number
  now?: () => number
  /** Replaces the built-in `/api/models` rows. */
  catalog?: unknown[]
}

export interface LogEntry {
  seq: number
  /** Date.now() at arrival. */
  at: number
  method: string
  path: string
  kind: RequestKind
  family: Family | null
  model: string | null
  taskId: string | null
  externalId: string | null
  prompt: string | null
  /** Status sent; 0 when none was (timeout/reset before headers). */
  status: number
  fault: string | null
  /** True only when this request actually created a task. */
  created: boolean
  range: string | null
  bytesSent: number
  authorization: string | null
}

export interface FakeTask {
  id: string
  family: string
  model: string
  prompt: string
  externalId: string | null
  createdAt: number
  durationMs: number
  outcome: Outcome
  params: Record<string, unknown>
  images: number
  /** SHA-256 (hex) of each image uploaded inline as base64, in request order (Kling records it; empty elsewhere). */
  imageSha256: string[]
}

export interface FakeCometApi {
  url: string
  port: number
  log: LogEntry[]
  tasks: Map<string, FakeTask>
  creates(): LogEntry[]
  createCountsByPrompt(): Map<string, number>
  /** Max concurrent in-flight requests observed; clearLog() or assigning resets the high-water mark. */
  maxInFlight: number
  /** Requests currently in flight (extra). */
  readonly inFlight: number
  /** Ids of the tasks created with this prompt, oldest first (whatever the client was told). */
  taskIdsByPrompt(prompt: string): string[]
  setFaults(f: FaultConfig | null): void
  /** Scripted fault for the next `count` (default 1) matching requests; rules are used in order. */
  injectOnce(rule: InjectRule): void
  /**
   * Every result-file (`/files/…`) and `/content` request answers 403 (fault `file-refused`) for
   * the next `ms` on the fake's clock (the `now` option); 0 ends it. Links work again afterwards
   * unless their TTL ran out.
   */
  refuseDownloadsFor(ms: number): void
  /** Every authenticated request with this key answers 401 `invalid token` until restoreKey(); tasks keep running. */
  revokeKey(key: string): void
  restoreKey(key: string): void
  setOptions(o: Partial<FakeOptions>): void
  finishTask(id: string, outcome?: Outcome): void
  clearLog(): void
  /** A signed `/files/<name>` URL (extra; for download tests that need no task). */
  fileUrl(name: string, ttlMs?: number): string
  /** The network is gone: stop listening and drop every connection (tasks keep running). */
  goOffline(): Promise<void>
  /** The network is back, on the same port. */
  goOnline(): Promise<void>
  close(): Promise<void>
}
