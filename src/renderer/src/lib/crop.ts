// Crop math for "Resize/crop to W×H": the largest region of the source with the target's shape,
// centred or pushed to one side, then scaled to exactly the target size.
export interface CropRect {
  sx: number
  sy: number
  sw: number
  sh: number
}

/** Where the kept region sits along the axis that is trimmed: top/left, centre, bottom/right. */
export type CropPosition = 'start' | 'center' | 'end'
export const CROP_POSITIONS: readonly CropPosition[] = ['start', 'center', 'end']

const FOCUS: Record<CropPosition, number> = { start: 0, center: 0.5, end: 1 }

/** The largest region of the source with the target's shape, placed at `position` along the trimmed axis. */
export function cropRect(srcW: number, srcH: number, targetW: number, targetH: number, position: CropPosition = 'center'): CropRect {
  if (srcW <= 0 || srcH <= 0 || targetW <= 0 || targetH <= 0) throw new Error('sizes must be positive')
  const focus = FOCUS[position]
  const target = targetW / targetH
  const source = srcW / srcH
  if (Math.abs(source - target) < 1e-9) return { sx: 0, sy: 0, sw: srcW, sh: srcH }
  if (source > target) {
    // Too wide: keep the full height, trim the sides.
    const sw = Math.max(1, Math.round(srcH * target))
    return { sx: Math.floor((srcW - sw) * focus), sy: 0, sw, sh: srcH }
  }
  const sh = Math.max(1, Math.round(srcW / target))
  return { sx: 0, sy: Math.floor((srcH - sh) * focus), sw: srcW, sh }
}

export function centerCrop(srcW: number, srcH: number, targetW: number, targetH: number): CropRect {
  return cropRect(srcW, srcH, targetW, targetH, 'center')
}

/** Which way a crop to the target trims the source: its sides, its top and bottom, or nothing. */
export function cropAxis(srcW: number, srcH: number, targetW: number, targetH: number): 'x' | 'y' | null {
  const r = cropRect(srcW, srcH, targetW, targetH)
  if (r.sw < srcW) return 'x'
  if (r.sh < srcH) return 'y'
  return null
}

/** The fixed copy keeps JPEG for photos (smaller) and PNG for everything else (lossless). */
export function fixedMime(sourceType: string | null): 'image/png' | 'image/jpeg' {
  return sourceType === 'jpeg' ? 'image/jpeg' : 'image/png'
}

/** JPEG quality steps tried, best first, until a poster fits the byte budget. */
export const POSTER_QUALITIES: readonly number[] = [0.82, 0.7, 0.58, 0.45, 0.32]
// The poster's size and frame time are the engine's rules too (it makes posters with ffmpeg).
export { POSTER_MAX_BYTES, posterSize, posterTime } from '../shared'
