// Task state is computed from the clock on every poll (no timers), so tests can use short
// durations or a fake clock and nothing keeps the process alive.
import type { Family, FakeTask, Outcome } from './types'

export interface InternalTask extends FakeTask {
  family: Family
  /** Key that created it: Kling external ids are unique per key. */
  apiKey: string
  /** Kling route (`text2video`/`image2video`); null elsewhere. */
  action: string | null
  /** The model id the responses echo (Veo answers with a resolved backend id). */
  responseModel: string
  /** When finishTask() forced the terminal state. */
  forcedAt: number | null
  /** `[progress-stall]`: stays at 50 % until finishTask(). */
  stall: boolean
  ext: 'mp4' | 'webm'
  /** transientNotExist: the next poll answers task_not_exist once. */
  transientPending: boolean
  remixedFrom: string | null
}

export type Phase = 'queued' | 'running' | 'succeeded' | 'failed' | 'expired'

export interface TaskView {
  phase: Phase
  /** 0–100; 0 while queued, 100 on success. */
  progress: number
  startedAt: number | null
  finishedAt: number | null
  /** Last state change (ms), for Kling `updated_at`. */
  updatedAt: number
}

/** Share of the duration spent `queued` before progress starts rising. */
const QUEUED_SHARE = 0.1
const STALL_AT = 50

export interface PromptMagic {
  outcome: Outcome
  slow: boolean
  stall: boolean
  ext: 'mp4' | 'webm'
}

/** Words in a prompt that script an outcome without faults. */
export function promptMagic(prompt: string): PromptMagic {
  return {
    outcome: prompt.includes('[fail]') ? 'failed' : prompt.includes('[expire]') ? 'expired' : 'success',
    slow: prompt.includes('[slow]'),
    stall: prompt.includes('[progress-stall]'),
    ext: prompt.includes('[webm]') ? 'webm' : 'mp4'
  }
}

const terminal = (t: InternalTask, at: number): TaskView => ({
  phase: t.outcome === 'success' ? 'succeeded' : t.outcome,
  progress: t.outcome === 'success' ? 100 : 0,
  startedAt: Math.min(at, t.createdAt + Math.round(t.durationMs * QUEUED_SHARE)),
  finishedAt: at,
  updatedAt: at
})

export function viewTask(t: InternalTask, now: number): TaskView {
  if (t.forcedAt !== null && now >= t.forcedAt) return terminal(t, t.forcedAt)
  const d = t.durationMs
  const elapsed = now - t.createdAt
  if (!t.stall && elapsed >= d) return terminal(t, t.createdAt + d)
  const startedAt = t.createdAt + Math.round(d * QUEUED_SHARE)
  if (now < startedAt || d <= 0) return { phase: 'queued', progress: 0, startedAt: null, finishedAt: null, updatedAt: t.createdAt }
  let progress = Math.min(99, Math.max(1, Math.floor((elapsed / d) * 100)))
  if (t.stall) progress = Math.min(progress, STALL_AT)
  return { phase: 'running', progress, startedAt, finishedAt: null, updatedAt: now }
}

export const seconds = (ms: number): number => Math.floor(ms / 1000)

export const FAIL_MESSAGE = 'The provider rejected this prompt (placeholder)'
export const EXPIRED_MESSAGE = 'The task expired before it finished (placeholder)'
