// Creating jobs, shared by compose, batch and compare: one place that toasts the outcome and
// remembers held jobs so the user can send them anyway.
import { errorMessage } from '../../api'
import { jobsClient } from '../../clients/jobsClient'
import { settingsClient } from '../../clients/settingsClient'
import { t } from '../../i18n'
import { REMEMBERED_MODELS_MAX, type CreateJobsReply, type JobSpec } from '../../shared'
import { navigate, useApp } from '../../store/app'
import { useKeys } from '../../store/keys'
import { rememberFields, rememberedOf } from '../../store/composeModel'
import { toastError, toastSuccess } from '../../store/toasts'

/** `rememberFields`: Compose's own fields open Compose next time (a batch's or a comparison's do not). */
export async function createJobs(specs: JobSpec[], lineage?: 'compare', opts: { rememberFields?: boolean } = {}): Promise<CreateJobsReply | null> {
  try {
    const reply = await jobsClient.create(specs, lineage, useKeys.getState().sendWithId())
    if (reply.ok && !reply.held) {
      toastSuccess(t('submit.queued', { count: reply.jobs.length }), { label: t('submit.viewQueue'), run: () => navigate({ name: 'queue' }) })
    }
    if (reply.ok && specs[0]) rememberModel(specs[0], opts.rememberFields === true)
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

/** The model and its fields open Compose next time (also after a restart). */
function rememberModel(spec: JobSpec, withFields: boolean): void {
  const settings = useApp.getState().settings
  const fields = rememberedOf(spec)
  const before = settings?.lastFields && Object.hasOwn(settings.lastFields, spec.model) ? settings.lastFields[spec.model] : undefined
  const sameFields = !withFields || (before !== undefined && JSON.stringify(before) === JSON.stringify(fields))
  if (settings?.lastModel === spec.model && sameFields) return
  void settingsClient
    .remember(withFields ? { lastModel: spec.model, lastFields: rememberFields(settings?.lastFields ?? {}, spec.model, fields, REMEMBERED_MODELS_MAX) } : { lastModel: spec.model })
    .then((next) => useApp.setState({ settings: next }))
    .catch(() => undefined)
}
