// Undecided jobs of a batch are decided together: one bar per batch with more than one of them,
// saying how many and what resubmitting would cost (each a new paid create).
import { useMemo, type ReactElement } from 'react'
import { Button } from '../../components/Button'
import { Icon } from '../../components/Icon'
import { useLang, useT } from '../../i18n'
import { formatMoney } from '../../lib/format'
import { useJobs } from '../../store/jobs'
import { undecidedBatches, type UndecidedBatch } from '../../store/jobsModel'
import { decideBatch } from '../common/jobActions'

export function UndecidedBatches(): ReactElement | null {
  const t = useT()
  const lang = useLang((s) => s.lang)
  // A string is a stable snapshot: a fresh array on every store read would re-render forever.
  const key = useJobs((s) => JSON.stringify(undecidedBatches(s)))
  const batches = useMemo(() => JSON.parse(key) as UndecidedBatch[], [key])
  if (!batches.length) return null
  return (
    <div className="undecided-batches" data-testid="undecided-batches">
      {batches.map((b) => (
        <div key={b.batchId} className="banner banner-warn undecided-batch" role="status" data-testid="undecided-batch">
          <Icon name="alert" />
          <p>
            {t('queue.batchUndecided', { count: b.count })} {b.cost === null ? t('queue.batchResubmitCostUnknown') : t('queue.batchResubmitCost', { cost: formatMoney(b.cost, lang) })}
          </p>
          <Button size="sm" variant="primary" onClick={() => void decideBatch(b, 'resubmit')} data-testid="batch-resubmit">
            {t('queue.resubmitAll', { count: b.count })}
          </Button>
          <Button size="sm" onClick={() => void decideBatch(b, 'dismiss')} data-testid="batch-dismiss">
            {t('queue.dismissAll')}
          </Button>
        </div>
      ))}
    </div>
  )
}
