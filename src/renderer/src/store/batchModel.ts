// Batch logic without React: merging dropped cards, duplicates, which cards become jobs, and their specs.
import { applyDefaults, estimateCost, validateSpec } from '../shared'
import type { CatalogModel, FieldError, ImageCard, JobSpec } from '../shared'

export interface BatchSettings {
  seconds: number | null
  size: string
  aspectRatio: string
  resolution: string
}

export interface BatchData {
  cards: ImageCard[]
  /** Own prompt per card path (empty = the shared prompt). */
  prompts: Record<string, string>
  /** Duplicates the user chose to keep anyway. */
  keepDuplicates: ReadonlySet<string>
  sharedPrompt: string
  settings: BatchSettings
  /** Problems the engine reported for a card on create, by path. */
  createErrors: Record<string, FieldError[]>
}

/** Appends new cards (skipping paths already present) and re-marks duplicates across all of them. */
export function mergeCards(existing: ImageCard[], incoming: ImageCard[]): ImageCard[] {
  const seen = new Set(existing.map((c) => c.path))
  const merged = [...existing]
  for (const card of incoming) {
    if (seen.has(card.path)) continue
    seen.add(card.path)
    merged.push(card)
  }
  return markDuplicates(merged)
}

/** The first card with a given content hash is the original; later ones point at it. */
export function markDuplicates(cards: ImageCard[]): ImageCard[] {
  const firstByHash = new Map<string, string>()
  return cards.map((card) => {
    const first = firstByHash.get(card.hash)
    if (first === undefined) {
      firstByHash.set(card.hash, card.path)
      return card.duplicateOf === null ? card : { ...card, duplicateOf: null }
    }
    return card.duplicateOf === first ? card : { ...card, duplicateOf: first }
  })
}

export type CardStatus = 'ready' | 'duplicate' | 'problem'

export function cardStatus(card: ImageCard, data: Pick<BatchData, 'keepDuplicates' | 'createErrors'>): CardStatus {
  if (card.problems.length > 0 || (data.createErrors[card.path]?.length ?? 0) > 0) return 'problem'
  if (card.duplicateOf !== null && !data.keepDuplicates.has(card.path)) return 'duplicate'
  return 'ready'
}

export function usableCards(data: BatchData): ImageCard[] {
  return data.cards.filter((c) => cardStatus(c, data) === 'ready')
}

export function promptFor(card: ImageCard, data: Pick<BatchData, 'prompts' | 'sharedPrompt'>): string {
  const own = data.prompts[card.path]
  return own !== undefined && own.trim() !== '' ? own : data.sharedPrompt
}

export function batchSpec(card: ImageCard, data: BatchData, model: CatalogModel): JobSpec {
  const r = model.rules
  const spec: JobSpec = { model: model.id, prompt: promptFor(card, data), images: [card.path] }
  const s = data.settings
  if (r.seconds && s.seconds !== null) spec.seconds = s.seconds
  if (r.size && s.size) spec.size = s.size
  if (r.aspectRatio && s.aspectRatio) spec.aspectRatio = s.aspectRatio
  if (r.resolution && s.resolution) spec.resolution = s.resolution
  return applyDefaults(spec, r)
}

export interface BatchPlan {
  cards: ImageCard[]
  specs: JobSpec[]
  /** Sum of the priced jobs. */
  total: number
  unpriced: number
}

export function planBatch(data: BatchData, model: CatalogModel): BatchPlan {
  const cards = usableCards(data)
  const specs = cards.map((c) => batchSpec(c, data, model))
  let total = 0
  let unpriced = 0
  for (const spec of specs) {
    const cost = estimateCost(model.pricing, model.rules, spec)
    if (cost === null) unpriced++
    else total += cost
  }
  return { cards, specs, total: Math.round(total * 1e6) / 1e6, unpriced }
}

export function batchCounts(data: BatchData): Record<CardStatus, number> {
  const counts: Record<CardStatus, number> = { ready: 0, duplicate: 0, problem: 0 }
  for (const c of data.cards) counts[cardStatus(c, data)]++
  return counts
}

/** Replaces a card by path (after a resize/crop) keeping its own prompt. */
export function replaceCard(data: Pick<BatchData, 'cards' | 'prompts'>, oldPath: string, card: ImageCard): Pick<BatchData, 'cards' | 'prompts'> {
  const cards = markDuplicates(data.cards.map((c) => (c.path === oldPath ? { ...card, duplicateOf: null } : c)))
  const prompts = { ...data.prompts }
  if (prompts[oldPath] !== undefined) {
    prompts[card.path] = prompts[oldPath]
    delete prompts[oldPath]
  }
  return { cards, prompts }
}

/**
 * Problems that are not about one image (an empty or too long prompt), one of each kind, so the
 * batch can say "write a prompt" once instead of on every card. Image checks stay with main.
 */
export function planIssues(plan: BatchPlan, model: CatalogModel): FieldError[] {
  const seen = new Map<string, FieldError>()
  for (const spec of plan.specs) {
    for (const e of validateSpec({ ...spec, images: undefined }, model.rules, [])) {
      if (e.field.startsWith('images') || seen.has(e.code)) continue
      seen.set(e.code, e)
    }
  }
  return [...seen.values()]
}
