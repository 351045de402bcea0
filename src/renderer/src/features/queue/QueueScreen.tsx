import { useVirtualizer } from '@tanstack/react-virtual'
import { useCallback, useEffect, useMemo, useRef, useState, type ReactElement } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { loadJobs } from '../../boot'
import { appClient } from '../../clients/appClient'
import { Button, IconButton } from '../../components/Button'
import { EmptyState, ErrorPanel, Loading } from '../../components/Feedback'
import { Icon } from '../../components/Icon'
import { ScreenHeader } from '../../components/ScreenHeader'
import { useLang, useT, type MessageKey } from '../../i18n'
import { formatNumber } from '../../lib/format'
import { TERMINAL_STATES, type QueueNavFilter } from '../../shared'
import { navigate, useApp } from '../../store/app'
import { useJobs } from '../../store/jobs'
import { QUEUE_FILTERS, countIn, filterCount, filterJobIds, finishedIds, queueFilterCount, type QueueFilter } from '../../store/jobsModel'
import { batchFilterCount, clickSelection, emptySelection, onlyBatch, pruneSelection, queueItems, selectAll, shownIds, type Selection } from '../../store/queueModel'
import { selectionKey } from '../../store/selectionModel'
import { isTyping } from '../../lib/isTyping'
import { clearFinished } from '../common/jobActions'
import { BATCH_HEADER_HEIGHT, BatchHeader } from './BatchHeader'
import { BulkPanel, JobDetailsPanel } from './JobDetailsPanel'
import { QueueRow, ROW_HEIGHT, type RowClick } from './QueueRow'
import { UndecidedBatches } from './UndecidedBatches'
import './queue.css'

export function QueueScreen({ focusId, batchId, filter: startFilter, nonce }: { focusId?: string; batchId?: string; filter?: QueueNavFilter; nonce?: number }): ReactElement {
  const t = useT()
  const lang = useLang((s) => s.lang)
  const loaded = useJobs((s) => s.loaded)
  const error = useJobs((s) => s.error)
  const counts = useJobs((s) => s.counts)
  const [filter, setFilter] = useState<QueueFilter>(startFilter ?? 'all')
  const [text, setText] = useState('')
  // One batch only (a notification about it was clicked); a chip clears it.
  const [batch, setBatch] = useState<string | null>(batchId ?? null)
  useEffect(() => {
    if (!batchId && !startFilter) return
    setBatch(batchId ?? null)
    setFilter(startFilter ?? 'all')
    setText('')
  }, [batchId, startFilter, nonce])
  const ids = useJobs(useShallow((s) => (batch ? onlyBatch(s, filterJobIds(s, filter, text), batch) : filterJobIds(s, filter, text))))
  const chipCounts = useJobs(useShallow((s) => QUEUE_FILTERS.map((f) => (batch ? batchFilterCount(s, batch, f) : queueFilterCount(s, f)))))
  const heldByPerson = useApp((s) => s.engine?.heldByPerson ?? null)
  const total = useJobs((s) => s.order.length)
  const scrollRef = useRef<HTMLDivElement>(null)
  const [flash, setFlash] = useState<string | null>(null)
  // Batches under their headers. They are worked out again when the ids shown change, or the counts
  // do (a job came, went or changed state: a batch may have gained a member not shown here).
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const items = useMemo(() => queueItems(useJobs.getState(), ids), [ids, counts])
  const shown = useMemo(() => shownIds(items), [items])

  // The selection is a set of ids over every row shown, rendered by the virtual list or not.
  const [selection, setSelection] = useState<Selection>(emptySelection)
  const shownRef = useRef(shown)
  shownRef.current = shown
  useEffect(() => setSelection((s) => pruneSelection(s, shown)), [shown])
  const onSelect = useCallback((id: string, click: RowClick) => setSelection((s) => clickSelection(s, shownRef.current, id, click)), [])
  const clearSelection = useCallback(() => setSelection(emptySelection()), [])

  // Ctrl/Cmd+A selects every row shown, Escape clears; never while typing or in a dialog.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const action = selectionKey({ key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, typing: isTyping(e.target), dialogOpen: document.querySelector('dialog[open]') !== null })
      if (action === 'all') {
        e.preventDefault()
        setSelection(selectAll(shownRef.current))
      } else if (action === 'clear') {
        setSelection((s) => (s.ids.size ? emptySelection() : s))
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => (items[i]?.kind === 'batch' ? BATCH_HEADER_HEIGHT : ROW_HEIGHT),
    overscan: 8,
    getItemKey: (i) => items[i]?.key ?? i
  })

  /** Shows one job: selects it (its details open) and scrolls to its row. */
  const showJob = useCallback((id: string) => {
    // Every state, every batch and no search, so the row is there to show.
    setFilter('all')
    setText('')
    setBatch(null)
    setSelection({ ids: new Set([id]), anchor: id })
    setFlash(id)
  }, [])

  // focus.job / "show in queue": show every state, scroll to the row and highlight it briefly.
  useEffect(() => {
    if (!focusId || !loaded) return
    if (!useJobs.getState().byId.has(focusId)) return
    setFilter('all')
    setText('')
    setBatch(null)
    setFlash(focusId)
    setSelection({ ids: new Set([focusId]), anchor: focusId })
    const timer = window.setTimeout(() => setFlash(null), 2400)
    return () => window.clearTimeout(timer)
  }, [focusId, nonce, loaded])

  // A row shown this way is highlighted briefly.
  useEffect(() => {
    if (!flash) return
    const timer = window.setTimeout(() => setFlash(null), 2400)
    return () => window.clearTimeout(timer)
  }, [flash])

  useEffect(() => {
    if (!flash) return
    const index = items.findIndex((i) => i.kind === 'job' && i.id === flash)
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'center' })
  }, [flash, items, virtualizer])

  const selectedOne = selection.ids.size === 1 ? [...selection.ids][0] : null

  const finished = useMemo(() => countIn(counts, TERMINAL_STATES), [counts])

  return (
    <div className="screen screen-queue" data-testid="queue-screen">
      <ScreenHeader title={t('queue.title')} subtitle={loaded ? t('queue.subtitle', { count: formatNumber(total, lang), active: formatNumber(filterCount(counts, 'active'), lang) }) : undefined}>
        <div className="search-box">
          <Icon name="search" />
          <input className="input input-search" placeholder={t('queue.search')} value={text} onChange={(e) => setText(e.target.value)} aria-label={t('queue.search')} data-testid="queue-search" />
        </div>
        <Button
          icon={heldByPerson ? 'play' : 'pause'}
          onClick={() => void appClient.pause(!heldByPerson)}
          title={heldByPerson ? undefined : t('queue.pauseAllHint')}
          aria-pressed={heldByPerson !== null}
          data-testid="queue-pause"
        >
          {heldByPerson ? t('queue.resumeAll') : t('queue.pauseAll')}
        </Button>
        <Button icon="trash" disabled={finished === 0} onClick={() => void clearFinished(finishedIds(useJobs.getState()))} data-testid="queue-clear">
          {t('queue.clearFinished')}
        </Button>
      </ScreenHeader>
      <div className="filter-bar" role="toolbar" aria-label={t('queue.filters')}>
        {batch ? (
          <span className="chip is-on filter-chip" data-testid="queue-batch-filter">
            {t('queue.batchFilter')}
            <IconButton icon="x" size="sm" label={t('queue.clearBatchFilter')} onClick={() => setBatch(null)} data-testid="queue-batch-filter-clear" />
          </span>
        ) : null}
        {QUEUE_FILTERS.map((f, i) => {
          const n = chipCounts[i]
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
              setBatch(null)
            }}
          >
            {t('queue.showAll')}
          </Button>
        </EmptyState>
      ) : (
        <div className="queue-body">
          <div className="virtual-scroll" ref={scrollRef} data-testid="queue-list">
            <div role="listbox" aria-multiselectable="true" aria-label={t('queue.title')} style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((row) => {
                const item = items[row.index]
                const style = { position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${row.start}px)` } as const
                if (item.kind === 'batch') return <BatchHeader key={row.key} batchId={item.batchId} style={{ ...style, height: BATCH_HEADER_HEIGHT }} />
                return (
                  <QueueRow
                    key={row.key}
                    id={item.id}
                    focused={flash === item.id}
                    selected={selection.ids.has(item.id)}
                    onSelect={onSelect}
                    inBatch={item.inBatch}
                    style={{ ...style, height: ROW_HEIGHT }}
                  />
                )
              })}
            </div>
          </div>
          {selectedOne ? (
            <JobDetailsPanel id={selectedOne} onShow={showJob} onClose={clearSelection} />
          ) : selection.ids.size > 1 ? (
            <BulkPanel ids={selection.ids} onClear={clearSelection} />
          ) : null}
        </div>
      )}
    </div>
  )
}
