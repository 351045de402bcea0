// Poster rules the engine (ffmpeg) and the renderer (canvas) share: where the frame is taken, how
// big the picture may be. Plain functions, no Node, no DOM.

/** Posters are JPEGs no larger than this. */
export const POSTER_MAX_BYTES = 200 * 1024

/** Posters are no wider than this (they are shown as thumbnails and cards). */
export const POSTER_MAX_WIDTH = 480

/** Poster dimensions: the video's shape, no wider than `maxWidth`. */
export function posterSize(videoW: number, videoH: number, maxWidth = POSTER_MAX_WIDTH): { width: number; height: number } {
  if (videoW <= 0 || videoH <= 0) return { width: maxWidth, height: Math.round((maxWidth * 9) / 16) }
  const scale = Math.min(1, maxWidth / videoW)
  return { width: Math.max(1, Math.round(videoW * scale)), height: Math.max(1, Math.round(videoH * scale)) }
}

/** Where to grab the poster frame: half a second in, or the middle of a shorter clip. */
export function posterTime(duration: number): number {
  if (!Number.isFinite(duration) || duration <= 0) return 0
  return Math.min(0.5, duration / 2)
}
