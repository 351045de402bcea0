// The job list as a zustand store around the pure patch logic in jobsModel.ts.
import { create } from 'zustand'
import type { JobView, JobsChanged } from '../shared'
import { applyJobsChanged, emptyJobs, jobsFromList, mergeJobs, type JobsData } from './jobsModel'

interface JobsState extends JobsData {
  loaded: boolean
  error: string | null
  /** Patches that arrived before the first list answered; applied on top of it. */
  pending: JobsChanged[]
  apply(patch: JobsChanged): void
  load(list: JobView[]): void
  /** Adds a further page of the list (loaded after the first screenful is shown). */
  loadMore(list: JobView[]): void
  fail(message: string): void
}

export const useJobs = create<JobsState>((set, get) => ({
  ...emptyJobs(),
  loaded: false,
  error: null,
  pending: [],
  apply(patch) {
    if (!get().loaded) {
      set((s) => ({ pending: [...s.pending, patch] }))
      return
    }
    const s = get()
    const next = applyJobsChanged(s, patch)
    if (next !== s) set({ byId: next.byId, order: next.order, counts: next.counts })
  },
  load(list) {
    let data = jobsFromList(list)
    for (const patch of get().pending) data = applyJobsChanged(data, patch)
    set({ ...data, loaded: true, error: null, pending: [] })
  },
  loadMore(list) {
    const s = get()
    const next = mergeJobs(s, list)
    if (next !== s) set({ byId: next.byId, order: next.order, counts: next.counts })
  },
  fail(message) {
    set({ error: message, loaded: false })
  }
}))

export function jobById(id: string): JobView | undefined {
  return useJobs.getState().byId.get(id)
}
