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
  /** Polls only: 200 with an `{"error":{...}}` body. */
  rateError200?: number
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
  | 'create-then-timeout'
  | 'create-then-reset'
  /** The handler runs (a create creates), then the 200 body is cut-off JSON. */
  | 'malformed-json'
  /** Polls: the handler runs, then every status word in the answer is one no client knows. */
  | 'unknown-status'
  /** Files: 200 video/mp4 announcing 5 GB, a valid MP4 start, then silence. */
  | 'huge-file'

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
  setFaults(f: FaultConfig | null): void
  injectOnce(rule: InjectRule): void
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
