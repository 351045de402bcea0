// Creating jobs, shared by compose, batch and compare: one place that toasts the outcome and
// remembers held jobs so the user can send them anyway.
import { errorMessage } from '../../api'
import { jobsClient } from '../../clients/jobsClient'
import { settingsClient } from '../../clients/settingsClient'
import { t } from '../../i18n'
import type { CreateJobsReply, JobSpec } from '../../shared'
import { navigate, useApp } from '../../store/app'
import { toastError, toastSuccess } from '../../store/toasts'

export async function createJobs(specs: JobSpec[], lineage?: 'compare'): Promise<CreateJobsReply | null> {
  try {
    const reply = await jobsClient.create(specs, lineage)
    if (reply.ok && !reply.held) {
      toastSuccess(t('submit.queued', { count: reply.jobs.length }), { label: t('submit.viewQueue'), run: () => navigate({ name: 'queue' }) })
    }
    if (reply.ok && specs[0]) rememberModel(specs[0].model)
    return reply
  } catch (error) {
    toastError(errorMessage(error))
    return null
  }
}

export async function sendHeld(ids: string[]): Promise<boolean> {
  const jobs = await jobsClient.confirmHeld(ids)
  if (!jobs) return false
  toastSuccess(t('submit.sent', { count: jobs.length }), { label: t('submit.viewQueue'), run: () => navigate({ name: 'queue' }) })
  return true
}

function rememberModel(model: string): void {
  if (useApp.getState().settings?.lastModel === model) return
  void settingsClient
    .remember({ lastModel: model })
    .then((settings) => useApp.setState({ settings }))
    .catch(() => undefined)
}
