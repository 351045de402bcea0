import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useMemo, useRef, useState, type ReactElement } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { loadJobs } from '../../boot'
import { Button } from '../../components/Button'
import { EmptyState, ErrorPanel, Loading } from '../../components/Feedback'
import { Icon } from '../../components/Icon'
import { ScreenHeader } from '../../components/ScreenHeader'
import { useLang, useT, type MessageKey } from '../../i18n'
import { formatNumber } from '../../lib/format'
import { TERMINAL_STATES } from '../../shared'
import { navigate } from '../../store/app'
import { useJobs } from '../../store/jobs'
import { QUEUE_FILTERS, countIn, filterCount, filterJobIds, finishedIds, type QueueFilter } from '../../store/jobsModel'
import { clearFinished } from '../common/jobActions'
import { QueueRow, ROW_HEIGHT } from './QueueRow'
import { UndecidedBatches } from './UndecidedBatches'
import './queue.css'

export function QueueScreen({ focusId, nonce }: { focusId?: string; nonce?: number }): ReactElement {
  const t = useT()
  const lang = useLang((s) => s.lang)
  const loaded = useJobs((s) => s.loaded)
  const error = useJobs((s) => s.error)
  const counts = useJobs((s) => s.counts)
  const [filter, setFilter] = useState<QueueFilter>('all')
  const [text, setText] = useState('')
  const ids = useJobs(useShallow((s) => filterJobIds(s, filter, text)))
  const total = useJobs((s) => s.order.length)
  const scrollRef = useRef<HTMLDivElement>(null)
  const [flash, setFlash] = useState<string | null>(null)

  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (i) => ids[i]
  })

  // focus.job / "show in queue": show every state, scroll to the row and highlight it briefly.
  useEffect(() => {
    if (!focusId || !loaded) return
    if (!useJobs.getState().byId.has(focusId)) return
    setFilter('all')
    setText('')
    setFlash(focusId)
    const timer = window.setTimeout(() => setFlash(null), 2400)
    return () => window.clearTimeout(timer)
  }, [focusId, nonce, loaded])

  useEffect(() => {
    if (!flash) return
    const index = ids.indexOf(flash)
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'center' })
  }, [flash, ids, virtualizer])

  const finished = useMemo(() => countIn(counts, TERMINAL_STATES), [counts])

  return (
    <div className="screen screen-queue" data-testid="queue-screen">
      <ScreenHeader title={t('queue.title')} subtitle={loaded ? t('queue.subtitle', { count: formatNumber(total, lang), active: formatNumber(filterCount(counts, 'active'), lang) }) : undefined}>
        <div className="search-box">
          <Icon name="search" />
          <input className="input input-search" placeholder={t('queue.search')} value={text} onChange={(e) => setText(e.target.value)} aria-label={t('queue.search')} data-testid="queue-search" />
        </div>
        <Button icon="trash" disabled={finished === 0} onClick={() => void clearFinished(finishedIds(useJobs.getState()))} data-testid="queue-clear">
          {t('queue.clearFinished')}
        </Button>
      </ScreenHeader>
      <div className="filter-bar" role="toolbar" aria-label={t('queue.filters')}>
        {QUEUE_FILTERS.map((f) => {
          const n = filterCount(counts, f)
          return (
            <button key={f} type="button" className={`chip ${filter === f ? 'is-on' : ''}`} aria-pressed={filter === f} onClick={() => setFilter(f)} data-testid={`queue-filter-${f}`}>
              {t(`queue.filter.${f}` as MessageKey)}
              <span className="chip-count">{formatNumber(n, lang)}</span>
            </button>
          )
        })}
      </div>
      {loaded ? <UndecidedBatches /> : null}
      {!loaded && error ? (
        <ErrorPanel message={error} onRetry={() => void loadJobs()} />
      ) : !loaded ? (
        <Loading label={t('queue.loading')} />
      ) : total === 0 ? (
        <EmptyState icon="queue" title={t('queue.emptyTitle')} body={t('queue.emptyBody')} testId="queue-empty">
          <Button variant="primary" icon="compose" onClick={() => navigate({ name: 'compose' })}>
            {t('queue.startCompose')}
          </Button>
        </EmptyState>
      ) : ids.length === 0 ? (
        <EmptyState icon="search" title={t('queue.noMatch')} body={t('queue.noMatchBody')}>
          <Button
            onClick={() => {
              setFilter('all')
              setText('')
            }}
          >
            {t('queue.showAll')}
          </Button>
        </EmptyState>
      ) : (
        <div className="virtual-scroll" ref={scrollRef} data-testid="queue-list">
          <div role="list" aria-label={t('queue.title')} style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((row) => (
              <QueueRow
                key={row.key}
                id={ids[row.index]}
                focused={flash === ids[row.index]}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${row.start}px)` }}
              />
            ))}
          </div>
        </div>
      )}
    </div>
  )
}
