// The documented limits of each known video model (test/fixtures/cometapi/API.md), so a job is
// checked before any upload. Models the app does not know get their family's permissive
// defaults: the server stays the judge of what it has not documented.
import type { GenerationMode, ProviderFamily } from './jobs'
import type { ImageRules, ImageType, ModelRules } from './modelTypes'

const MB = 1024 * 1024

/** Multipart uploads (`/v1/videos`): no documented cap, so only stop files no gateway takes. */
const MULTIPART_MAX_BYTES = 20 * MB
/** Images inlined as base64 in a JSON body grow by a third; keep bodies well under common proxy limits. */
const JSON_IMAGE_MAX_BYTES = 10 * MB
/** Kling: "≤ 10 MB" on the image-to-video page. */
const KLING_MAX_BYTES = 10 * MB
/**
 * Runway forwards `promptImage` upstream, whose data-URI limit is 5 MB (docs.dev.runwayml.com,
 * assets/inputs). Base64 is 4/3 the size, so the file itself must stay under ~3.7 MB.
 */
const RUNWAY_MAX_BYTES = Math.floor(((5 * 1000 * 1000 - 64) * 3) / 4)

/** No limit is documented outside Sora's 32000 ([OAI]); use it so only absurd input is refused early. */
const DEFAULT_PROMPT_MAX = 32000

const BOTH: readonly GenerationMode[] = ['text-to-video', 'image-to-video']
const TEXT_ONLY: readonly GenerationMode[] = ['text-to-video']
const IMAGE_ONLY: readonly GenerationMode[] = ['image-to-video']

const JPEG_PNG_WEBP: readonly ImageType[] = ['jpeg', 'png', 'webp']

const NO_IMAGES: ImageRules = { min: 0, max: 0, types: JPEG_PNG_WEBP, maxBytes: MULTIPART_MAX_BYTES }

function multipartImages(max: number, extra: Partial<ImageRules> = {}): ImageRules {
  return { min: 0, max, types: JPEG_PNG_WEBP, maxBytes: MULTIPART_MAX_BYTES, ...extra }
}

const SEEDANCE_RATIOS = ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16'] as const
const ASPECT_7 = ['16:9', '9:16', '1:1', '4:3', '3:4', '3:2', '2:3'] as const

// Sora: the older page allows 4/8/12, the newer 4..20; accept both generations.
const SORA_SECONDS = { min: 4, max: 20, allowed: [4, 8, 12, 16, 20], default: 4, integer: true }

const sora2: ModelRules = {
  family: 'openai-videos',
  ruleSet: 'sora-2',
  modes: BOTH,
  prompt: { required: true, max: 32000 },
  seconds: SORA_SECONDS,
  // CometAPI suggests 1280x720 as the starting size; its own server default is not stated.
  size: { allowed: ['720x1280', '1280x720'], default: '1280x720' },
  images: multipartImages(1, { mustMatchSize: true }),
  remix: true
}

const sora2Pro: ModelRules = {
  ...sora2,
  ruleSet: 'sora-2-pro',
  size: { allowed: ['720x1280', '1280x720', '1024x1792', '1792x1024'], default: '1280x720' }
}

function seedance(
  ruleSet: string,
  seconds: [number, number],
  resolutions: readonly string[],
  acceptsImage: boolean
): ModelRules {
  return {
    family: 'openai-videos',
    ruleSet,
    modes: acceptsImage ? BOTH : TEXT_ONLY,
    prompt: { required: true, max: DEFAULT_PROMPT_MAX },
    seconds: { min: seconds[0], max: seconds[1], default: 5, integer: true },
    // Seedance's `size` is a ratio label, not WxH (the Seedance page; the guide's WxH example is unresolved).
    size: { allowed: SEEDANCE_RATIOS, default: '16:9' },
    resolution: { allowed: resolutions, default: '720p' },
    images: acceptsImage ? multipartImages(1) : NO_IMAGES
  }
}

const veo3: ModelRules = {
  family: 'openai-videos',
  ruleSet: 'veo3',
  modes: BOTH,
  prompt: { required: true, max: DEFAULT_PROMPT_MAX },
  seconds: { min: 4, max: 8, allowed: [4, 6, 8], default: 8, integer: true },
  // An orientation hint written with an `x`, not a colon.
  size: { allowed: ['16x9', '9x16'], default: '16x9' },
  // 0 = text-to-video, 1 = image-to-video, 2 = first and last frame (in order).
  images: multipartImages(2)
}

function textOnlyWxH(ruleSet: string, seconds: ModelRules['seconds'], sizes: readonly string[], def: string): ModelRules {
  return {
    family: 'openai-videos',
    ruleSet,
    modes: TEXT_ONLY,
    prompt: { required: true, max: DEFAULT_PROMPT_MAX },
    seconds,
    size: { allowed: sizes, default: def },
    images: NO_IMAGES
  }
}

const wan26 = textOnlyWxH(
  'wan2.6',
  { min: 5, max: 15, allowed: [5, 10, 15], default: 5, integer: true },
  ['1280x720', '720x1280', '1088x832', '832x1088', '1920x1080', '1080x1920', '1440x1440', '1632x1248', '1248x1632'],
  '1920x1080'
)
const wan27 = textOnlyWxH(
  'wan2.7',
  { min: 2, max: 15, default: 5, integer: true },
  ['1280x720', '720x1280', '1920x1080', '1080x1920', '1440x1440'],
  '1920x1080'
)
const viduq3 = textOnlyWxH(
  'viduq3',
  { min: 1, max: 16, default: 5, integer: true },
  ['640x352', '960x528', '1280x720', '1920x1080'],
  '1280x720'
)
const happyhorse = textOnlyWxH(
  'happyhorse',
  { min: 3, max: 15, default: 5, integer: true },
  ['1280x720', '720x1280', '1920x1080', '1080x1920', '1440x1440'],
  '1920x1080'
)

const omni: ModelRules = {
  family: 'openai-videos',
  ruleSet: 'omni',
  modes: TEXT_ONLY,
  prompt: { required: true, max: DEFAULT_PROMPT_MAX },
  // Only the starting value 4 is documented; the range is a permissive guess.
  seconds: { min: 1, max: 60, default: 4, integer: true },
  aspectRatio: { allowed: ['16:9', '9:16', '1:1'], default: '16:9' },
  // 1080p is accepted but the output is normalized to 720p.
  resolution: { allowed: ['720p', '1080p'], default: '720p' },
  images: NO_IMAGES
}

/** Any other `/v1/videos` model: every field is sent as given and the server decides. */
const genericV1Videos: ModelRules = {
  family: 'openai-videos',
  ruleSet: 'generic-v1-videos',
  modes: BOTH,
  prompt: { required: true, max: DEFAULT_PROMPT_MAX },
  seconds: { min: 1, max: 60, integer: true },
  size: { allowed: ['1280x720', '720x1280', '1920x1080', '1080x1920'], open: true },
  aspectRatio: { allowed: ['16:9', '9:16', '1:1'], open: true },
  resolution: { allowed: ['480p', '720p', '1080p'], open: true },
  images: multipartImages(2)
}

// Older page enum plus the `16:9`/`9:16` the newer page names for older API versions.
const RUNWAY_RATIOS = [
  '1280:720', '720:1280', '1104:832', '832:1104', '960:960', '1584:672', '1280:768', '768:1280', '16:9', '9:16'
] as const

function runway(ruleSet: string, defaultRatio: string | undefined, open = false): ModelRules {
  return {
    family: 'runway',
    ruleSet,
    modes: IMAGE_ONLY,
    // `promptText` is optional: the image alone can drive the clip.
    prompt: { required: false, max: 512 },
    seconds: { min: 5, max: 10, allowed: [5, 10], default: 5, integer: true },
    aspectRatio: { allowed: RUNWAY_RATIOS, default: defaultRatio, open },
    seed: { min: 0, max: 999999999 },
    images: { min: 1, max: 1, types: JPEG_PNG_WEBP, maxBytes: RUNWAY_MAX_BYTES }
  }
}

function kling(ruleSet: string): ModelRules {
  return {
    family: 'kling',
    ruleSet,
    modes: BOTH,
    // Required for text-to-video only.
    prompt: { required: false, requiredWithoutImages: true, max: 500 },
    negativePrompt: { max: 200 },
    seconds: { min: 5, max: 10, allowed: [5, 10], default: 5, integer: true },
    // No default: image-to-video takes its shape from the image and has no aspect_ratio.
    aspectRatio: { allowed: ASPECT_7 },
    images: {
      min: 0,
      max: 2, // image + image_tail
      types: ['jpeg', 'png'],
      maxBytes: KLING_MAX_BYTES,
      minWidth: 300,
      minHeight: 300,
      // Kling's own image-to-video limit (1:2.5 .. 2.5:1), also stated on CometAPI's Kling Omni page.
      minAspect: 1 / 2.5,
      maxAspect: 2.5
    }
  }
}

function xai(ruleSet: string): ModelRules {
  return {
    family: 'xai',
    ruleSet,
    modes: BOTH,
    prompt: { required: true, max: DEFAULT_PROMPT_MAX },
    // The schema says default 1, the table says omitted means 8 (and bills 8): send 8 explicitly.
    seconds: { min: 1, max: 15, default: 8, integer: true },
    resolution: { allowed: ['480p', '720p', '1080p'] },
    aspectRatio: { allowed: ASPECT_7 },
    images: { min: 0, max: 1, types: JPEG_PNG_WEBP, maxBytes: JSON_IMAGE_MAX_BYTES }
  }
}

interface Entry {
  test: RegExp
  rules: ModelRules
}

// First match wins; ids are compared lower-case. Dated snapshots (`sora-2-2025-10-06`) share rules.
const KNOWN: readonly Entry[] = [
  { test: /^sora-2-pro(-\d{4}-\d{2}-\d{2})?$/, rules: sora2Pro },
  { test: /^sora-2(-\d{4}-\d{2}-\d{2})?$/, rules: sora2 },
  { test: /^doubao-seedance-2-0(-fast)?(-\d+)?$/, rules: seedance('seedance-2-0', [4, 15], ['480p', '720p'], true) },
  { test: /^doubao-seedance-1-5-pro(-\d+)?$/, rules: seedance('seedance-1-5-pro', [4, 12], ['480p', '720p', '1080p'], false) },
  { test: /^doubao-seedance-1-0-pro(-\d+)?$/, rules: seedance('seedance-1-0-pro', [2, 10], ['480p', '720p', '1080p'], false) },
  { test: /^seedance-2-5(-|$)/, rules: seedance('seedance-2-5', [4, 30], ['480p', '720p'], true) },
  { test: /^veo3/, rules: veo3 },
  { test: /^wan2\.6(-|$)/, rules: wan26 },
  { test: /^wan2\.7(-|$)/, rules: wan27 },
  { test: /^viduq3(-|$)/, rules: viduq3 },
  { test: /^happyhorse-/, rules: happyhorse },
  { test: /^omni-/, rules: omni },
  // gen3a_turbo's suggested ratio is 1280:768; gen4 renders 1280:720.
  { test: /^gen3a_turbo$/, rules: runway('runway-gen3a-turbo', '1280:768') },
  { test: /^gen4/, rules: runway('runway-gen4', '1280:720') },
  { test: /^kling-/, rules: kling('kling') },
  { test: /^grok-imagine-video/, rules: xai('grok-imagine-video') }
]

const FAMILY_DEFAULTS: Record<ProviderFamily, ModelRules> = {
  'openai-videos': genericV1Videos,
  runway: runway('runway-default', undefined, true),
  // The Kling and xAI limits are stated per route, not per model, so unknown ids keep them.
  kling: kling('kling-default'),
  xai: xai('xai-default')
}

// Node and every browser have it; src/shared is compiled without either environment's types.
declare function structuredClone<T>(value: T): T

/** The rules for a model id sent through `family`. A known id only counts when its family matches. */
export function rulesForModel(modelId: string, family: ProviderFamily): ModelRules {
  const id = modelId.trim().toLowerCase()
  const hit = KNOWN.find((e) => e.rules.family === family && e.test.test(id))
  // A copy, so a caller that adjusts its rules cannot change them for every other job.
  return structuredClone(hit ? hit.rules : FAMILY_DEFAULTS[family])
}
