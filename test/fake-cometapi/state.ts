// Everything route handlers share: options, the task table, the clock and signed result URLs.
import { FileStore, FIXTURE_DIR } from './files'
import { join } from 'node:path'
import { type InternalTask, promptMagic, type TaskView, viewTask } from './tasks'
import type { Family, FakeOptions, RequestKind } from './types'

export const DEFAULT_DURATION_MS = 1500
const DEFAULT_TTL_MS = 10 * 60 * 1000

export interface ResolvedOptions {
  keys: string[]
  durations: Record<string, number>
  runwayDialect: 'flat' | 'wrapped'
  xaiDialect: 'flat' | 'wrapped'
  seedanceCase: 'upper' | 'lower'
  xaiRequestIdOnlyWhilePending: boolean
  transientNotExist: boolean
  tasksByKey: boolean
  resultUrlTtlMs: number
  expiredStatus: 403 | 404 | 410
  unknownPath: 'redirect' | 'html'
  videoBytes: Record<string, number>
  fileBytesPerSecond: number | null
  latencyMs: Partial<Record<RequestKind, number>>
  now: () => number
  catalog: unknown[] | null
}

export function resolveOptions(o: Partial<FakeOptions>, base?: ResolvedOptions): ResolvedOptions {
  const d = base ?? {
    keys: ['sk-test-good'],
    durations: {},
    runwayDialect: 'flat',
    xaiDialect: 'flat',
    seedanceCase: 'upper',
    xaiRequestIdOnlyWhilePending: true,
    transientNotExist: false,
    tasksByKey: false,
    resultUrlTtlMs: DEFAULT_TTL_MS,
    expiredStatus: 403,
    unknownPath: 'redirect',
    videoBytes: {},
    fileBytesPerSecond: null,
    latencyMs: {},
    now: Date.now,
    catalog: null
  }
  return {
    keys: o.keys ?? d.keys,
    durations: o.durations ?? d.durations,
    runwayDialect: o.runwayDialect ?? d.runwayDialect,
    xaiDialect: o.xaiDialect ?? d.xaiDialect,
    seedanceCase: o.seedanceCase ?? d.seedanceCase,
    xaiRequestIdOnlyWhilePending: o.xaiRequestIdOnlyWhilePending ?? d.xaiRequestIdOnlyWhilePending,
    transientNotExist: o.transientNotExist ?? d.transientNotExist,
    tasksByKey: o.tasksByKey ?? d.tasksByKey,
    resultUrlTtlMs: o.resultUrlTtlMs ?? d.resultUrlTtlMs,
    expiredStatus: o.expiredStatus ?? d.expiredStatus,
    unknownPath: o.unknownPath ?? d.unknownPath,
    videoBytes: o.videoBytes ?? d.videoBytes,
    fileBytesPerSecond: o.fileBytesPerSecond !== undefined ? o.fileBytesPerSecond : d.fileBytesPerSecond,
    latencyMs: o.latencyMs ?? d.latencyMs,
    now: o.now ?? d.now,
    catalog: o.catalog ?? d.catalog
  }
}

export interface NewTask {
  id: string
  family: Family
  model: string
  responseModel?: string
  prompt: string
  apiKey: string
  externalId?: string | null
  action?: string | null
  params: Record<string, unknown>
  images: number
  /** SHA-256 of each inline image received (FakeTask.imageSha256). */
  imageSha256?: string[]
  /** Whether this family may answer task_not_exist right after create (Runway, Seedance). */
  transientCapable?: boolean
  remixedFrom?: string | null
}

export class FakeState {
  opts: ResolvedOptions
  readonly tasks = new Map<string, InternalTask>()
  readonly files = new FileStore()
  baseUrl = ''

  constructor(opts: ResolvedOptions) {
    this.opts = opts
  }

  now(): number {
    return this.opts.now()
  }

  durationFor(model: string): number {
    return this.opts.durations[model] ?? this.opts.durations['*'] ?? DEFAULT_DURATION_MS
  }

  createTask(n: NewTask): InternalTask {
    const magic = promptMagic(n.prompt)
    const task: InternalTask = {
      id: n.id,
      family: n.family,
      model: n.model,
      prompt: n.prompt,
      externalId: n.externalId ?? null,
      createdAt: this.now(),
      durationMs: this.durationFor(n.model) * (magic.slow ? 5 : 1),
      outcome: magic.outcome,
      params: n.params,
      images: n.images,
      imageSha256: n.imageSha256 ?? [],
      apiKey: n.apiKey,
      action: n.action ?? null,
      responseModel: n.responseModel ?? n.model,
      forcedAt: null,
      stall: magic.stall,
      ext: magic.ext,
      transientPending: (n.transientCapable ?? false) && this.opts.transientNotExist,
      remixedFrom: n.remixedFrom ?? null
    }
    this.tasks.set(task.id, task)
    return task
  }

  view(task: InternalTask): TaskView {
    return viewTask(task, this.now())
  }

  /** Fresh signed URL per poll (like real CDNs); `exp` is ms since epoch. */
  resultUrl(task: InternalTask): { url: string; exp: number } {
    const bytes = this.generatedBytes(task)
    if (bytes !== null) void this.files.generatedFile(bytes).catch(() => undefined)
    return this.signedUrl(`${task.id}.${task.ext}`, this.opts.resultUrlTtlMs)
  }

  signedUrl(name: string, ttlMs: number): { url: string; exp: number } {
    const exp = this.now() + ttlMs
    return { url: `${this.baseUrl}/files/${encodeURIComponent(name)}?exp=${exp}&sig=${this.files.sign(name, exp)}`, exp }
  }

  private generatedBytes(task: InternalTask): number | null {
    if (task.ext !== 'mp4') return null
    return this.opts.videoBytes[task.model] ?? this.opts.videoBytes['*'] ?? null
  }

  /** The file a finished task's result URL and /content serve. */
  async videoPath(task: InternalTask): Promise<string> {
    const bytes = this.generatedBytes(task)
    return bytes !== null ? this.files.generatedFile(bytes) : join(FIXTURE_DIR, `sample.${task.ext}`)
  }

  /** Kling: external ids are scoped to the key that created them. */
  findByExternalId(apiKey: string, externalId: string, family: Family): InternalTask | undefined {
    for (const t of this.tasks.values()) {
      if (t.family === family && t.apiKey === apiKey && t.externalId === externalId) return t
    }
    return undefined
  }
}
