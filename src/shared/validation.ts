// Checks a job against its model's rules before anything is uploaded or paid for. Every problem
// names its field, carries a stable code for translation, and says in English what is allowed.
import type { JobSpec } from './jobs'
import type { ChoiceRule, FieldError, ImageInfo, ModelPricing, ModelRules } from './modelTypes'

type ChoiceField = 'size' | 'aspectRatio' | 'resolution'

export function validateSpec(spec: JobSpec, rules: ModelRules, images: ImageInfo[]): FieldError[] {
  const errors: FieldError[] = []
  if (spec.model.trim() === '') {
    errors.push({ field: 'model', code: 'model.empty', message: 'Choose a model.' })
  }
  errors.push(...checkPrompt(spec, rules, images))
  errors.push(...checkNegativePrompt(spec, rules))
  errors.push(...checkSeconds(spec, rules))
  for (const field of ['size', 'aspectRatio', 'resolution'] as const) errors.push(...checkChoice(field, spec, rules))
  errors.push(...checkSeed(spec, rules))
  errors.push(...checkRemix(spec, rules, images))
  errors.push(...checkImages(spec, rules, images))
  return errors
}

/** The names of the fields a model takes, for messages about a field it does not take. */
export function fieldsOf(rules: ModelRules): string[] {
  const fields = ['prompt']
  if (rules.negativePrompt) fields.push('negativePrompt')
  if (rules.seconds) fields.push('seconds')
  if (rules.size) fields.push('size')
  if (rules.aspectRatio) fields.push('aspectRatio')
  if (rules.resolution) fields.push('resolution')
  if (rules.seed) fields.push('seed')
  if (rules.images.max > 0) fields.push('images')
  return fields
}

function unsupported(field: string, rules: ModelRules): FieldError {
  const has = fieldsOf(rules)
  return {
    field,
    code: `${field}.unsupported`,
    message: `This model (${rules.ruleSet}) has no ${field} setting; remove it. It takes: ${has.join(', ')}.`,
    allowed: has,
    params: { ruleSet: rules.ruleSet, fields: has.join(', ') }
  }
}

/** The first C0/C1 control character other than tab and line breaks (CRLF from Windows is fine), or a lone surrogate (not sendable as UTF-8). */
function findControl(text: string): { index: number; codePoint: number } | null {
  let index = 0
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0
    const control = (cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d) || (cp >= 0x7f && cp <= 0x9f)
    if (control || (cp >= 0xd800 && cp <= 0xdfff)) return { index, codePoint: cp }
    index++
  }
  return null
}

/** Length as a person counts it: an emoji or a CJK character is one, not two UTF-16 units. */
function codePoints(text: string): number {
  let n = 0
  for (const _ of text) n++
  return n
}

function checkText(field: 'prompt' | 'negativePrompt', label: string, text: string, max: number): FieldError[] {
  const errors: FieldError[] = []
  const bad = findControl(text)
  if (bad) {
    const cp = `U+${bad.codePoint.toString(16).toUpperCase().padStart(4, '0')}`
    const position = bad.index + 1
    errors.push({
      field,
      code: `${field}.controlChar`,
      message: `The ${label} contains an invisible control character (${cp}) at character ${position}. Only ordinary text, tabs and line breaks are allowed; delete it and type it again.`,
      params: { codePoint: cp, position }
    })
  }
  const length = codePoints(text)
  if (length > max) {
    errors.push({
      field,
      code: `${field}.tooLong`,
      message: `The ${label} is ${length} characters long; this model accepts at most ${max}.`,
      params: { max, actual: length }
    })
  }
  return errors
}

/** Whether an empty prompt is refused with this many images: the one rule the label "(optional)" and the check share. */
export function promptRequired(rules: ModelRules, imageCount: number): boolean {
  return rules.prompt.required || (rules.prompt.requiredWithoutImages === true && imageCount === 0)
}

function checkPrompt(spec: JobSpec, rules: ModelRules, images: ImageInfo[]): FieldError[] {
  const prompt = spec.prompt ?? ''
  if (prompt.trim() === '') {
    if (!promptRequired(rules, imageCount(spec, images))) return []
    const onlySpaces = prompt.length > 0
    return [
      {
        field: 'prompt',
        code: 'prompt.empty',
        message: onlySpaces
          ? 'The prompt contains only spaces or line breaks. Describe the video you want.'
          : rules.prompt.required
            ? 'The prompt is empty. Describe the video you want.'
            : 'The prompt is empty. Text-to-video needs a description of the video (with an image it is optional).'
      }
    ]
  }
  return checkText('prompt', 'prompt', prompt, rules.prompt.max)
}

function checkNegativePrompt(spec: JobSpec, rules: ModelRules): FieldError[] {
  const text = spec.negativePrompt
  if (text === undefined || text.trim() === '') return []
  if (!rules.negativePrompt) return [unsupported('negativePrompt', rules)]
  return checkText('negativePrompt', 'negative prompt', text, rules.negativePrompt.max)
}

function checkSeconds(spec: JobSpec, rules: ModelRules): FieldError[] {
  const value = spec.seconds
  if (value === undefined) return []
  const rule = rules.seconds
  if (!rule) return [unsupported('seconds', rules)]
  const range = `${rule.min}–${rule.max} seconds`
  if (!Number.isFinite(value)) {
    return [{ field: 'seconds', code: 'seconds.notANumber', message: `The length must be a number (${range}).`, params: { min: rule.min, max: rule.max } }]
  }
  if (rule.allowed) {
    if (rule.allowed.includes(value)) return []
    return [
      {
        field: 'seconds',
        code: 'seconds.notAllowed',
        message: `This model makes clips of ${listOr(rule.allowed)} seconds, not ${value}.`,
        allowed: rule.allowed,
        params: { actual: value, allowed: rule.allowed.join(', ') }
      }
    ]
  }
  if (rule.integer && !Number.isInteger(value)) {
    return [
      {
        field: 'seconds',
        code: 'seconds.notInteger',
        message: `The length must be a whole number of seconds (${range}), not ${value}.`,
        params: { actual: value, min: rule.min, max: rule.max }
      }
    ]
  }
  if (value < rule.min || value > rule.max) {
    return [
      {
        field: 'seconds',
        code: 'seconds.outOfRange',
        message: `This model makes clips of ${range}, not ${value}.`,
        params: { actual: value, min: rule.min, max: rule.max }
      }
    ]
  }
  return []
}

const CHOICE_LABEL: Record<ChoiceField, string> = { size: 'size', aspectRatio: 'aspect ratio', resolution: 'resolution' }

function checkChoice(field: ChoiceField, spec: JobSpec, rules: ModelRules): FieldError[] {
  const value = spec[field]
  if (value === undefined || value === '') return []
  const rule: ChoiceRule<string> | undefined = rules[field]
  if (!rule) return [unsupported(field, rules)]
  if (rule.open || rule.allowed.includes(value)) return []
  return [
    {
      field,
      code: `${field}.notAllowed`,
      message: `This model does not take the ${CHOICE_LABEL[field]} "${value}". Choose one of: ${rule.allowed.join(', ')}.`,
      allowed: rule.allowed,
      params: { actual: value, allowed: rule.allowed.join(', ') }
    }
  ]
}

function checkSeed(spec: JobSpec, rules: ModelRules): FieldError[] {
  if (spec.seed === undefined) return []
  const rule = rules.seed
  if (!rule) return [unsupported('seed', rules)]
  if (!Number.isInteger(spec.seed) || spec.seed < rule.min || spec.seed > rule.max) {
    return [
      {
        field: 'seed',
        code: 'seed.outOfRange',
        message: `The seed must be a whole number from ${rule.min} to ${rule.max}.`,
        params: { actual: spec.seed, min: rule.min, max: rule.max }
      }
    ]
  }
  return []
}

function checkRemix(spec: JobSpec, rules: ModelRules, images: ImageInfo[]): FieldError[] {
  if (spec.remixOf === undefined) return []
  if (!rules.remix) {
    return [{ field: 'remixOf', code: 'remixOf.unsupported', message: `This model (${rules.ruleSet}) cannot remix a video.` }]
  }
  if (imageCount(spec, images) > 0) {
    return [{ field: 'images', code: 'images.notWithRemix', message: 'A remix starts from the finished video and its new prompt; remove the images.' }]
  }
  return []
}

function imageCount(spec: JobSpec, images: ImageInfo[]): number {
  return Math.max(spec.images?.length ?? 0, images.length)
}

function checkImages(spec: JobSpec, rules: ModelRules, images: ImageInfo[]): FieldError[] {
  const r = rules.images
  const count = imageCount(spec, images)
  if (spec.remixOf !== undefined && count > 0) return [] // reported by checkRemix
  if (count > 0 && r.max === 0) {
    return [
      {
        field: 'images',
        code: 'images.unsupported',
        message: `This model (${rules.ruleSet}) makes video from text only; remove the ${count === 1 ? 'image' : `${count} images`}.`,
        params: { actual: count, max: 0 }
      }
    ]
  }
  if (count > r.max) {
    return [
      {
        field: 'images',
        code: 'images.tooMany',
        message: `This model takes at most ${r.max} image${r.max === 1 ? '' : 's'}; you gave ${count}.`,
        params: { actual: count, max: r.max }
      }
    ]
  }
  if (count < r.min) {
    return [
      {
        field: 'images',
        code: 'images.tooFew',
        message:
          r.min === r.max
            ? `This model turns an image into video: add exactly ${r.min} image${r.min === 1 ? '' : 's'}.`
            : `This model needs at least ${r.min} image${r.min === 1 ? '' : 's'}; you gave ${count}.`,
        params: { actual: count, min: r.min, max: r.max }
      }
    ]
  }
  const errors: FieldError[] = []
  images.forEach((info, i) => errors.push(...checkImage(info, i, spec, rules)))
  return errors
}

function checkImage(info: ImageInfo, index: number, spec: JobSpec, rules: ModelRules): FieldError[] {
  const r = rules.images
  const field = `images[${index}]`
  const name = fileName(info.path)
  const types = r.types.map((t) => t.toUpperCase())
  if (info.type === null) {
    return [
      {
        field,
        code: 'image.notImage',
        message: `"${name}" is not an image (looked at its content, not its name). Use ${listOr(types)}.`,
        allowed: r.types,
        params: { file: name, allowed: types.join(', ') }
      }
    ]
  }
  const errors: FieldError[] = []
  if (!r.types.includes(info.type)) {
    errors.push({
      field,
      code: 'image.typeNotAllowed',
      message: `"${name}" is a ${info.type.toUpperCase()} image; this model takes ${listOr(types)}.`,
      allowed: r.types,
      params: { file: name, actual: info.type, allowed: types.join(', ') }
    })
  }
  if (info.bytes > r.maxBytes) {
    errors.push({
      field,
      code: 'image.tooLarge',
      message: `"${name}" is ${mb(info.bytes)}; this model accepts images up to ${mb(r.maxBytes)}.`,
      params: { file: name, actualMb: mb(info.bytes), maxMb: mb(r.maxBytes), actual: info.bytes, max: r.maxBytes }
    })
  }
  if (info.width === null || info.height === null) {
    errors.push({
      field,
      code: 'image.unreadable',
      message: `Could not read the pixel size of "${name}": its header looks damaged or cut short. Re-export the image and try again.`,
      params: { file: name }
    })
    return errors
  }
  errors.push(...checkDimensions(info.width, info.height, field, name, spec, rules))
  return errors
}

function checkDimensions(w: number, h: number, field: string, name: string, spec: JobSpec, rules: ModelRules): FieldError[] {
  const r = rules.images
  const errors: FieldError[] = []
  const actual = `${w}x${h}`
  if ((r.minWidth !== undefined && w < r.minWidth) || (r.minHeight !== undefined && h < r.minHeight)) {
    errors.push({
      field,
      code: 'image.tooSmall',
      message: `"${name}" is ${actual} pixels; this model needs at least ${r.minWidth ?? 1}x${r.minHeight ?? 1}.`,
      params: { file: name, actual, width: w, height: h, minWidth: r.minWidth ?? 1, minHeight: r.minHeight ?? 1 }
    })
  }
  if ((r.maxWidth !== undefined && w > r.maxWidth) || (r.maxHeight !== undefined && h > r.maxHeight)) {
    const limit = `${r.maxWidth ?? '∞'}x${r.maxHeight ?? '∞'}`
    errors.push({
      field,
      code: 'image.tooBig',
      message: `"${name}" is ${actual} pixels; this model accepts at most ${limit}.`,
      params: { file: name, actual, width: w, height: h, limit }
    })
  }
  const aspect = w / h
  if ((r.minAspect !== undefined && aspect < r.minAspect - 1e-9) || (r.maxAspect !== undefined && aspect > r.maxAspect + 1e-9)) {
    const range = `${ratioText(r.minAspect)} to ${ratioText(r.maxAspect)}`
    errors.push({
      field,
      code: 'image.aspectOutOfRange',
      message: `"${name}" is ${actual} pixels (width/height ${aspect.toFixed(2)}); this model needs a shape between ${range} (width/height). Crop it closer to the frame you want.`,
      params: { file: name, actual, aspect: Number(aspect.toFixed(3)), range }
    })
  }
  if (r.mustMatchSize) {
    const size = spec.size ?? rules.size?.default
    const want = size ? parseWxH(size) : null
    if (want && (want.w !== w || want.h !== h)) {
      errors.push({
        field,
        code: 'image.sizeMismatch',
        message: `"${name}" is ${actual} pixels, but the video size ${size} needs a reference image of exactly ${want.w}x${want.h}. The app can resize and crop it to ${want.w}x${want.h} for you.`,
        params: { file: name, actual, needed: `${want.w}x${want.h}` }
      })
    }
  }
  return errors
}

/** Fills the model's documented defaults into fields the user left empty, so requests are explicit. */
export function applyDefaults(spec: JobSpec, rules: ModelRules): JobSpec {
  const out: JobSpec = { ...spec }
  // A remix takes only its prompt; defaults would only be ignored by the server.
  if (spec.remixOf !== undefined) return out
  if (out.seconds === undefined && rules.seconds?.default !== undefined) out.seconds = rules.seconds.default
  if (isBlank(out.size) && rules.size?.default !== undefined) out.size = rules.size.default
  if (isBlank(out.aspectRatio) && rules.aspectRatio?.default !== undefined) out.aspectRatio = rules.aspectRatio.default
  if (isBlank(out.resolution) && rules.resolution?.default !== undefined) out.resolution = rules.resolution.default
  return out
}

/** Price of one job in the catalog's currency: per-second × length, or per request; null when unpriced. */
export function estimateCost(pricing: ModelPricing, rules: ModelRules, spec: JobSpec): number | null {
  if (pricing.perSecond !== null && pricing.perSecond !== undefined) {
    const seconds = spec.seconds ?? rules.seconds?.default
    if (seconds !== undefined && Number.isFinite(seconds)) return round(pricing.perSecond * seconds)
  }
  if (pricing.perRequest !== null && pricing.perRequest !== undefined) return round(pricing.perRequest)
  return null
}

// Float noise (0.08 × 3 = 0.24000000000000002) should not reach a price label or a budget sum.
function round(n: number): number {
  return Math.round(n * 1e6) / 1e6
}

function isBlank(v: string | undefined): boolean {
  return v === undefined || v.trim() === ''
}

function parseWxH(size: string): { w: number; h: number } | null {
  const m = /^(\d+)x(\d+)$/.exec(size)
  return m ? { w: Number(m[1]), h: Number(m[2]) } : null
}

function fileName(path: string): string {
  const parts = path.split(/[\\/]/)
  return parts[parts.length - 1] || path
}

function mb(bytes: number): string {
  // One decimal so 10.4 MB never reads as the 10 MB limit; no ".0" on round limits.
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`
}

function ratioText(r: number | undefined): string {
  if (r === undefined) return 'any'
  return r >= 1 ? `${trim(r)}:1` : `1:${trim(1 / r)}`
}

function trim(n: number): string {
  return String(Number(n.toFixed(2)))
}

function listOr(values: readonly (string | number)[]): string {
  if (values.length <= 1) return values.join('')
  return `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`
}
