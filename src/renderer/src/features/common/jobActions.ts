// What the queue (and compare) can do with a job. Each action reports its outcome as a toast.
import { errorMessage } from '../../api'
import { jobsClient } from '../../clients/jobsClient'
import { engineText, fieldErrorText, t, useLang } from '../../i18n'
import { inspectPaths } from '../../lib/files'
import { formatMoney } from '../../lib/format'
import { MAY_BE_BILLED_STATES, isIn, type JobView } from '../../shared'
import { modelById, navigate } from '../../store/app'
import { useCompose } from '../../store/compose'
import type { UndecidedBatch } from '../../store/jobsModel'
import { confirmDialog } from '../../store/dialogs'
import { toastError, toastInfo, toastSuccess } from '../../store/toasts'

export async function cancelJob(job: JobView): Promise<void> {
  // Its create may have reached the provider (sent, answered, or the answer lost): it may be billed.
  const sent = job.remoteId !== null || isIn(MAY_BE_BILLED_STATES, job.state)
  const ok = await confirmDialog({
    title: t('queue.cancelTitle'),
    body: sent ? t('queue.cancelBodySent') : t('queue.cancelBody'),
    confirmLabel: t('queue.cancelConfirm'),
    cancelLabel: t('queue.keep'),
    danger: true,
    testId: 'cancel-dialog'
  })
  if (!ok) return
  const reply = await jobsClient.cancel(job.id)
  if (reply) toastInfo(engineText(useLang.getState().lang, reply.message, reply.job.noteCode, reply.job.noteParams) || t('queue.canceled'))
}

/** Retry is a new paid job: said with its cost before and after. */
export async function retryJob(job: JobView): Promise<void> {
  const ok = await confirmDialog({
    title: t('queue.retryTitle'),
    body: job.estimatedCost === null ? t('queue.retryBodyUnknown') : t('queue.retryBody', { cost: formatMoney(job.estimatedCost, useLang.getState().lang) }),
    confirmLabel: t('queue.retryConfirm'),
    testId: 'retry-dialog'
  })
  if (!ok) return
  const reply = await jobsClient.retry(job.id)
  if (!reply) return
  if (reply.ok) toastSuccess(t('queue.retried'))
  else toastError(reply.errors.flatMap((e) => e.errors.map((x) => fieldErrorText(useLang.getState().lang, x))).join(' ') || t('queue.retryFailed'))
}

export async function decideJob(job: JobView, choice: 'resubmit' | 'dismiss'): Promise<void> {
  if (choice === 'resubmit') {
    const ok = await confirmDialog({
      title: t('queue.resubmitTitle'),
      body: t('queue.resubmitBody'),
      confirmLabel: t('queue.resubmit'),
      testId: 'resubmit-dialog'
    })
    if (!ok) return
  }
  const reply = await jobsClient.decide(job.id, choice)
  if (reply) toastInfo(choice === 'resubmit' ? t('queue.resubmitted') : t('queue.dismissed'))
}

/** A made video whose download did not finish: fetch it again (no new task, no new charge). */
export async function retryDownload(job: JobView): Promise<void> {
  const reply = await jobsClient.retryDownload(job.id)
  if (reply) toastInfo(t('queue.downloadRetried'))
}

/** A task we lost contact with: look for it again, or let it go. */
export async function contactJob(job: JobView, choice: 'check' | 'dismiss'): Promise<void> {
  const reply = await jobsClient.contact(job.id, choice)
  if (reply) toastInfo(choice === 'check' ? t('queue.checking') : t('queue.dismissed'))
}

/** Every undecided job of a batch at once, after saying how many and what resubmitting costs. */
export async function decideBatch(batch: UndecidedBatch, choice: 'resubmit' | 'dismiss'): Promise<void> {
  const cost = batch.cost === null ? t('queue.batchResubmitCostUnknown') : t('queue.batchResubmitCost', { cost: formatMoney(batch.cost, useLang.getState().lang) })
  const ok = await confirmDialog({
    title: choice === 'resubmit' ? t('queue.resubmitAllTitle', { count: batch.count }) : t('queue.dismissAllTitle', { count: batch.count }),
    body: choice === 'resubmit' ? `${t('queue.resubmitBody')} ${cost}` : t('queue.dismissAllBody'),
    confirmLabel: choice === 'resubmit' ? t('queue.resubmitAll', { count: batch.count }) : t('queue.dismissAll'),
    testId: 'batch-decide-dialog'
  })
  if (!ok) return
  const reply = await jobsClient.decideMany(batch.batchId, choice)
  if (reply) toastInfo(choice === 'resubmit' ? t('queue.resubmittedMany', { count: reply.jobs.length }) : t('queue.dismissedMany', { count: reply.jobs.length }))
}

export async function sendHeldJob(job: JobView): Promise<void> {
  const reply = await jobsClient.confirmHeld([job.id])
  if (reply) toastSuccess(t('submit.sent', { count: reply.length }))
}

/** Opens the job's video in the app's player (or the system player when it is not in the library yet). */
export function openJob(job: JobView, back: 'queue' | 'compare' = 'queue'): void {
  if (job.libraryItemId) navigate({ name: 'player', itemId: job.libraryItemId, back })
  else void jobsClient.open(job.id)
}

export function showJobInFolder(job: JobView): void {
  void jobsClient.showInFolder(job.id)
}

export async function copyTaskId(job: JobView): Promise<void> {
  if (!job.remoteId) return
  try {
    await navigator.clipboard.writeText(job.remoteId)
    toastSuccess(t('queue.copied', { id: job.remoteId }))
  } catch (error) {
    toastError(errorMessage(error))
  }
}

/** Fills compose with the job's settings (and its images, when they are still on disk). */
export async function duplicateIntoCompose(job: JobView): Promise<void> {
  const model = modelById(job.model)
  useCompose.getState().prefill(job.spec, model)
  navigate({ name: 'compose' })
  const paths = job.spec.images ?? []
  if (paths.length === 0) return
  const reply = await inspectPaths(paths, job.model, job.id)
  if (reply && reply.cards.length > 0) {
    useCompose.getState().update({ mode: 'image-to-video' })
    useCompose.getState().setImages(reply.cards)
  }
  if (!reply || reply.cards.length < paths.length) useCompose.setState({ notice: t('compose.imagesMissing') })
}

export async function clearFinished(ids: string[]): Promise<void> {
  if (ids.length === 0) return
  const ok = await confirmDialog({
    title: t('queue.clearTitle', { count: ids.length }),
    body: t('queue.clearBody'),
    confirmLabel: t('queue.clear'),
    testId: 'clear-dialog'
  })
  if (!ok) return
  let removed = 0
  for (let i = 0; i < ids.length; i += 10_000) {
    try {
      removed += await jobsClient.remove(ids.slice(i, i + 10_000))
    } catch (error) {
      toastError(errorMessage(error))
      break
    }
  }
  if (removed > 0) toastSuccess(t('queue.cleared', { count: removed }))
}

/**
 * "Retry all failed" (a batch, or the selected jobs): each is a new paid job, so the count and the
 * cost are said and asked first. Only jobs the provider failed and nobody retried are passed in.
 */
export async function retryFailedJobs(ids: string[], cost: number, unpriced: number): Promise<void> {
  if (ids.length === 0) return
  const lang = useLang.getState().lang
  const body = [t('queue.retryManyBody', { count: ids.length, cost: formatMoney(cost, lang) }), unpriced > 0 ? t('queue.retryManyUnpriced', { count: unpriced }) : ''].filter(Boolean).join(' ')
  const ok = await confirmDialog({
    title: t('queue.retryManyTitle', { count: ids.length }),
    body,
    confirmLabel: t('queue.retryManyConfirm', { count: ids.length }),
    testId: 'retry-many-dialog'
  })
  if (!ok) return
  const reply = await jobsClient.retryFailed(ids)
  if (!reply) return
  if (!reply.ok) toastError(reply.errors.flatMap((e) => e.errors.map((x) => fieldErrorText(lang, x))).join(' ') || t('queue.retryFailed'))
  else if (reply.held) toastInfo(t('queue.retriedHeld', { count: reply.jobs.length }))
  else toastSuccess(t('queue.retriedMany', { count: reply.jobs.length }))
}

/** Cancels several jobs at once, after saying whether the provider may still bill some of them. */
export async function cancelJobs(jobs: JobView[]): Promise<void> {
  if (jobs.length === 0) return
  const sent = jobs.some((j) => j.remoteId !== null || isIn(MAY_BE_BILLED_STATES, j.state))
  const ok = await confirmDialog({
    title: t('queue.cancelManyTitle', { count: jobs.length }),
    body: sent ? t('queue.cancelManyBodySent') : t('queue.cancelManyBody'),
    confirmLabel: t('queue.cancelManyConfirm', { count: jobs.length }),
    cancelLabel: t('queue.keep'),
    danger: true,
    testId: 'cancel-many-dialog'
  })
  if (!ok) return
  const n = await jobsClient.cancelMany(jobs.map((j) => j.id))
  if (n !== null) toastInfo(t('queue.canceledMany', { count: n }))
}

/** Removes the given finished (or held) jobs from the queue; their videos stay in the library. */
export async function removeJobs(ids: string[]): Promise<void> {
  if (ids.length === 0) return
  const ok = await confirmDialog({
    title: t('queue.removeManyTitle', { count: ids.length }),
    body: t('queue.clearBody'),
    confirmLabel: t('queue.clear'),
    testId: 'remove-many-dialog'
  })
  if (!ok) return
  try {
    const n = await jobsClient.remove(ids)
    toastSuccess(t('queue.removedMany', { count: n }))
  } catch {
    // jobsClient.remove has said what went wrong.
  }
}
