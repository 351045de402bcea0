// Turning specs into jobs: every spec checked against its model first (all or nothing), priced,
// held above the daily cap unless confirmed, and written in one transaction before any network call.
import type { CreateJobsReply, JobSpec, Lineage } from '../../shared/jobs'
import { msg, type Message } from '../../shared/messages'
import { currencyCode } from '../../shared/money'
import type { FieldError } from '../../shared/modelTypes'
import { estimateCost } from '../../shared/validation'
import { adapterFor } from '../adapters'
import type { Catalog } from '../catalog/catalog'
import { ImageReadError, probeImage } from '../images/imageProbe'
import type { KeyProfiles } from '../secrets/keyProfiles'
import { dayKey, type SpendLedger } from './spendLedger'
import { newId, type StagePorts } from './stagePorts'

export interface CreateJobsInput {
  specs: JobSpec[]
  batchId?: string | null
  parentId?: string | null
  /** One parent per spec (a retry of many jobs at once); wins over `parentId`. */
  parentIds?: (string | null)[]
  lineage?: Lineage | null
  /** The person confirmed spending above the daily cap. */
  confirmOverBudget?: boolean
  /** The named key to send them with (its profile id); the default key when absent. */
  keyId?: string | null
  /** One key per spec (a retry of jobs sent with different keys); wins over `keyId`. */
  keyIds?: (string | null)[]
  /** Runs in the transaction that writes the jobs, with each new job's id and parent: may refuse (throw). */
  guard?: (created: { id: string; parentId: string | null }[]) => void
}

export type CreationPorts = Pick<StagePorts, 'clock' | 'hub' | 'catalog' | 'settings'> & { ledger: SpendLedger; keys: Pick<KeyProfiles, 'get' | 'defaultId'> }

/** How long a first run waits for the model list before pricing jobs without it. */
const CATALOG_WAIT_MS = 5000
/** Image headers are read from disk a few at a time, so a 1,000-image batch is not 1,000 waits in a row. */
const VALIDATION_WORKERS = 16

/** Checks a spec against its model before anything is sent. Reads image headers only. */
export async function validateSpec(catalog: Catalog, spec: JobSpec): Promise<FieldError[]> {
  const model = catalog.resolve(spec.model)
  if (!model) {
    return [{ field: 'model', code: 'model.unknown', message: `The model "${spec.model}" is not in the CometAPI catalog. Refresh the model list or pick another model.`, params: { model: spec.model } }]
  }
  if (!model.available) {
    return [{ field: 'model', code: 'model.unavailable', message: `The model ${spec.model} is not available right now: ${model.unavailableReason ?? 'CometAPI says so'}. Pick another model.`, params: { model: spec.model } }]
  }
  if (model.upcoming) {
    return [{ field: 'model', code: 'model.upcoming', message: `The model ${spec.model} is announced but not callable yet. Pick another model.`, params: { model: spec.model } }]
  }
  const infos = []
  const problems: FieldError[] = []
  for (const [i, path] of (spec.images ?? []).entries()) {
    try {
      infos.push(await probeImage(path))
    } catch (err) {
      problems.push({ field: `images[${i}]`, code: 'image.unreadable', message: err instanceof ImageReadError ? err.message : `Could not read ${path}.`, params: { path } })
    }
  }
  if (problems.length) return problems
  if (spec.remixOf && !model.rules.remix) {
    return [{ field: 'model', code: 'model.noRemix', message: `${spec.model} cannot remix videos. Remix works with Sora 2 models.`, params: { model: spec.model } }]
  }
  // The adapter runs the shared rule checks (the same the renderer shows) plus its family's own.
  return adapterFor(model.family).validate(spec, model.rules, infos)
}

export function estimateSpec(catalog: Catalog, spec: JobSpec): number | null {
  const model = catalog.resolve(spec.model)
  return model ? estimateCost(model.pricing, model.rules, spec) : null
}

/** Validates every spec, then writes all jobs in one transaction (held above the cap) before any network call. */
export async function createJobs(ports: CreationPorts, input: CreateJobsInput): Promise<CreateJobsReply> {
  const { catalog, clock } = ports
  // Prices and vendors come from the catalog: on a first run, fetch it before pricing jobs.
  await catalog.ensureFresh({ onlyWhenEmpty: true, waitMs: CATALOG_WAIT_MS })
  if (!input.specs.length) return { ok: false, errors: [{ index: 0, errors: [{ field: 'specs', code: 'batch.empty', message: 'Nothing to create.' }] }] }
  const checked = await validateAll(catalog, input.specs)
  // Every job names the key it goes with; a key that does not exist is a problem of that job.
  const defaultKey = ports.keys.defaultId()
  const keyIds = input.specs.map((_, i) => input.keyIds?.[i] ?? input.keyId ?? defaultKey)
  keyIds.forEach((keyId, i) => {
    if (!ports.keys.get(keyId)) checked[i] = [...checked[i], { field: 'key', code: 'keyProfile.unknown', message: msg('keyProfile.unknown', { key: keyId }).text, params: { key: keyId } }]
  })
  const errors = checked.flatMap((problems, index) => (problems.length ? [{ index, errors: problems }] : []))
  if (errors.length) return { ok: false, errors }
  const now = clock.now()
  const costs = input.specs.map((s) => estimateSpec(catalog, s))
  const known = costs.filter((c): c is number => c != null)
  const estimate = known.length ? known.reduce((a, b) => a + b, 0) : null
  const unpriced = costs.length - known.length
  // CometAPI bills in one currency; the catalog names it with each price.
  const currency = currencyCode(input.specs.map((sp) => catalog.resolve(sp.model)?.pricing.currency).find((c) => c) ?? null)
  const note = input.confirmOverBudget ? null : (capNote(ports, input.specs.length, estimate, unpriced, currency, now) ?? keyCapNote(ports, keyIds, costs, currency, now))
  const batchId = input.batchId ?? (input.specs.length > 1 ? newId('b', now) : null)
  const rows = input.specs.map((spec, i) => {
      const model = catalog.resolve(spec.model)!
      const id = newId('j', now)
      return {
        id,
        batchId,
        parentId: input.parentIds?.[i] ?? input.parentId ?? null,
        lineage: input.lineage ?? null,
        model: spec.model,
        provider: model.family,
        vendor: model.vendor,
        spec: normalizeSpec(spec),
        externalId: `cvs-${id}`,
        keyId: keyIds[i],
        estimatedCost: costs[i],
        note,
        createdAt: now + i
      }
    })
  const guard = input.guard
  const jobs = ports.hub.insert(rows, note ? 'create.hold' : 'create.queue', guard ? () => guard(rows.map((r) => ({ id: r.id, parentId: r.parentId }))) : undefined)
  return { ok: true, jobs, held: note !== null, estimate, note: note?.text ?? null }
}

async function validateAll(catalog: Catalog, specs: JobSpec[]): Promise<FieldError[][]> {
  let next = 0
  const checked = new Array<FieldError[]>(specs.length)
  const worker = async (): Promise<void> => {
    while (next < specs.length) {
      const i = next++
      checked[i] = await validateSpec(catalog, specs[i])
    }
  }
  await Promise.all(Array.from({ length: Math.min(VALIDATION_WORKERS, specs.length) }, worker))
  return checked
}

/**
 * Why the batch is held under a daily cap: it would take today's spend above it, or some of its
 * jobs have no known price (they would slip past the cap unseen).
 */
function capNote(ports: Pick<CreationPorts, 'ledger' | 'settings'>, count: number, estimate: number | null, unpriced: number, currency: string, now: number): Message | null {
  const cap = ports.settings.current.dailyBudget
  if (cap == null) return null
  const spent = ports.ledger.totalForDay(dayKey(now)) + ports.ledger.pendingEstimate()
  const total = spent + (estimate ?? 0)
  // Amounts go as numbers with their currency: each language writes them its own way.
  const cents = (n: number): number => Math.round(n * 1e4) / 1e4
  if (total > cap) return msg(count === 1 ? 'held.overCapOne' : 'held.overCap', { count, estimate: cents(estimate ?? 0), total: cents(total), cap, currency })
  if (unpriced > 0) return msg('held.priceUnknown', { count: unpriced, cap, currency })
  return null
}

/** Why the batch is held under a key's own daily cap (the first key it would take over its cap). */
function keyCapNote(ports: Pick<CreationPorts, 'ledger' | 'keys'>, keyIds: string[], costs: (number | null)[], currency: string, now: number): Message | null {
  const cents = (n: number): number => Math.round(n * 1e4) / 1e4
  for (const keyId of new Set(keyIds)) {
    const profile = ports.keys.get(keyId)
    const cap = profile?.dailyCap
    if (!profile || cap == null) continue
    const mine = keyIds.flatMap((k, i) => (k === keyId ? [costs[i]] : []))
    const estimate = mine.reduce<number>((a, c) => a + (c ?? 0), 0)
    const unpriced = mine.filter((c) => c == null).length
    const total = ports.ledger.totalForDay(dayKey(now), keyId) + ports.ledger.pendingEstimate(keyId) + estimate
    if (total > cap) return msg(mine.length === 1 ? 'held.overKeyCapOne' : 'held.overKeyCap', { count: mine.length, key: profile.label, estimate: cents(estimate), total: cents(total), cap, currency })
    if (unpriced > 0) return msg('held.priceUnknown', { count: unpriced, cap, currency })
  }
  return null
}

/** Drops empty optional fields so stored specs are tidy and comparable. */
export function normalizeSpec(spec: JobSpec): JobSpec {
  const out: JobSpec = { model: spec.model.trim(), prompt: spec.prompt }
  if (spec.negativePrompt?.trim()) out.negativePrompt = spec.negativePrompt
  if (spec.seconds != null) out.seconds = spec.seconds
  if (spec.size) out.size = spec.size
  if (spec.aspectRatio) out.aspectRatio = spec.aspectRatio
  if (spec.resolution) out.resolution = spec.resolution
  if (spec.seed != null) out.seed = spec.seed
  if (spec.images?.length) out.images = [...spec.images]
  if (spec.remixOf) out.remixOf = spec.remixOf
  if (spec.params && Object.keys(spec.params).length) out.params = { ...spec.params }
  return out
}
