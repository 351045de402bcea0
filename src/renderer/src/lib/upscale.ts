// How many times a reference image will be blown up to become the video's frame, so a tiny image
// (a 40×30 icon into a 1280×720 video is 32×) gets a warning before it is sent and paid for.
import { sizeForImage, type JobSpec, type ModelRules } from '../shared'

export interface PixelSize {
  width: number
  height: number
}

export interface Upscale {
  /** Output long side ÷ image long side, rounded (32 for 40×30 → 1280×720). */
  factor: number
  from: PixelSize
  to: PixelSize
}

/**
 * Warn from 4× on the long side. Video models already rescale every reference image to their
 * frame, and up to 2–3× (a 480p still into a 1080p video is 2.25×) the result stays sharp enough;
 * from 4× each source pixel is smeared over 16 or more output pixels, which people see as blur
 * (a 320 px thumbnail into 720p is 4×). Below that a warning would fire on ordinary photos.
 */
export const UPSCALE_WARN_AT = 4

/**
 * When neither the spec nor the model states an output size (Kling, Runway, unknown models), the
 * frame is taken as 720p on the short side: the smallest output those models make, so the factor
 * is never overstated.
 */
const ASSUMED_SHORT_SIDE = 720

/** A pixel size written `1280x720` (Runway's ratios: `1280:720`); small pairs such as Veo's `16x9` are a shape, not pixels. */
function pixels(size: string | undefined): PixelSize | null {
  const m = size ? /^\s*(\d+)\s*[x×*:]\s*(\d+)\s*$/i.exec(size) : null
  if (!m) return null
  const width = Number(m[1])
  const height = Number(m[2])
  return width >= 64 && height >= 64 ? { width, height } : null
}

/** Width ÷ height from `16:9`, `16x9` (a shape label); null for `adaptive`, `auto` or nonsense. */
function ratio(text: string | undefined): number | null {
  const m = text ? /^\s*(\d+(?:\.\d+)?)\s*[:x×/]\s*(\d+(?:\.\d+)?)\s*$/i.exec(text) : null
  if (!m) return null
  const r = Number(m[1]) / Number(m[2])
  return Number.isFinite(r) && r > 0 ? r : null
}

/** The short side of a resolution label: `720p` → 720, `4k` → 2160, `2k` → 1440. */
function shortSide(resolution: string | undefined): number | null {
  if (!resolution) return null
  const p = /^\s*(\d{3,4})\s*p\s*$/i.exec(resolution)
  if (p) return Number(p[1])
  const k = /^\s*([248])\s*k\s*$/i.exec(resolution)
  if (k) return { '2': 1440, '4': 2160, '8': 4320 }[k[1] as '2' | '4' | '8']
  return null
}

/** The frame size the video comes out at for this spec and model, as far as they say. */
export function outputSize(spec: JobSpec, rules: ModelRules, image: PixelSize): PixelSize {
  const size = spec.size || (rules.images.mustMatchSize ? sizeForImage(rules, image.width, image.height) : undefined) || rules.size?.default
  const aspect = spec.aspectRatio || rules.aspectRatio?.default
  const exact = pixels(size) ?? pixels(aspect)
  if (exact) return exact
  const shape = ratio(aspect) ?? ratio(size) ?? image.width / image.height
  const short = shortSide(spec.resolution || rules.resolution?.default) ?? ASSUMED_SHORT_SIDE
  const long = Math.round(short * Math.max(shape, 1 / shape))
  return shape >= 1 ? { width: long, height: short } : { width: short, height: long }
}

/** How much the image is scaled up on the long side; null when unknown or below UPSCALE_WARN_AT. */
export function upscaleWarning(image: { width: number | null; height: number | null }, spec: JobSpec, rules: ModelRules): Upscale | null {
  if (!image.width || !image.height || image.width <= 0 || image.height <= 0) return null
  const from = { width: image.width, height: image.height }
  const to = outputSize(spec, rules, from)
  const factor = Math.max(to.width, to.height) / Math.max(from.width, from.height)
  return factor >= UPSCALE_WARN_AT ? { factor: Math.round(factor), from, to } : null
}
