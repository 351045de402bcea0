// The side panel of the queue: one selected job in full (every parameter, the source file names,
// the timeline of its states, what the spend ledger billed, the full error, the task id and its
// actions), or, with several selected, what can be done to them at once.
import { useEffect, useMemo, useState, type ReactElement, type ReactNode } from 'react'
import { errorMessage } from '../../api'
import { jobsClient } from '../../clients/jobsClient'
import { Button, IconButton } from '../../components/Button'
import { StateBadge } from '../../components/Feedback'
import { useLang, useT, type Lang, type MessageKey } from '../../i18n'
import { formatMoney, formatSize } from '../../lib/format'
import { MAY_BE_BILLED_STATES, isIn, type JobDetails, type JobView } from '../../shared'
import { useJobs } from '../../store/jobs'
import { replacedBy } from '../../store/jobsModel'
import { bulkPlan, sourceNames } from '../../store/queueModel'
import { cancelJobs, removeJobs, retryFailedJobs } from '../common/jobActions'
import { RowActions, jobErrorText, jobNoteText } from './QueueRow'
import { ModelName } from '../common/ModelName'
import { keyName, useKeys, watchKeys } from '../../store/keys'

/** Date and time to the second: a job's states are often seconds apart. */
function formatMoment(ms: number, lang: Lang): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(ms))
}

function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }): ReactElement {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </>
  )
}

export function JobDetailsPanel({ id, onShow, onClose }: { id: string; onShow: (id: string) => void; onClose: () => void }): ReactElement | null {
  const t = useT()
  const lang = useLang((s) => s.lang)
  const job = useJobs((s) => s.byId.get(id))
  // With several named keys, which one this job is sent, checked and downloaded with.
  const keys = useKeys((st) => st.keys)
  useEffect(() => watchKeys(), [])
  const replacement = useJobs((s) => {
    const r = replacedBy(s, id)
    return r ? s.byId.get(r) ?? null : null
  })
  const [details, setDetails] = useState<{ id: string; data: JobDetails } | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  // The timeline and billing come from the engine; asked again when the job changes state or is
  // accepted (not on every progress note, which would ask many times a second while downloading).
  const version = job ? `${job.state}:${job.remoteId ?? ''}` : ''
  useEffect(() => {
    let live = true
    setProblem(null)
    jobsClient
      .details(id)
      .then((data) => live && setDetails({ id, data }))
      .catch((error: unknown) => live && setProblem(errorMessage(error)))
    return () => {
      live = false
    }
  }, [id, version])
  if (!job) return null
  const d = details?.id === id ? details.data : null
  const spec = job.spec
  const sources = sourceNames(job)
  const keyOfJob = keys?.find((k) => k.id === job.keyId)
  return (
    <aside className="queue-panel" data-testid="job-details" data-job-id={job.id} aria-label={t('queue.details')}>
      <header className="queue-panel-head">
        <div className="queue-panel-title">
          <ModelName id={job.model} className="queue-model" />
          <StateBadge state={job.state} />
        </div>
        <IconButton icon="x" size="sm" label={t('queue.closeDetails')} onClick={onClose} data-testid="job-details-close" />
      </header>
      <div className="queue-panel-body">
        {replacement ? (
          <p className="queue-panel-replaced" data-testid="job-details-replaced">
            {t('queue.d.replacedBy', { state: t(`state.${replacement.state}` as MessageKey) })}{' '}
            <button type="button" className="link" onClick={() => onShow(replacement.id)} data-testid="job-details-show-retry">
              {t('queue.d.showReplacement')}
            </button>
          </p>
        ) : null}
        <section>
          <h3>{t('queue.d.prompt')}</h3>
          <p className="queue-panel-prompt" data-testid="job-details-prompt">
            {spec.prompt || <span className="muted">{t('queue.noPrompt')}</span>}
          </p>
          {spec.negativePrompt ? (
            <>
              <h3>{t('queue.d.negative')}</h3>
              <p className="queue-panel-prompt">{spec.negativePrompt}</p>
            </>
          ) : null}
        </section>
        <section>
          <h3>{t('queue.d.params')}</h3>
          <dl className="queue-panel-fields" data-testid="job-details-params">
            <Field label={t('queue.d.model')}>
              <ModelName id={job.model} /> <span className="mono muted">{job.model}</span>
              {job.vendor ? ` · ${job.vendor}` : ''}
            </Field>
            {spec.seconds != null ? <Field label={t('queue.d.seconds')}>{t('queue.d.secondsValue', { n: spec.seconds })}</Field> : null}
            {spec.size ? <Field label={t('queue.d.size')}>{formatSize(spec.size)}</Field> : null}
            {spec.aspectRatio ? <Field label={t('queue.d.aspect')}>{spec.aspectRatio}</Field> : null}
            {spec.resolution ? <Field label={t('queue.d.resolution')}>{spec.resolution}</Field> : null}
            <Field label={t('queue.d.seed')} testId="job-details-seed">
              {spec.seed != null ? <span className="mono">{spec.seed}</span> : <span className="muted">{t('queue.d.noSeed')}</span>}
            </Field>
            {spec.remixOf ? <Field label={t('queue.d.remixOf')}><span className="mono">{spec.remixOf}</span></Field> : null}
            {Object.entries(spec.params ?? {}).map(([k, v]) => (
              <Field key={k} label={k}>
                <span className="mono">{String(v)}</span>
              </Field>
            ))}
            <Field label={t('queue.d.sources')} testId="job-details-sources">
              {sources.length ? sources.map((n, i) => <div key={`${i}:${n}`} className="mono">{n}</div>) : <span className="muted">{t('queue.d.noSources')}</span>}
            </Field>
          </dl>
        </section>
        <section>
          <dl className="queue-panel-fields">
            <Field label={t('queue.d.taskId')} testId="job-details-task-id">
              {job.remoteId ? <span className="mono selectable">{job.remoteId}</span> : <span className="muted">{t('queue.d.noTaskId')}</span>}
            </Field>
            <Field label={t('queue.d.jobId')}>
              <span className="mono selectable">{job.id}</span>
            </Field>
            {keys && keys.length > 1 ? (
              <Field label={t('queue.d.key')} testId="job-details-key">
                {keyOfJob ? keyName(keyOfJob) : <span className="muted">{t('spend.removedKey')}</span>}
              </Field>
            ) : null}
            <Field label={t('queue.d.billing')} testId="job-details-billing">
              {d
                ? d.billed
                  ? t('queue.d.billed', { cost: formatMoney(d.billed.amount, lang), time: formatMoment(d.billed.at, lang) })
                  : d.timeline.some((e) => isIn(MAY_BE_BILLED_STATES, e.state))
                    ? t('queue.d.maybeBilled')
                    : t('queue.d.notBilled')
                : '…'}
              <div className="muted">{job.estimatedCost !== null ? t('queue.d.estimate', { cost: formatMoney(job.estimatedCost, lang) }) : t('queue.d.noEstimate')}</div>
            </Field>
          </dl>
        </section>
        {job.error ? (
          <section>
            <h3>{t('queue.d.error')}</h3>
            <p className="queue-panel-error selectable" data-testid="job-details-error">
              {t(`errorKind.${job.error.kind}` as MessageKey)} — {jobErrorText(job, lang)}
            </p>
            {job.error.status || job.error.requestId ? (
              <p className="muted mono">
                {[job.error.status ? t('queue.d.httpStatus', { status: job.error.status }) : '', job.error.requestId ? t('queue.d.requestId', { id: job.error.requestId }) : ''].filter(Boolean).join(' · ')}
              </p>
            ) : null}
          </section>
        ) : null}
        {job.note ? (
          <section>
            <h3>{t('queue.d.note')}</h3>
            <p>{jobNoteText(job, lang)}</p>
          </section>
        ) : null}
        <section>
          <h3>{t('queue.d.timeline')}</h3>
          {problem ? (
            <p className="queue-panel-error">{t('queue.d.loadFailed', { message: problem })}</p>
          ) : (
            <ol className="queue-timeline" data-testid="job-timeline">
              {(d?.timeline ?? []).map((e, i) => (
                <li key={`${i}:${e.state}`} data-testid="timeline-entry" data-state={e.state}>
                  <span className="queue-timeline-state">{t(`state.${e.state}` as MessageKey)}</span>
                  <time className="mono" dateTime={new Date(e.at).toISOString()}>
                    {formatMoment(e.at, lang)}
                  </time>
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
      <footer className="queue-panel-actions" data-testid="job-details-actions">
        <RowActions job={job} replaced={replacement !== null} />
      </footer>
    </aside>
  )
}

export function BulkPanel({ ids, onClear }: { ids: ReadonlySet<string>; onClear: () => void }): ReactElement {
  const t = useT()
  const lang = useLang((s) => s.lang)
  const byId = useJobs((s) => s.byId)
  const plan = useMemo(() => bulkPlan({ byId }, ids), [byId, ids])
  const mod = /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl'
  const jobsOf = (list: string[]): JobView[] => list.flatMap((id) => byId.get(id) ?? [])
  const nothing = !plan.cancel.length && !plan.retry.length && !plan.remove.length
  return (
    <aside className="queue-panel" data-testid="bulk-panel" aria-label={t('queue.selected', { count: ids.size })}>
      <header className="queue-panel-head">
        <div className="queue-panel-title" data-testid="bulk-count">
          {t('queue.selected', { count: ids.size })}
        </div>
        <IconButton icon="x" size="sm" label={t('queue.clearSelection')} onClick={onClear} data-testid="bulk-clear" />
      </header>
      <div className="queue-panel-body queue-bulk">
        {plan.cancel.length ? (
          <Button icon="x" className="danger-hover" onClick={() => void cancelJobs(jobsOf(plan.cancel))} data-testid="bulk-cancel">
            {t('queue.bulkCancel', { count: plan.cancel.length })}
          </Button>
        ) : null}
        {plan.retry.length ? (
          <Button icon="retry" onClick={() => void retryFailedJobs(plan.retry, plan.retryCost, plan.retryUnpriced)} data-testid="bulk-retry">
            {t('queue.bulkRetry', { count: plan.retry.length, cost: formatMoney(plan.retryCost, lang) })}
          </Button>
        ) : null}
        {plan.remove.length ? (
          <Button icon="trash" onClick={() => void removeJobs(plan.remove)} data-testid="bulk-remove">
            {t('queue.removeMany', { count: plan.remove.length })}
          </Button>
        ) : null}
        {nothing ? <p className="muted">{t('queue.bulkNothing')}</p> : null}
        <p className="muted queue-bulk-hint">{t('queue.selectHint', { mod })}</p>
      </div>
    </aside>
  )
}
