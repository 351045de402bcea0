// Batch logic without React: merging dropped cards, duplicates, which cards become jobs, and their specs.
import { applyDefaults, estimateCost, fixTarget, parseWxH, sizeForImage, validateSpec } from '../shared'
import type { CatalogModel, FieldError, FixTarget, ImageCard, JobSpec } from '../shared'

export interface BatchSettings {
  seconds: number | null
  /** '' = the model's default, or, for a model whose reference image must match the size, each image's own orientation. */
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

/** A card against the batch's model and settings: what is wrong with it and the fix, if any. */
export interface CardCheck {
  problems: FieldError[]
  fix: FixTarget | null
}

type CheckData = Pick<BatchData, 'createErrors' | 'settings' | 'prompts' | 'sharedPrompt'>

/**
 * The model wants the reference image at exactly the video's size (Sora) and offers both
 * orientations: an empty Size then means "each image at the size of its own orientation".
 */
export function sizePerImage(model: CatalogModel): boolean {
  const r = model.rules
  if (!r.images.mustMatchSize || !r.size) return false
  const shapes = r.size.allowed.map(parseWxH).filter((t) => t !== null)
  return shapes.some((t) => t.width > t.height) && shapes.some((t) => t.width < t.height)
}

/**
 * The checks main runs on create, run here on the spec this card would be sent with, so a card's
 * status follows the Size (and the other settings) the person picks. Without a model, the problems
 * main found when the card was dropped.
 */
export function checkCard(card: ImageCard, data: CheckData, model?: CatalogModel | null): CardCheck {
  const created = data.createErrors[card.path] ?? []
  if (!model) return { problems: [...card.problems, ...created], fix: card.problems.length > 0 ? card.fix : null }
  const spec = batchSpec(card, data, model)
  const local = validateSpec(spec, model.rules, [card.info]).filter((e) => e.field.startsWith('images'))
  const problems = [...local, ...created.filter((e) => !local.some((l) => l.code === e.code))]
  return { problems, fix: problems.length > 0 ? fixTarget(card.info, spec, model.rules) : null }
}

export function statusOf(card: ImageCard, problems: readonly FieldError[], keptAnyway: boolean): CardStatus {
  if (problems.length > 0) return 'problem'
  if (card.duplicateOf !== null && !keptAnyway) return 'duplicate'
  return 'ready'
}

export function cardStatus(card: ImageCard, data: Pick<BatchData, 'keepDuplicates'> & CheckData, model?: CatalogModel | null): CardStatus {
  return statusOf(card, checkCard(card, data, model).problems, data.keepDuplicates.has(card.path))
}

export function usableCards(data: BatchData, model?: CatalogModel | null): ImageCard[] {
  return data.cards.filter((c) => cardStatus(c, data, model) === 'ready')
}

/** Cards that need a resize/crop the app can make (duplicates left out: they are skipped anyway). */
export function fixableCards(data: BatchData, model: CatalogModel | null | undefined): { card: ImageCard; fix: FixTarget }[] {
  const out: { card: ImageCard; fix: FixTarget }[] = []
  for (const card of data.cards) {
    if (card.duplicateOf !== null && !data.keepDuplicates.has(card.path)) continue
    const { fix } = checkCard(card, data, model)
    if (fix) out.push({ card, fix })
  }
  return out
}

export function promptFor(card: ImageCard, data: Pick<BatchData, 'prompts' | 'sharedPrompt'>): string {
  const own = data.prompts[card.path]
  return own !== undefined && own.trim() !== '' ? own : data.sharedPrompt
}

export function batchSpec(card: ImageCard, data: Pick<BatchData, 'settings' | 'prompts' | 'sharedPrompt'>, model: CatalogModel): JobSpec {
  const r = model.rules
  const spec: JobSpec = { model: model.id, prompt: promptFor(card, data), images: [card.path] }
  const s = data.settings
  if (r.seconds && s.seconds !== null) spec.seconds = s.seconds
  if (r.size && s.size) spec.size = s.size
  else if (r.size && sizePerImage(model) && card.info.width && card.info.height) spec.size = sizeForImage(r, card.info.width, card.info.height)
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
  const cards = usableCards(data, model)
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

export function batchCounts(data: BatchData, model?: CatalogModel | null): Record<CardStatus, number> {
  const counts: Record<CardStatus, number> = { ready: 0, duplicate: 0, problem: 0 }
  for (const c of data.cards) counts[cardStatus(c, data, model)]++
  return counts
}

/** How many jobs go out at each size, largest group first ("4 × 1280x720, 4 × 720x1280"). */
export function sizesOf(plan: BatchPlan): { size: string; count: number }[] {
  const counts = new Map<string, number>()
  for (const spec of plan.specs) if (spec.size) counts.set(spec.size, (counts.get(spec.size) ?? 0) + 1)
  return [...counts].map(([size, count]) => ({ size, count })).sort((a, b) => b.count - a.count || a.size.localeCompare(b.size))
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
