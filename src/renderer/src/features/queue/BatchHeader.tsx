// The header of a batch in the queue: how far it got, what it has cost so far, its state, and what
// can be done with it at once — retry the jobs the provider failed (new paid jobs, asked first),
// cancel the rest, open its videos.
import { memo, useMemo, type ReactElement } from 'react'
import { Button } from '../../components/Button'
import { Icon } from '../../components/Icon'
import { useLang, useT, type MessageKey } from '../../i18n'
import { formatMoney } from '../../lib/format'
import { navigate } from '../../store/app'
import { useLibrary } from '../../store/library'
import { defaultFilters } from '../../store/libraryModel'
import { jobById, useJobs } from '../../store/jobs'
import { batchSummary, type BatchSummary } from '../../store/queueModel'
import { cancelJobs, retryFailedJobs } from '../common/jobActions'

export const BATCH_HEADER_HEIGHT = 44

export const BatchHeader = memo(function BatchHeader({ batchId, style }: { batchId: string; style: React.CSSProperties }): ReactElement {
  const t = useT()
  const lang = useLang((s) => s.lang)
  // A string is a stable snapshot: a fresh object on every store read would re-render forever.
  const key = useJobs((s) => JSON.stringify(batchSummary(s, batchId)))
  const b = useMemo(() => JSON.parse(key) as BatchSummary, [key])
  // Finished is good news only when every job made its video (a canceled batch is finished too).
  const tone = b.state === 'attention' ? 'warn' : b.state === 'failed' ? 'danger' : b.state === 'active' ? 'accent' : b.done === b.total ? 'ok' : 'muted'
  return (
    <div className="queue-batch" style={style} data-testid="queue-batch" data-batch-id={batchId} data-state={b.state} role="group" aria-label={t('queue.batch')}>
      <Icon name="batch" />
      <span className="queue-batch-title">{t('queue.batch')}</span>
      <span className="queue-batch-done" data-testid="batch-done">
        {t('queue.batchDone', { done: b.done, total: b.total })}
      </span>
      <span className="queue-batch-cost" data-testid="batch-cost">
        {t('queue.batchCostSoFar', { cost: formatMoney(b.costSoFar, lang) })}
      </span>
      <span className={`badge badge-${tone}`} data-testid="batch-state">
        <span className="badge-dot" aria-hidden="true" />
        {t(`queue.batchState.${b.state}` as MessageKey)}
      </span>
      <span className="queue-batch-actions">
        {b.retryIds.length > 0 ? (
          <Button size="sm" icon="retry" onClick={() => void retryFailedJobs(b.retryIds, b.retryCost, b.retryUnpriced)} data-testid="batch-retry-failed">
            {t('queue.retryAllFailed', { count: b.retryIds.length })}
          </Button>
        ) : null}
        {b.cancelIds.length > 0 ? (
          <Button size="sm" variant="ghost" className="danger-hover" icon="x" onClick={() => void cancelJobs(b.cancelIds.flatMap((id) => jobById(id) ?? []))} data-testid="batch-cancel-rest">
            {t('queue.cancelRest', { count: b.cancelIds.length })}
          </Button>
        ) : null}
        {b.completedItems.length > 0 ? (
          <Button size="sm" variant="ghost" icon="library" onClick={() => openBatchInLibrary(batchId)} data-testid="batch-open-library">
            {t('queue.openInLibrary')}
          </Button>
        ) : null}
      </span>
    </div>
  )
})

/** The library, showing only this batch's videos (a chip there clears it). */
function openBatchInLibrary(batchId: string): void {
  useLibrary.getState().setFilters({ ...defaultFilters, sort: useLibrary.getState().filters.sort, batchId })
  navigate({ name: 'library' })
}
