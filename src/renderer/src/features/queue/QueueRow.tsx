// One queue row. It selects its own job by id, so a patch to another job does not re-render it.
import { memo, type ReactElement } from 'react'
import { Button, IconButton } from '../../components/Button'
import { ProgressBar, StateBadge } from '../../components/Feedback'
import { engineText, useLang, useT, type Lang, type TFunction } from '../../i18n'
import { dragVideoOut } from '../../lib/dragOut'
import { formatBytes, formatClock, formatMoney } from '../../lib/format'
import { useNow } from '../../lib/useNow'
import { CANCELABLE_STATES, GENERATING_STATES, RETRYABLE_STATES, TERMINAL_STATES, WAITING_FOR_PERSON_STATES, isIn, type JobView } from '../../shared'
import { useModelName } from '../../store/app'
import { useJobs } from '../../store/jobs'
import { replacedBy } from '../../store/jobsModel'
import { cancelJob, contactJob, copyTaskId, decideJob, duplicateIntoCompose, openJob, retryDownload, retryJob, sendHeldJob, showJobInFolder } from '../common/jobActions'
import { JobThumb } from './JobThumb'
import { generationProgress } from './progressModel'
import './queue.css'
import { ModelName } from '../common/ModelName'

export const ROW_HEIGHT = 76

/** How a click on a row was made: Shift for a range, Ctrl/Cmd to add or take away one. */
export interface RowClick {
  shift: boolean
  toggle: boolean
}

interface QueueRowProps {
  id: string
  focused: boolean
  selected: boolean
  /** A click on the row itself (not on one of its buttons): select it and show its details. */
  onSelect: (id: string, click: RowClick) => void
  inBatch?: boolean
  style: React.CSSProperties
}

export const QueueRow = memo(function QueueRow({ id, focused, selected, onSelect, inBatch, style }: QueueRowProps): ReactElement | null {
  const job = useJobs((s) => s.byId.get(id))
  const replaced = useJobs((s) => replacedBy(s, id) !== null)
  const modelName = useModelName(job?.model ?? '')
  const t = useT()
  const lang = useLang((s) => s.lang)
  if (!job) return null
  const line = lineOf(job, t, lang)
  const onClick = (e: React.MouseEvent): void => {
    if ((e.target as HTMLElement).closest('button, a, input')) return
    // Shift-click must not select the page's text as well.
    if (e.shiftKey) window.getSelection()?.removeAllRanges()
    onSelect(job.id, { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey })
  }
  // A finished video can be dragged out into a file manager or an editor (main finds the file).
  const canDrag = job.state === 'completed' && job.file !== null
  return (
    <div
      className={`queue-row ${focused ? 'is-focused' : ''} ${selected ? 'is-selected' : ''} ${inBatch ? 'in-batch' : ''} ${replaced ? 'is-replaced' : ''}`}
      style={style}
      data-testid="queue-row"
      data-job-id={job.id}
      data-state={job.state}
      data-selected={selected ? 'true' : undefined}
      data-replaced={replaced ? 'true' : undefined}
      role="option"
      aria-selected={selected}
      aria-label={`${modelName}: ${job.spec.prompt}`}
      onClick={onClick}
      draggable={canDrag || undefined}
      onDragStart={canDrag ? (e) => dragVideoOut(e, { jobId: job.id }) : undefined}
    >
      <JobThumb job={job} />
      <div className="queue-main">
        <div className="queue-title">
          <ModelName id={job.model} className="queue-model" />
          {job.vendor ? <span className="queue-vendor">{job.vendor}</span> : null}
          {job.lineage ? <span className="tag">{t(`lineage.${job.lineage}`)}</span> : null}
          {job.estimatedCost !== null ? <span className="queue-cost">{formatMoney(job.estimatedCost, lang)}</span> : null}
          {replaced ? (
            <span className="tag tag-replaced" title={t('queue.replacedHint')} data-testid="job-replaced">
              {t('queue.replaced')}
            </span>
          ) : null}
          {job.billed ? (
            <span className="tag tag-billed" title={t('queue.billedHint')} data-testid="job-billed">
              {t('queue.billed')}
            </span>
          ) : null}
        </div>
        <p className="queue-prompt" title={job.spec.prompt}>
          {job.spec.prompt || <span className="muted">{t('queue.noPrompt')}</span>}
        </p>
        {line ? (
          <p className={`queue-line queue-line-${line.tone}`} title={line.text} data-testid="job-line">
            {line.text}
          </p>
        ) : null}
      </div>
      <div className="queue-progress">
        <div className="queue-progress-head">
          <StateBadge state={job.state} />
          {isIn(TERMINAL_STATES, job.state) ? <FinishedTime job={job} /> : <Elapsed job={job} />}
        </div>
        <ProgressCell job={job} />
      </div>
      <div className="queue-actions">
        <RowActions job={job} replaced={replaced} />
      </div>
    </div>
  )
})

/** The job's error or note in the user's language (the engine's English when no translation exists). */
export function jobErrorText(job: JobView, lang: Lang): string {
  return job.error ? engineText(lang, job.error.message, job.error.code, job.error.params) : ''
}

export function jobNoteText(job: JobView, lang: Lang): string {
  return job.note ? engineText(lang, job.note, job.noteCode, job.noteParams) : ''
}

function lineOf(job: JobView, t: TFunction, lang: Lang): { text: string; tone: 'error' | 'warn' | 'muted' } | null {
  // A job that stopped and can be tried again leads with why it stopped.
  if (job.error && isIn(RETRYABLE_STATES, job.state)) {
    const text = jobErrorText(job, lang)
    return { text: job.state === 'canceled' ? text : `${t(`errorKind.${job.error.kind}`)} — ${text}`, tone: job.state === 'failed' ? 'error' : 'muted' }
  }
  // A made video that could not be fetched leads with why (and that Retry download costs nothing).
  if (job.error && job.state === 'download_failed') return { text: `${jobErrorText(job, lang)} ${t('queue.madeExplain')}`, tone: 'warn' }
  if (job.note) return { text: jobNoteText(job, lang), tone: isIn(WAITING_FOR_PERSON_STATES, job.state) ? 'warn' : 'muted' }
  if (job.state === 'needs_decision') return { text: t('queue.decisionExplain'), tone: 'warn' }
  if (job.state === 'download_failed') return { text: t('queue.madeExplain'), tone: 'warn' }
  if (job.state === 'lost_contact') return { text: t('queue.lostExplain'), tone: 'warn' }
  if (job.state === 'held') return { text: t('queue.heldExplain'), tone: 'warn' }
  if (job.error) return { text: jobErrorText(job, lang), tone: 'muted' }
  return null
}

function ProgressCell({ job }: { job: JobView }): ReactElement | null {
  const t = useT()
  if (job.state === 'downloading') {
    const pct = job.downloadTotal ? (job.downloadedBytes / job.downloadTotal) * 100 : null
    return (
      <div className="progress-cell">
        <ProgressBar value={pct} label={t('queue.download')} tone="ok" testId="download-progress" />
        <span className="progress-text mono">
          {formatBytes(job.downloadedBytes)}
          {job.downloadTotal ? ` / ${formatBytes(job.downloadTotal)}` : ''}
        </span>
      </div>
    )
  }
  if (isIn(GENERATING_STATES, job.state)) return <GenerationCell job={job} />
  return null
}

function GenerationCell({ job }: { job: JobView }): ReactElement {
  const t = useT()
  const { percent, typicalMs } = generationProgress(job, 0)
  return (
    <div className="progress-cell">
      <ProgressBar value={percent} label={t('queue.generation')} testId="job-progress" />
      <span className="progress-text mono" data-testid="job-progress-text">
        {percent !== null ? `${Math.round(percent)}%` : typicalMs !== null ? t('queue.typical', { time: formatClock(typicalMs) }) : ''}
      </span>
    </div>
  )
}

function Elapsed({ job }: { job: JobView }): ReactElement {
  const now = useNow()
  const t = useT()
  // Only a task the provider is making, with a real percent, has a countdown.
  const { elapsedMs, leftMs: eta } = generationProgress(job, now)
  return (
    <span className="queue-time mono" data-testid="job-elapsed">
      {formatClock(elapsedMs)}
      {eta !== null ? <span className="queue-eta"> · {eta > 0 ? t('queue.eta', { time: formatClock(eta) }) : t('queue.etaSoon')}</span> : null}
    </span>
  )
}

function FinishedTime({ job }: { job: JobView }): ReactElement | null {
  if (!job.completedAt) return null
  return <span className="queue-time mono">{formatClock(job.completedAt - (job.submittedAt ?? job.createdAt))}</span>
}

/** A job's own buttons (the row and the details panel). A job replaced by its retry has no second Retry. */
export function RowActions({ job, replaced }: { job: JobView; replaced: boolean }): ReactElement {
  const t = useT()
  const s = job.state
  // A job waiting for the person offers its own choices (Resubmit / Dismiss, Retry download, Check
  // again / Dismiss) instead of the usual buttons; a made video keeps only its cancel beside them.
  const deciding = isIn(WAITING_FOR_PERSON_STATES, s) && s !== 'held'
  const lang = useLang((st) => st.lang)
  const retryLabel = job.estimatedCost === null ? t('queue.retryPaidUnknown') : t('queue.retryPaid', { cost: formatMoney(job.estimatedCost, lang) })
  return (
    <>
      {s === 'download_failed' ? (
        <Button size="sm" variant="primary" icon="retry" onClick={() => void retryDownload(job)} data-testid="job-retry-download">
          {t('queue.retryDownload')}
        </Button>
      ) : null}
      {s === 'lost_contact' ? (
        <>
          <Button size="sm" variant="primary" onClick={() => void contactJob(job, 'check')} data-testid="job-check">
            {t('queue.checkAgain')}
          </Button>
          <Button size="sm" onClick={() => void contactJob(job, 'dismiss')} data-testid="job-dismiss">
            {t('queue.dismiss')}
          </Button>
        </>
      ) : null}
      {s === 'needs_decision' ? (
        <>
          <Button size="sm" variant="primary" onClick={() => void decideJob(job, 'resubmit')} data-testid="job-resubmit">
            {t('queue.resubmit')}
          </Button>
          <Button size="sm" onClick={() => void decideJob(job, 'dismiss')} data-testid="job-dismiss">
            {t('queue.dismiss')}
          </Button>
        </>
      ) : null}
      {s === 'held' ? (
        <Button size="sm" variant="primary" icon="send" onClick={() => void sendHeldJob(job)} data-testid="job-send">
          {t('queue.send')}
        </Button>
      ) : null}
      {s === 'completed' ? (
        <>
          <IconButton icon="play" size="sm" label={t('queue.open')} onClick={() => openJob(job)} data-testid="job-open" />
          <IconButton icon="folder" size="sm" label={t('common.showInFolder')} onClick={() => showJobInFolder(job)} data-testid="job-show" />
        </>
      ) : null}
      {isIn(RETRYABLE_STATES, s) && !deciding && !replaced ? <IconButton icon="retry" size="sm" label={retryLabel} onClick={() => void retryJob(job)} data-testid="job-retry" /> : null}
      {!deciding ? <IconButton icon="duplicate" size="sm" label={t('queue.duplicate')} onClick={() => void duplicateIntoCompose(job)} data-testid="job-duplicate" /> : null}
      {job.remoteId && !deciding ? <IconButton icon="hash" size="sm" label={t('queue.copyId')} onClick={() => void copyTaskId(job)} data-testid="job-copy-id" /> : null}
      {isIn(CANCELABLE_STATES, s) && (!deciding || s === 'download_failed') ? <IconButton icon="x" size="sm" variant="ghost" className="danger-hover" label={t('queue.cancel')} onClick={() => void cancelJob(job)} data-testid="job-cancel" /> : null}
    </>
  )
}
