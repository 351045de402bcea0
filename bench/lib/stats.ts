// Small statistics for benchmark figures: medians, percentiles and the min–max spread.

export function sorted(xs: readonly number[]): number[] {
  return [...xs].sort((a, b) => a - b)
}

/** Median (mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  if (!xs.length) return NaN
  const s = sorted(xs)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/** Nearest-rank percentile, q in [0, 1]. */
export function percentile(xs: readonly number[], q: number): number {
  if (!xs.length) return NaN
  const s = sorted(xs)
  const rank = Math.ceil(q * s.length)
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))]
}

export function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN
}

export interface Summary {
  median: number
  min: number
  max: number
  runs: number
}

export function summarize(xs: readonly number[]): Summary {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: xs.length }
}

// The fake server's seeded PRNG (mulberry32): every run draws the same workload.
export { prng } from '../../test/fake-cometapi/faults'

/** A standard normal draw (Box–Muller) from a uniform source. */
export function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12)
  const v = rand()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

export const msSince = (t: bigint): number => Number(process.hrtime.bigint() - t) / 1e6
