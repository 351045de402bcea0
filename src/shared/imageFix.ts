// What the app can do about an image a model will not take: resize or crop it to a pixel size the
// model accepts. Pure, so the main process and the renderer agree on the target.
import type { JobSpec } from './jobs'
import type { ImageInfo, ModelRules } from './modelTypes'

export interface FixTarget {
  width: number
  height: number
}

/** "1280x720" as a pixel size (null when it is not one). */
export function parseWxH(size: string | undefined): FixTarget | null {
  const m = size ? /^(\d+)x(\d+)$/.exec(size) : null
  return m ? { width: Number(m[1]), height: Number(m[2]) } : null
}

/** For a model whose reference image must match `size` (Sora): the allowed size closest in shape to the image. */
export function sizeForImage(rules: ModelRules, width: number, height: number): string | undefined {
  if (!rules.images.mustMatchSize || !rules.size?.allowed.length) return undefined
  const aspect = width / height
  let best: string | undefined
  let bestScore = Infinity
  for (const s of rules.size.allowed) {
    const t = parseWxH(s)
    if (!t) continue
    const score = Math.abs(Math.log(t.width / t.height / aspect)) * 10 + Math.abs(Math.log((t.width * t.height) / (width * height)))
    if (score < bestScore) {
      best = s
      bestScore = score
    }
  }
  return best
}

/**
 * The pixel size to resize/crop an image to so the model accepts it, or null when nothing needs
 * fixing or nothing can fix it (not an image, unreadable header).
 */
export function fixTarget(info: ImageInfo, spec: JobSpec, rules: ModelRules): FixTarget | null {
  if (!info.type || !info.width || !info.height) return null
  const r = rules.images
  const w = info.width
  const h = info.height
  if (r.mustMatchSize) {
    const want = parseWxH(spec.size ?? sizeForImage(rules, w, h) ?? rules.size?.default)
    if (want && (want.width !== w || want.height !== h)) return want
  }
  let tw = w
  let th = h
  const aspect = tw / th
  if (r.minAspect !== undefined && aspect < r.minAspect) th = Math.floor(tw / r.minAspect)
  if (r.maxAspect !== undefined && aspect > r.maxAspect) tw = Math.floor(th * r.maxAspect)
  const up = Math.max((r.minWidth ?? 0) / tw, (r.minHeight ?? 0) / th, 1)
  tw = Math.ceil(tw * up)
  th = Math.ceil(th * up)
  // Too many bytes or a type the model does not take: re-encode, at most 2048 px on the long side.
  const maxW = r.maxWidth ?? (info.bytes > r.maxBytes ? 2048 : Infinity)
  const maxH = r.maxHeight ?? (info.bytes > r.maxBytes ? 2048 : Infinity)
  const down = Math.min(maxW / tw, maxH / th, 1)
  tw = Math.floor(tw * down)
  th = Math.floor(th * down)
  const changed = tw !== w || th !== h
  const reencode = !r.types.includes(info.type) || info.bytes > r.maxBytes
  return changed || reencode ? { width: Math.max(1, tw), height: Math.max(1, th) } : null
}
