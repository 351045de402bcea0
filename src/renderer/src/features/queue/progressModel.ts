// What a queue row says about a video being made. A family that reports progress (Sora, Runway,
// xAI…) gets its percent and a countdown; one that reports none (Kling) gets no made-up "0 %": an
// indeterminate bar, the time it has been at work and how long such a video usually takes here.
import { POLLED_STATES, isIn, type JobView } from '../../shared'

export interface GenerationProgress {
  /** The provider's percent, or null when it reports none (yet). */
  percent: number | null
  /** Since the provider took the task (or since it was sent, before that). */
  elapsedMs: number
  /** The model's learned typical duration, when the engine has one. */
  typicalMs: number | null
  /** Time left: only beside a real percent, from a task the provider is making. */
  leftMs: number | null
}

export function generationProgress(job: JobView, now: number): GenerationProgress {
  const start = job.submittedAt ?? job.createdAt
  const percent = job.state === 'running' && job.progress !== null ? job.progress : null
  // The learned median itself: the ETA is clamped to "now" once a task runs long, so it cannot say it.
  const typicalMs = job.typicalMs ?? null
  const leftMs = percent !== null && job.etaAt !== null && isIn(POLLED_STATES, job.state) ? job.etaAt - now : null
  return { percent, elapsedMs: Math.max(0, now - start), typicalMs, leftMs }
}
