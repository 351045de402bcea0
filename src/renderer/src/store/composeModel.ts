// Compose form logic without React: the draft, the spec it becomes, and which errors to show.
import { applyDefaults, validateSpec } from '../shared'
import type { CatalogModel, FieldError, GenerationMode, ImageCard, JobSpec, ModelRules, RememberedFields } from '../shared'

export interface ComposeDraft {
  model: string | null
  mode: GenerationMode
  prompt: string
  negativePrompt: string
  /** null = the model's default. */
  seconds: number | null
  size: string
  aspectRatio: string
  resolution: string
  /** Kept as typed so a half-typed number is not lost. */
  seed: string
  images: ImageCard[]
  /** Extra wire fields carried over from a duplicated job. */
  params?: Record<string, string | number | boolean>
}

export function emptyDraft(model: string | null = null): ComposeDraft {
  return { model, mode: 'text-to-video', prompt: '', negativePrompt: '', seconds: null, size: '', aspectRatio: '', resolution: '', seed: '', images: [] }
}

/** Keeps what the new model accepts, drops what it does not. */
export function adaptDraftToModel(draft: ComposeDraft, model: CatalogModel): ComposeDraft {
  const r = model.rules
  const modes = r.modes.length > 0 ? r.modes : model.modes
  const keepChoice = (value: string, rule: ModelRules['size']): string => (rule && value !== '' && (rule.open || rule.allowed.includes(value)) ? value : '')
  const secondsOk = (v: number | null): boolean =>
    v !== null && r.seconds !== undefined && v >= r.seconds.min && v <= r.seconds.max && (!r.seconds.allowed || r.seconds.allowed.includes(v))
  return {
    ...draft,
    model: model.id,
    mode: modes.includes(draft.mode) ? draft.mode : (modes[0] ?? 'text-to-video'),
    negativePrompt: r.negativePrompt ? draft.negativePrompt : '',
    seconds: secondsOk(draft.seconds) ? draft.seconds : null,
    size: keepChoice(draft.size, r.size),
    aspectRatio: keepChoice(draft.aspectRatio, r.aspectRatio),
    resolution: keepChoice(draft.resolution, r.resolution),
    seed: r.seed ? draft.seed : '',
    images: r.images.max > 0 ? draft.images.slice(0, r.images.max) : []
  }
}

/**
 * A model chosen in Compose: what the form holds and the model accepts stays; every other field
 * starts from what the person last sent this model with (when the model still accepts it).
 */
export function draftForModel(draft: ComposeDraft, model: CatalogModel, remembered: RememberedFields | undefined): ComposeDraft {
  const kept = adaptDraftToModel(draft, model)
  if (!remembered) return kept
  const recalled = adaptDraftToModel(
    {
      ...kept,
      seconds: remembered.seconds ?? null,
      size: remembered.size ?? '',
      aspectRatio: remembered.aspectRatio ?? '',
      resolution: remembered.resolution ?? ''
    },
    model
  )
  // The mode stays as the form has it: images are not remembered, so a recalled image-to-video
  // would only leave an empty image slot that Generate refuses.
  return {
    ...kept,
    seconds: kept.seconds ?? recalled.seconds,
    size: kept.size || recalled.size,
    aspectRatio: kept.aspectRatio || recalled.aspectRatio,
    resolution: kept.resolution || recalled.resolution
  }
}

/** The remembered fields of one model (own keys only: a model id is never looked up on the prototype). */
export function rememberedFor(all: Record<string, RememberedFields> | undefined, model: string): RememberedFields | undefined {
  return all && Object.hasOwn(all, model) ? all[model] : undefined
}

/** The fields of a sent spec worth opening with next time. */
export function rememberedOf(spec: JobSpec): RememberedFields {
  const out: RememberedFields = {}
  if (spec.seconds != null) out.seconds = spec.seconds
  if (spec.size) out.size = spec.size
  if (spec.aspectRatio) out.aspectRatio = spec.aspectRatio
  if (spec.resolution) out.resolution = spec.resolution
  return out
}

/** `all` with `model`'s fields updated (most recent last), keeping at most `max` models. */
export function rememberFields(all: Record<string, RememberedFields>, model: string, fields: RememberedFields, max: number): Record<string, RememberedFields> {
  const rest = Object.entries(all).filter(([id]) => id !== model)
  return Object.fromEntries([...rest.slice(Math.max(0, rest.length - (max - 1))), [model, fields]])
}

/** The spec exactly as the user filled it (no defaults), for the model given. */
export function specFromDraft(draft: ComposeDraft, rules: ModelRules): JobSpec {
  const spec: JobSpec = { model: draft.model ?? '', prompt: draft.prompt }
  if (rules.negativePrompt && draft.negativePrompt.trim() !== '') spec.negativePrompt = draft.negativePrompt
  if (rules.seconds && draft.seconds !== null) spec.seconds = draft.seconds
  if (rules.size && draft.size.trim() !== '') spec.size = draft.size.trim()
  if (rules.aspectRatio && draft.aspectRatio.trim() !== '') spec.aspectRatio = draft.aspectRatio.trim()
  if (rules.resolution && draft.resolution.trim() !== '') spec.resolution = draft.resolution.trim()
  if (rules.seed && draft.seed.trim() !== '') spec.seed = Number(draft.seed.trim())
  if (draft.mode === 'image-to-video' && draft.images.length > 0) spec.images = draft.images.map((c) => c.path)
  if (draft.params && Object.keys(draft.params).length > 0) spec.params = { ...draft.params }
  return spec
}

/** What would be sent: the user's values plus the model's documented defaults. */
export function finalSpec(draft: ComposeDraft, rules: ModelRules): JobSpec {
  return applyDefaults(specFromDraft(draft, rules), rules)
}

/** The same checks the engine runs, plus "image-to-video needs an image". */
export function draftErrors(draft: ComposeDraft, rules: ModelRules): FieldError[] {
  const images = draft.mode === 'image-to-video' ? draft.images.map((c) => c.info) : []
  const errors = validateSpec(finalSpec(draft, rules), rules, images)
  if (draft.mode === 'image-to-video' && draft.images.length === 0 && !errors.some((e) => e.field === 'images')) {
    errors.push({ field: 'images', code: 'images.tooFew', message: 'Image-to-video starts from a picture: add an image.', params: { actual: 0, min: 1, max: rules.images.max } })
  }
  return errors
}

/** Errors about something not filled in yet wait until the first submit; real mistakes show at once. */
export function isIncompleteError(error: FieldError): boolean {
  return error.code === 'prompt.empty' || error.code === 'images.tooFew' || error.code === 'model.empty'
}

export function visibleErrors(errors: FieldError[], attempted: boolean): FieldError[] {
  return attempted ? errors : errors.filter((e) => !isIncompleteError(e))
}

/** Errors for one field (`images` also collects `images[0]`…). */
export function errorsFor(errors: FieldError[], field: string): FieldError[] {
  return errors.filter((e) => e.field === field || (field === 'images' && e.field.startsWith('images[')))
}

/** A draft from an earlier job's spec (duplicate / generate again). Images are resolved separately. */
export function draftFromSpec(spec: Partial<JobSpec>, model: CatalogModel | undefined): ComposeDraft {
  const draft: ComposeDraft = {
    ...emptyDraft(spec.model ?? null),
    prompt: spec.prompt ?? '',
    negativePrompt: spec.negativePrompt ?? '',
    seconds: spec.seconds ?? null,
    size: spec.size ?? '',
    aspectRatio: spec.aspectRatio ?? '',
    resolution: spec.resolution ?? '',
    seed: spec.seed !== undefined ? String(spec.seed) : '',
    mode: spec.images && spec.images.length > 0 ? 'image-to-video' : 'text-to-video',
    params: spec.params
  }
  return model ? adaptDraftToModel(draft, model) : draft
}

/** Length as the validator counts it (code points). */
export function promptLength(text: string): number {
  let n = 0
  for (const _ of text) n++
  return n
}
