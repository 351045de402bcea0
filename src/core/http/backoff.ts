// Exponential backoff with full jitter (AWS architecture blog); Retry-After wins when the server sends it.

export interface BackoffPolicy {
  baseMs: number
  capMs: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, capMs: 30_000 }

export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, retryAfterMs?: number, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined) return retryAfterMs
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt))
  return Math.floor(random() * ceiling)
}
