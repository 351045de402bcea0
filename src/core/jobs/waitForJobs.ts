// Waiting for jobs to settle: the engine's waitFor, used by the CLI and the tests alike.
import type { EnginePause, JobView } from '../../shared/jobs'
import { isIn, SETTLED_STATES, type StateSet } from '../../shared/jobStates'
import { type Clock, every } from '../ports'
import type { JobHub } from './jobHub'
import type { EnginePauses } from './pauses'
import type { JobReader } from './stagePorts'

/** The engine paused in a way nothing fixes by waiting (the key, the base URL, the database). */
export class EnginePausedError extends Error {
  constructor(readonly pause: EnginePause) {
    super(pause.message)
    this.name = 'EnginePausedError'
  }
}

export interface WaitOptions {
  /** Done when every job is in one of these. Default: settled (ended, or waiting for the person). */
  until?: StateSet
  signal?: AbortSignal
  /** Called with the jobs whenever one of them changes (progress lines). */
  onChange?: (jobs: JobView[]) => void
  /** Reject with EnginePausedError when the engine pauses, instead of waiting for the person to fix it. */
  failOnPause?: boolean
}

const RECHECK_MS = 1000

export function waitForJobs(
  deps: { hub: JobHub; jobs: JobReader; clock: Clock; pauses: EnginePauses },
  ids: string[],
  opts: WaitOptions = {}
): Promise<JobView[]> {
  const until = opts.until ?? SETTLED_STATES
  const wanted = new Set(ids)
  return new Promise((resolve, reject) => {
    const snapshot = (): JobView[] => ids.map((id) => deps.jobs.get(id)).flatMap((r) => (r ? [deps.hub.view(r)] : []))
    const check = (): void => {
      const pause = deps.pauses.get()
      if (opts.failOnPause && pause) {
        cleanup()
        reject(new EnginePausedError(pause))
        return
      }
      const jobs = snapshot()
      opts.onChange?.(jobs)
      if (jobs.every((j) => isIn(until, j.state))) {
        cleanup()
        resolve(jobs)
      }
    }
    const off = deps.hub.on((e) => {
      if ((e.type === 'job.updated' && wanted.has(e.job.id)) || e.type === 'engine.status') check()
    })
    const stopTimer = every(deps.clock, RECHECK_MS, check)
    const onAbort = (): void => {
      cleanup()
      reject(opts.signal?.reason)
    }
    const cleanup = (): void => {
      off()
      stopTimer()
      opts.signal?.removeEventListener('abort', onAbort)
    }
    opts.signal?.addEventListener('abort', onAbort, { once: true })
    check()
  })
}
