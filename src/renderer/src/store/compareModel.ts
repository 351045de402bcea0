// Compare runs are the jobs created with lineage 'compare', grouped by their batch.
import type { JobsData } from './jobsModel'

export interface CompareRun {
  key: string
  createdAt: number
  prompt: string
  jobIds: string[]
}

export function compareRuns(data: JobsData): CompareRun[] {
  const runs = new Map<string, CompareRun>()
  for (const id of data.order) {
    const job = data.byId.get(id)
    if (!job || job.lineage !== 'compare') continue
    const key = job.batchId ?? job.id
    let run = runs.get(key)
    if (!run) {
      run = { key, createdAt: job.createdAt, prompt: job.spec.prompt, jobIds: [] }
      runs.set(key, run)
    }
    run.jobIds.push(id)
  }
  // data.order is newest first, so runs come out newest first; inside a run show oldest (submission order) first.
  return [...runs.values()].map((r) => ({ ...r, jobIds: r.jobIds.slice().reverse() }))
}

/** A stable string of the runs' shape, so a row's progress tick does not re-render the run list. */
export function runsSignature(data: JobsData): string {
  return compareRuns(data)
    .map((r) => `${r.key}:${r.jobIds.join(',')}`)
    .join('|')
}
