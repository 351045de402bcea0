// How long each model takes, learned from finished jobs: a log-normal per model (generation times
// are positive and right-skewed). The poll scheduler asks it how likely a task is finished by now.

export interface LogNormal {
  mu: number
  sigma: number
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2
  const t = 1 / (1 + 0.3275911 * z)
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z)
  return x >= 0 ? (1 + y) / 2 : (1 - y) / 2
}

/** Inverse standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity
  if (p >= 1) return Infinity
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239]
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572]
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783]
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416]
  const lo = 0.02425
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p))
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
  }
  if (p > 1 - lo) {
    const q = Math.sqrt(-2 * Math.log(1 - p))
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
  }
  const q = p - 0.5
  const r = q * q
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
}

export function lnCdf(d: LogNormal, seconds: number): number {
  if (seconds <= 0) return 0
  return normalCdf((Math.log(seconds) - d.mu) / d.sigma)
}

export function lnQuantile(d: LogNormal, p: number): number {
  return Math.exp(d.mu + d.sigma * normalQuantile(p))
}

/** Typical generation times before we have learned anything (seconds), by model id prefix. */
export const DEFAULT_PRIOR_SECONDS: [RegExp, number][] = [
  [/^sora-2-pro/i, 240],
  [/^sora/i, 120],
  [/seedance/i, 90],
  [/^veo/i, 90],
  [/^wan/i, 120],
  [/^vidu/i, 90],
  [/^kling/i, 180],
  [/^(gen3|gen4|runway)/i, 60],
  [/^grok/i, 45]
]

export interface DurationModelOptions {
  /** Median seconds assumed for a model with no history; overrides the table above. */
  priorSeconds?: (model: string) => number | undefined
  priorSigma?: number
  /** Samples kept per model (most recent). */
  window?: number
}

export class DurationModel {
  private samples = new Map<string, number[]>()

  constructor(private readonly o: DurationModelOptions = {}) {}

  record(model: string, seconds: number): void {
    if (!(seconds > 0) || !Number.isFinite(seconds)) return
    const list = this.samples.get(model) ?? []
    list.push(seconds)
    const max = this.o.window ?? 50
    if (list.length > max) list.splice(0, list.length - max)
    this.samples.set(model, list)
  }

  sampleCount(model: string): number {
    return this.samples.get(model)?.length ?? 0
  }

  private prior(model: string): LogNormal {
    const median = this.o.priorSeconds?.(model) ?? DEFAULT_PRIOR_SECONDS.find(([re]) => re.test(model))?.[1] ?? 120
    return { mu: Math.log(median), sigma: this.o.priorSigma ?? 0.6 }
  }

  /** The learned distribution, shrunk toward the prior while there are few samples. */
  distribution(model: string): LogNormal {
    const prior = this.prior(model)
    const xs = this.samples.get(model)
    if (!xs?.length) return prior
    const logs = xs.map(Math.log)
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length
    const variance = logs.length > 1 ? logs.reduce((a, b) => a + (b - mean) ** 2, 0) / (logs.length - 1) : prior.sigma ** 2
    const w = logs.length / (logs.length + 2)
    return {
      mu: w * mean + (1 - w) * prior.mu,
      sigma: Math.max(0.12, Math.sqrt(w * variance + (1 - w) * prior.sigma ** 2))
    }
  }

  /**
   * The distribution for one running task, sharpened by the progress it reported: a task at p%
   * after e seconds points at a total near e·100/p.
   */
  forTask(model: string, progress: number | null, progressElapsedSec: number | null): LogNormal {
    const base = this.distribution(model)
    if (progress == null || progressElapsedSec == null || progress < 5 || progress >= 100 || progressElapsedSec <= 0) return base
    const projected = (progressElapsedSec * 100) / progress
    const w = Math.min(0.85, 0.25 + progress / 100)
    return { mu: w * Math.log(projected) + (1 - w) * base.mu, sigma: Math.max(0.12, (1 - w) * base.sigma + w * 0.2) }
  }

  median(model: string): number {
    return Math.exp(this.distribution(model).mu)
  }
}
