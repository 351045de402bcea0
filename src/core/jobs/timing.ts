// Every wait the engine plans, in one place: the app runs at scale 1; tests pass one Timing with
// a small scale and short poll bounds instead of threading knobs through each stage.
import { backoffDelay, type BackoffPolicy } from '../http/backoff'

export interface PollTuning {
  threshold?: number
  minIntervalMs?: number
  maxIntervalMs?: number
}

export interface TimingOptions {
  /** Multiplies every retry wait and pause (Retry-After too). Default 1. */
  waitScale?: number
  /** Median seconds assumed for a model with no history. */
  priorSeconds?: (model: string) => number | undefined
  /** Bounds of the poll scheduler's intervals. */
  poll?: PollTuning
  /** How often to look for changes another process made (ms). Default 500. */
  watchIntervalMs?: number
  /** How long stop() waits for creates in flight before abandoning them (ms). Default 15 s. */
  stopGraceMs?: number
  /** How long a CometAPI request waits for its answer (ms). Default 60 s. */
  readTimeoutMs?: number
}

/** No wait the engine plans is longer (Retry-After is capped at 10 min); a longer one means the clock went back. */
export const MAX_PLANNED_WAIT_MS = 10 * 60_000

export class Timing {
  readonly scale: number
  readonly watchIntervalMs: number
  readonly stopGraceMs: number

  constructor(readonly options: TimingOptions = {}) {
    this.scale = options.waitScale && options.waitScale > 0 ? options.waitScale : 1
    this.watchIntervalMs = options.watchIntervalMs ?? 500
    this.stopGraceMs = options.stopGraceMs ?? 15_000
  }

  /** A planned wait of `ms` at this scale. */
  wait(ms: number): number {
    return ms * this.scale
  }

  /** A backoff policy at this scale. */
  policy(p: BackoffPolicy): BackoffPolicy {
    return { ...p, baseMs: p.baseMs * this.scale, capMs: p.capMs * this.scale }
  }

  /** A retry delay: exponential backoff with full jitter, Retry-After when given, never below `floorMs`. */
  retryDelay(attempt: number, policy: BackoffPolicy, retryAfterMs: number | undefined, floorMs: number): number {
    return Math.max(floorMs, backoffDelay(attempt, policy, retryAfterMs)) * this.scale
  }

  /** Whether a wait until `at` is still believable, or the wall clock went back since it was planned. */
  isPlausibleWait(at: number, now: number): boolean {
    return at - now <= MAX_PLANNED_WAIT_MS * Math.max(this.scale, 0.001) + 1000
  }
}
