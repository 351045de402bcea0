// The model catalog (`GET /api/models`, no auth): video models only, each mapped to its adapter
// family, with features, prices and rules. Cached on disk so the app works offline.
import { readFileSync } from 'node:fs'
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { GenerationMode, ProviderFamily } from '../../shared/jobs'
import type { CatalogModel, ModelPricing } from '../../shared/modelTypes'
import { rulesForModel } from '../../shared/modelRules'
import { familyForEndpointPath, familyForModelId } from '../adapters'
import type { CometClient } from '../http/cometClient'
import { type Clock, type Logger, sharedAbortController, sleep } from '../ports'

export interface Endpoint {
  path: string
  method: string
}

function asEndpoint(v: unknown): Endpoint | null {
  if (typeof v === 'string') {
    const t = v.trim()
    if (t.startsWith('{') || t.startsWith('[')) return null
    return t.startsWith('/') ? { path: t, method: 'POST' } : null
  }
  if (v && typeof v === 'object' && typeof (v as { path?: unknown }).path === 'string') {
    const e = v as { path: string; method?: unknown }
    return { path: e.path, method: typeof e.method === 'string' ? e.method.toUpperCase() : 'POST' }
  }
  return null
}

/**
 * Decodes the `endpoints` field in every form seen: a JSON string of an array of paths, of an
 * array of `{path, method}`, or of an object keyed by name whose values are `{path, method}` or
 * JSON strings again; or the same values already decoded.
 */
export function decodeEndpoints(raw: unknown, depth = 0): Endpoint[] {
  if (raw == null || depth > 4) return []
  if (typeof raw === 'string') {
    const t = raw.trim()
    if (!t) return []
    if (t.startsWith('[') || t.startsWith('{') || t.startsWith('"')) {
      try {
        return decodeEndpoints(JSON.parse(t), depth + 1)
      } catch {
        return []
      }
    }
    const one = asEndpoint(t)
    return one ? [one] : []
  }
  const values = Array.isArray(raw) ? raw : typeof raw === 'object' ? Object.values(raw as Record<string, unknown>) : []
  if (!Array.isArray(raw) && asEndpoint(raw)) return [asEndpoint(raw) as Endpoint]
  const out: Endpoint[] = []
  for (const v of values) {
    const e = asEndpoint(v)
    if (e) out.push(e)
    else out.push(...decodeEndpoints(v, depth + 1))
  }
  return out
}

const VIDEO_FEATURE = /(^|-)video(-|$)/i

function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v
  if (typeof v === 'string' && v.trim() && Number.isFinite(Number(v))) return Number(v)
  return null
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() ? v.trim() : null
}

function modesFrom(features: string[], fallback: readonly GenerationMode[]): GenerationMode[] {
  const modes: GenerationMode[] = []
  if (features.some((f) => /text-to-video|t2v/i.test(f))) modes.push('text-to-video')
  if (features.some((f) => /image-to-video|i2v/i.test(f))) modes.push('image-to-video')
  return modes.length ? modes : [...fallback]
}

export interface ParseCatalogResult {
  models: CatalogModel[]
  skipped: { id: string; reason: string }[]
}

/** Keeps video models and maps each to a family: endpoints first, then id prefix, then override. */
export function parseCatalog(body: unknown, overrides: Record<string, ProviderFamily> = {}): ParseCatalogResult {
  const rows = body && typeof body === 'object' ? (body as { data?: unknown }).data : undefined
  if (!Array.isArray(rows)) throw new Error('The model list from CometAPI has no data array.')
  const models: CatalogModel[] = []
  const skipped: { id: string; reason: string }[] = []
  for (const row of rows) {
    if (!row || typeof row !== 'object') continue
    const r = row as Record<string, unknown>
    const id = str(r.id) ?? str(r.code)
    if (!id) continue
    const features = Array.isArray(r.features) ? r.features.filter((f): f is string => typeof f === 'string') : []
    const endpoints = decodeEndpoints(r.endpoints)
    const endpointFamily = endpoints.map((e) => familyForEndpointPath(e.path)).find((f): f is ProviderFamily => !!f) ?? null
    const isVideo =
      str(r.model_type)?.toLowerCase() === 'video' || features.some((f) => VIDEO_FEATURE.test(f)) || endpointFamily !== null
    if (!isVideo) continue
    let family: ProviderFamily | null = endpointFamily
    let familySource: CatalogModel['familySource'] = 'endpoints'
    if (!family) {
      family = familyForModelId(id)
      familySource = 'prefix'
    }
    if (overrides[id]) {
      family = overrides[id]
      familySource = 'override'
    }
    if (!family) {
      skipped.push({ id, reason: 'no known video route for this model' })
      continue
    }
    const p = (r.pricing && typeof r.pricing === 'object' ? r.pricing : {}) as Record<string, unknown>
    const pricing: ModelPricing = { perSecond: num(p.per_second), perRequest: num(p.per_request), currency: str(p.currency) }
    const rules = rulesForModel(id, family)
    models.push({
      id,
      name: str(r.name) ?? id,
      vendor: str(r.provider) ?? str(r.provider_code) ?? family,
      family,
      familySource,
      features,
      modes: modesFrom(features, rules.modes),
      pricing,
      endpoints,
      upcoming: r.upcoming === true,
      available: true,
      unavailableReason: null,
      docUrl: str(r.api_doc_url),
      rules
    })
  }
  models.sort((a, b) => a.vendor.localeCompare(b.vendor) || a.id.localeCompare(b.id))
  return { models, skipped }
}

const VENDORS: [RegExp, string][] = [
  [/^sora/i, 'OpenAI'],
  [/^(doubao-)?seedance/i, 'ByteDance'],
  [/^veo/i, 'Google'],
  [/^wan/i, 'Alibaba'],
  [/^vidu/i, 'Vidu'],
  [/^happyhorse/i, 'HappyHorse'],
  [/^omni/i, 'CometAPI'],
  [/^kling/i, 'Kling'],
  [/^(gen3|gen4|runway)/i, 'Runway'],
  [/^grok/i, 'xAI']
]

/** Who makes a model, from its id, for models the catalog does not list. */
export function vendorForModelId(id: string): string | null {
  return VENDORS.find(([re]) => re.test(id))?.[1] ?? null
}

interface CacheFile {
  version: 1
  fetchedAt: number
  body: unknown
  unavailable: Record<string, string>
}

export interface CatalogOptions {
  client: CometClient
  cacheFile: string
  clock: Clock
  logger: Logger
  overrides?: Record<string, ProviderFamily>
  /** Refresh when the cache is older than this. */
  maxAgeMs?: number
}

export class Catalog {
  private list: CatalogModel[] = []
  private fetchedAt = 0
  private body: unknown = null
  private unavailable: Record<string, string> = {}
  private refreshing: Promise<void> | null = null
  private listeners = new Set<() => void>()

  constructor(private readonly o: CatalogOptions) {
    this.loadCache()
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  get lastFetchedAt(): number {
    return this.fetchedAt
  }

  models(): CatalogModel[] {
    return this.list
  }

  /** A model from the catalog, or one mapped by id prefix when the catalog does not list it (vendor guessed). */
  resolve(id: string): CatalogModel | null {
    const found = this.list.find((m) => m.id === id)
    if (found) return found
    const family = this.o.overrides?.[id] ?? familyForModelId(id)
    if (!family) return null
    const rules = rulesForModel(id, family)
    return {
      id,
      name: id,
      vendor: vendorForModelId(id) ?? family,
      family,
      familySource: this.o.overrides?.[id] ? 'override' : 'prefix',
      features: [],
      modes: [...rules.modes],
      pricing: { perSecond: null, perRequest: null, currency: null },
      endpoints: [],
      upcoming: false,
      available: !this.unavailable[id],
      unavailableReason: this.unavailable[id] ?? null,
      docUrl: null,
      rules
    }
  }

  private loadCache(): void {
    try {
      const cache = JSON.parse(readFileSync(this.o.cacheFile, 'utf8')) as CacheFile
      if (cache.version !== 1) return
      this.unavailable = cache.unavailable ?? {}
      this.apply(cache.body, cache.fetchedAt)
    } catch {
      // No cache yet (first run) or unreadable: the next refresh writes a new one.
    }
  }

  private apply(body: unknown, fetchedAt: number): void {
    const { models, skipped } = parseCatalog(body, this.o.overrides)
    for (const s of skipped) this.o.logger.log('debug', `catalog: skipped ${s.id}: ${s.reason}`)
    for (const m of models) {
      if (this.unavailable[m.id]) {
        m.available = false
        m.unavailableReason = this.unavailable[m.id]
      }
    }
    this.list = models
    this.body = body
    this.fetchedAt = fetchedAt
  }

  private async saveCache(): Promise<void> {
    const data: CacheFile = { version: 1, fetchedAt: this.fetchedAt, body: this.body, unavailable: this.unavailable }
    await mkdir(dirname(this.o.cacheFile), { recursive: true })
    const tmp = `${this.o.cacheFile}.${process.pid}.tmp`
    await writeFile(tmp, JSON.stringify(data))
    await rename(tmp, this.o.cacheFile)
  }

  isStale(): boolean {
    return this.o.clock.now() - this.fetchedAt > (this.o.maxAgeMs ?? 6 * 3600_000)
  }

  /** Fetches the list now; concurrent callers share one request. Throws ApiError when offline. */
  refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        const res = await this.o.client.call({ method: 'GET', path: '/api/models' }, { cls: 'urgent', action: 'catalog', auth: false })
        // A model that answered model-not-found and is listed again may be back: give it another chance.
        this.unavailable = {}
        this.apply(res.body, this.o.clock.now())
        await this.saveCache()
        for (const fn of this.listeners) fn()
      } finally {
        this.refreshing = null
      }
    })()
    return this.refreshing
  }

  /**
   * Refreshes the list when it is empty or stale (or `force`), the one rule every front end uses.
   * `onlyWhenEmpty` refreshes only a missing list; `waitMs` stops waiting (the refresh goes on).
   * Returns why it could not refresh, or null; the saved list keeps serving either way.
   */
  async ensureFresh(opts: { force?: boolean; onlyWhenEmpty?: boolean; waitMs?: number } = {}): Promise<string | null> {
    const empty = !this.list.length
    if (!opts.force && !empty && (opts.onlyWhenEmpty || !this.isStale())) return null
    const attempt = this.refresh().then(
      () => null,
      (err: unknown) => (err instanceof Error ? err.message : String(err))
    )
    if (opts.waitMs === undefined) return attempt
    const timer = sharedAbortController()
    const gaveUp = sleep(this.o.clock, opts.waitMs, timer.signal).then(
      () => 'CometAPI did not send the model list in time.',
      () => null
    )
    const problem = await Promise.race([attempt, gaveUp])
    timer.abort()
    return problem
  }

  private lastAttempt = 0

  /** Refreshes in the background when stale (at most once a minute); failures are logged, the cache keeps serving. */
  refreshInBackground(): void {
    if (!this.isStale() && this.list.length) return
    const now = this.o.clock.now()
    if (now - this.lastAttempt < 60_000) return
    this.lastAttempt = now
    void this.ensureFresh().then((problem) => {
      if (problem) this.o.logger.log('warn', `Model list refresh failed: ${problem}`)
    })
  }

  markUnavailable(id: string, reason: string): void {
    this.unavailable[id] = reason
    const m = this.list.find((x) => x.id === id)
    if (m) {
      m.available = false
      m.unavailableReason = reason
    }
    void this.saveCache().catch(() => {})
    for (const fn of this.listeners) fn()
  }
}
