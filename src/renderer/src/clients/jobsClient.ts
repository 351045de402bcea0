// The jobs.* channels and their events. Actions the person started toast a failure and resolve
// null; calls whose caller shows the error where it belongs (a form, the first load) throw quietly.
import { attempt, invoke, onEvent } from '../api'
import type { EventOf, JobSpec, RequestOf } from '../shared'

const quiet = { quiet: true }

export const jobsClient = {
  list: (page: RequestOf<'jobs.list'>) => invoke('jobs.list', page, quiet),
  validate: (spec: JobSpec) => invoke('jobs.validate', { spec }, quiet),
  /** `keyId`: the named key to send with (the default key when absent). */
  create: (specs: JobSpec[], lineage?: RequestOf<'jobs.create'>['lineage'], keyId?: string | null) =>
    invoke('jobs.create', { specs, ...(lineage ? { lineage } : {}), ...(keyId ? { keyId } : {}) }, quiet),
  cancel: (id: string) => attempt('jobs.cancel', { id }),
  retry: (id: string) => attempt('jobs.retry', { id }),
  remix: (id: string, prompt: string) => attempt('jobs.remix', { id, prompt }),
  decide: (id: string, choice: RequestOf<'jobs.decide'>['choice']) => attempt('jobs.decide', { id, choice }),
  decideMany: (batchId: string, choice: RequestOf<'jobs.decideMany'>['choice']) => attempt('jobs.decideMany', { batchId, choice }),
  retryDownload: (id: string) => attempt('jobs.retryDownload', { id }),
  contact: (id: string, choice: RequestOf<'jobs.contact'>['choice']) => attempt('jobs.contact', { id, choice }),
  confirmHeld: (ids: string[]) => attempt('jobs.confirmHeld', { ids }),
  /** Toasts and throws, so a caller removing in chunks stops at the first failure. */
  remove: (ids: string[]) => invoke('jobs.remove', { ids }),
  open: (id: string) => attempt('jobs.open', { id }),
  showInFolder: (id: string) => attempt('jobs.showInFolder', { id }),
  /** The details panel shows its own error, so this throws quietly. */
  details: (id: string) => invoke('jobs.details', { id }, quiet),
  /** New paid jobs for those of `ids` the provider failed (asked first by the caller). */
  retryFailed: (ids: string[]) => attempt('jobs.retryFailed', { ids }),
  cancelMany: (ids: string[]) => attempt('jobs.cancelMany', { ids }),
  onChanged: (listener: (patch: EventOf<'jobs.changed'>) => void) => onEvent('jobs.changed', listener)
}
