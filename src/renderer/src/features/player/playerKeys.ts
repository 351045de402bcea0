// Player keys as pure decisions, so the mapping is tested without a video element.
export type PlayerCommand =
  | { type: 'toggle' }
  | { type: 'pause' }
  | { type: 'seek'; by: number }
  | { type: 'forward'; by: number; faster: boolean }
  | { type: 'fullscreen' }
  | { type: 'mute' }
  /** The next (1) or previous (-1) video of the library's current list. */
  | { type: 'step'; by: 1 | -1 }

export const SPEEDS: readonly number[] = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2]

/** The command for a key, or null. `lastL` is when L was last pressed (for "repeated L speeds up"). */
export function commandFor(key: string, now: number, lastL: number | null): PlayerCommand | null {
  switch (key) {
    case ' ':
    case 'Spacebar':
      return { type: 'toggle' }
    case 'ArrowLeft':
      return { type: 'seek', by: -5 }
    case 'ArrowRight':
      return { type: 'seek', by: 5 }
    case 'j':
    case 'J':
      return { type: 'seek', by: -10 }
    case 'k':
    case 'K':
      return { type: 'pause' }
    case 'l':
    case 'L':
      return { type: 'forward', by: 10, faster: lastL !== null && now - lastL < 1500 }
    case 'f':
    case 'F':
      return { type: 'fullscreen' }
    case 'm':
    case 'M':
      return { type: 'mute' }
    // Shift+N / Shift+P (plain n and p stay free), and the page keys.
    case 'PageDown':
    case 'N':
      return { type: 'step', by: 1 }
    case 'PageUp':
    case 'P':
      return { type: 'step', by: -1 }
    default:
      return null
  }
}

/** The next faster speed in SPEEDS (stays at the top). */
export function fasterSpeed(rate: number): number {
  return SPEEDS.find((s) => s > rate + 1e-9) ?? SPEEDS[SPEEDS.length - 1]
}

export function clampTime(t: number, duration: number): number {
  if (!Number.isFinite(duration) || duration <= 0) return Math.max(0, t)
  return Math.min(Math.max(0, t), duration)
}
