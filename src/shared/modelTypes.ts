// What a model accepts and what it costs. Used by the engine to validate before any network
// call and by the renderer to show only the choices a model accepts.
import type { GenerationMode, ProviderFamily } from './jobs'

export type ImageType = 'png' | 'jpeg' | 'webp' | 'gif' | 'bmp'

export interface ChoiceRule<T extends string | number> {
  allowed: readonly T[]
  default?: T
  /** True when `allowed` only lists suggestions and any value is sent as is (models the app does not know). */
  open?: boolean
}

export interface RangeRule {
  min: number
  max: number
  /** When set, only these values in [min, max] (e.g. 4, 8, 12). */
  allowed?: readonly number[]
  default?: number
  integer?: boolean
}

export interface ImageRules {
  /** How many images the model accepts (0 = text-to-video only). */
  min: number
  max: number
  types: readonly ImageType[]
  maxBytes: number
  minWidth?: number
  minHeight?: number
  maxWidth?: number
  maxHeight?: number
  /** Sora: the reference image must have exactly the pixel size of `size`. */
  mustMatchSize?: boolean
  /** Allowed width/height ratio range, e.g. Kling Omni 1/2.5 .. 2.5. */
  minAspect?: number
  maxAspect?: number
}

export interface ModelRules {
  family: ProviderFamily
  /** A short key naming the rule set (e.g. `sora-2`, `seedance-2`, `generic-v1-videos`). */
  ruleSet: string
  modes: readonly GenerationMode[]
  /** `required`: always; `requiredWithoutImages`: for text-to-video only (Kling). */
  prompt: { required: boolean; requiredWithoutImages?: boolean; max: number }
  negativePrompt?: { max: number }
  seconds?: RangeRule
  size?: ChoiceRule<string>
  aspectRatio?: ChoiceRule<string>
  resolution?: ChoiceRule<string>
  seed?: { min: number; max: number }
  images: ImageRules
  /** Sora remix (`POST /v1/videos/{id}/remix`). */
  remix?: boolean
}

export interface ModelPricing {
  perSecond: number | null
  perRequest: number | null
  currency: string | null
}

export interface CatalogModel {
  id: string
  name: string
  vendor: string
  family: ProviderFamily
  /** How the family was chosen: from the catalog's endpoints, a known id prefix, or an explicit override. */
  familySource: 'endpoints' | 'prefix' | 'override'
  features: string[]
  modes: GenerationMode[]
  pricing: ModelPricing
  endpoints: { path: string; method: string }[]
  upcoming: boolean
  /** False after the API answered model-not-found for it; old library items keep working. */
  available: boolean
  unavailableReason: string | null
  docUrl: string | null
  rules: ModelRules
}

/** A validation problem, reported against the field it concerns. */
export interface FieldError {
  /** `prompt`, `negativePrompt`, `seconds`, `size`, `aspectRatio`, `resolution`, `seed`, `images`, `images[0]`, `model`, `params.x` */
  field: string
  /** Stable code the renderer translates (e.g. `prompt.tooLong`, `image.tooSmall`). */
  code: string
  /** English sentence for logs and the CLI; says what is allowed. */
  message: string
  /** The allowed values, when the field has a fixed set. */
  allowed?: readonly (string | number)[]
  /** Values for the translated message (limit, actual, ...). */
  params?: Record<string, string | number>
}

/** What the engine learned from an image file's header (never a full decode). */
export interface ImageInfo {
  path: string
  type: ImageType | null
  bytes: number
  width: number | null
  height: number | null
}
