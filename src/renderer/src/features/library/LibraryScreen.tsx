import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useMemo, useRef, useState, type ReactElement } from 'react'
import { libraryClient } from '../../clients/libraryClient'
import { Button, IconButton } from '../../components/Button'
import { EmptyState, ErrorPanel, Loading } from '../../components/Feedback'
import { Icon } from '../../components/Icon'
import { ScreenHeader } from '../../components/ScreenHeader'
import { useLang, useT, type MessageKey } from '../../i18n'
import { formatNumber } from '../../lib/format'
import { useDebounced } from '../../lib/useDebounced'
import { columnsFor, useWidth } from '../../lib/useWidth'
import { LIBRARY_SORTS } from '../../shared'
import type { LibrarySort } from '../../shared'
import { navigate, useApp } from '../../store/app'
import { useLibrary } from '../../store/library'
import { activeFilterCount, defaultFilters } from '../../store/libraryModel'
import { toastSuccess } from '../../store/toasts'
import { isTyping } from '../../lib/isTyping'
import { MOD_KEY } from '../../lib/platform'
import { clearSelection, extendSelection, selectAllListed, toggleSelected, useLibrarySelection } from '../../store/librarySelection'
import { selectionKey } from '../../store/selectionModel'
import { deleteMany, exportMany, setFavoriteMany, tagMany } from '../common/libraryActions'
import { LibraryCard, LibraryCardSkeleton } from './LibraryCard'
import './library.css'

const CARD_MIN = 220
const GAP = 14
const META_HEIGHT = 64

export function LibraryScreen(): ReactElement {
  const t = useT()
  const lang = useLang((s) => s.lang)
  const { filters, total, all, error, facets, setFilters, reload } = useLibrary()
  const catalogModels = useApp((s) => s.catalog.models)
  const modelNames = useMemo(() => new Map(catalogModels.map((m) => [m.id, m.name || m.id])), [catalogModels])
  const [search, setSearch] = useState(filters.search)
  const debounced = useDebounced(search, 250)
  const searchRef = useRef<HTMLInputElement>(null)

  useEffect(() => {
    if (useLibrary.getState().total === null) reload()
  }, [reload])

  useEffect(() => {
    if (debounced !== useLibrary.getState().filters.search) setFilters({ search: debounced })
  }, [debounced, setFilters])

  // "/" focuses the search box.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === '/' && !(e.target instanceof HTMLInputElement) && !(e.target instanceof HTMLTextAreaElement) && !document.querySelector('dialog[open]')) {
        e.preventDefault()
        searchRef.current?.focus()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  // Ctrl/Cmd+A selects every listed video (not while typing in the search box); Escape clears.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const action = selectionKey({ key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, typing: isTyping(e.target), dialogOpen: document.querySelector('dialog[open]') !== null })
      if (action === 'all') {
        e.preventDefault()
        void selectAllListed()
      } else if (action === 'clear' && useLibrarySelection.getState().ids.size) {
        e.preventDefault()
        clearSelection()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  const filtered = activeFilterCount(filters) > 0 || filters.search.trim() !== ''
  // With filters on, out of everything: "0 of 12 videos" says the filters hide them, not that none exist.
  const countText =
    total === null
      ? undefined
      : filtered && all !== null
        ? t('library.countOf', { n: formatNumber(total, lang), all, allN: formatNumber(all, lang) })
        : t('library.count', { count: total, n: formatNumber(total, lang) })
  return (
    <div className="screen screen-library" data-testid="library-screen">
      <ScreenHeader title={t('library.title')} subtitle={countText}>
        <div className="search-box search-box-wide">
          <Icon name="search" />
          <input
            ref={searchRef}
            className="input input-search"
            type="search"
            placeholder={t('library.search')}
            aria-label={t('library.search')}
            value={search}
            data-testid="library-search"
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
        <Button
          icon="retry"
          onClick={async () => {
            const r = await libraryClient.rescan()
            if (r) {
              toastSuccess(t('library.rescanned', { added: r.added, updated: r.updated, removed: r.removed }))
              reload()
            }
          }}
          data-testid="library-rescan"
        >
          {t('library.rescan')}
        </Button>
      </ScreenHeader>
      <div className="filter-bar" role="toolbar" aria-label={t('library.filters')}>
        {filters.batchId ? (
          <span className="chip is-on filter-chip" data-testid="library-batch-filter">
            {t('library.batchFilter')}
            <IconButton icon="x" size="sm" label={t('library.clearBatchFilter')} onClick={() => setFilters({ batchId: null })} data-testid="library-batch-filter-clear" />
          </span>
        ) : null}
        <select className="select select-sm" aria-label={t('library.model')} value={filters.models[0] ?? ''} onChange={(e) => setFilters({ models: e.target.value ? [e.target.value] : [] })} data-testid="library-model-filter">
          <option value="">{t('library.allModels')}</option>
          {facets.models.map((m) => (
            <option key={m} value={m}>
              {modelNames.get(m) ?? m}
            </option>
          ))}
        </select>
        <select className="select select-sm" aria-label={t('library.vendor')} value={filters.vendors[0] ?? ''} onChange={(e) => setFilters({ vendors: e.target.value ? [e.target.value] : [] })} data-testid="library-vendor-filter">
          <option value="">{t('library.allVendors')}</option>
          {facets.vendors.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
        <label className="date-filter">
          <span>{t('library.from')}</span>
          <input type="date" className="input input-sm" value={filters.from} max={filters.to || undefined} onChange={(e) => setFilters({ from: e.target.value })} data-testid="library-from" />
        </label>
        <label className="date-filter">
          <span>{t('library.to')}</span>
          <input type="date" className="input input-sm" value={filters.to} min={filters.from || undefined} onChange={(e) => setFilters({ to: e.target.value })} data-testid="library-to" />
        </label>
        <button type="button" className={`chip ${filters.favorite ? 'is-on' : ''}`} aria-pressed={filters.favorite} onClick={() => setFilters({ favorite: !filters.favorite })} data-testid="library-favorites">
          <Icon name="star" size={13} filled={filters.favorite} />
          {t('library.favorites')}
        </button>
        {filtered ? (
          <button
            type="button"
            className="link link-sm"
            onClick={() => {
              setSearch('')
              setFilters({ ...defaultFilters, sort: filters.sort })
            }}
          >
            {t('library.clearFilters')}
          </button>
        ) : null}
        <span className="filter-spacer" />
        <label className="sort-label">
          <span>{t('library.sort')}</span>
          <select className="select select-sm" value={filters.sort} onChange={(e) => setFilters({ sort: e.target.value as LibrarySort })} data-testid="library-sort">
            {LIBRARY_SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`library.sort.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <SelectionBar />
      {error && total === null ? (
        <ErrorPanel message={error} onRetry={reload} />
      ) : total === null ? (
        <Loading label={t('library.loading')} />
      ) : total === 0 ? (
        filtered ? (
          <EmptyState icon="search" title={t('library.noMatch')} body={t('library.noMatchBody')} testId="library-empty">
            <Button
              onClick={() => {
                setSearch('')
                setFilters({ ...defaultFilters, sort: filters.sort })
              }}
            >
              {t('library.clearFilters')}
            </Button>
          </EmptyState>
        ) : (
          <EmptyState icon="library" title={t('library.emptyTitle')} body={t('library.emptyBody')} testId="library-empty">
            <Button variant="primary" icon="compose" onClick={() => navigate({ name: 'compose' })}>
              {t('queue.startCompose')}
            </Button>
          </EmptyState>
        )
      ) : (
        <LibraryGrid total={total} />
      )}
    </div>
  )
}

function onSelect(id: string, index: number, range: boolean): void {
  if (range && useLibrarySelection.getState().anchor !== null) void extendSelection(index)
  else toggleSelected(id, index)
}

/** What can be done with the selected videos; shown while any is selected. */
function SelectionBar(): ReactElement | null {
  const t = useT()
  const lang = useLang((s) => s.lang)
  const selected = useLibrarySelection((s) => s.ids)
  if (selected.size === 0) return null
  const ids = (): string[] => [...useLibrarySelection.getState().ids]
  return (
    <div className="lib-selection-bar" role="toolbar" aria-label={t('library.selectionBar')} data-testid="library-selection-bar">
      <span className="lib-selection-count" data-testid="library-selected-count" title={t('library.selectionHint', { mod: MOD_KEY })}>
        {t('library.selected', { count: selected.size, n: formatNumber(selected.size, lang) })}
      </span>
      <span className="filter-spacer" />
      <Button size="sm" icon="star" onClick={() => void setFavoriteMany(ids(), true)} data-testid="library-selection-favorite">
        {t('library.favoriteSelected')}
      </Button>
      <Button size="sm" onClick={() => void setFavoriteMany(ids(), false)} data-testid="library-selection-unfavorite">
        {t('library.unfavoriteSelected')}
      </Button>
      <Button size="sm" icon="hash" onClick={() => void tagMany(ids())} data-testid="library-selection-tag">
        {t('library.tagSelected')}
      </Button>
      <Button size="sm" icon="download" onClick={() => void exportMany(ids())} data-testid="library-selection-export">
        {t('library.exportSelected')}
      </Button>
      <Button
        size="sm"
        icon="trash"
        variant="danger"
        onClick={async () => {
          if (await deleteMany(ids())) clearSelection()
        }}
        data-testid="library-selection-delete"
      >
        {t('library.deleteSelected')}
      </Button>
      <Button size="sm" variant="ghost" onClick={() => void selectAllListed()} data-testid="library-selection-all">
        {t('library.selectAll')}
      </Button>
      <IconButton icon="x" size="sm" label={t('library.clearSelection')} onClick={clearSelection} data-testid="library-selection-clear" />
    </div>
  )
}

function LibraryGrid({ total }: { total: number }): ReactElement {
  const scrollRef = useRef<HTMLDivElement>(null)
  const width = useWidth(scrollRef)
  const items = useLibrary((s) => s.items)
  const selected = useLibrarySelection((s) => s.ids)
  const ensure = useLibrary((s) => s.ensure)
  const cols = columnsFor(width - 8, CARD_MIN, GAP)
  const cardW = width > 0 ? (width - 8 - GAP * (cols - 1)) / cols : CARD_MIN
  const rowH = Math.round((cardW * 9) / 16) + META_HEIGHT + GAP
  const rows = Math.ceil(total / cols)
  const [now] = useState(() => Date.now())
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowH,
    overscan: 2
  })
  useEffect(() => {
    virtualizer.measure()
  }, [rowH, virtualizer])
  const virtualRows = virtualizer.getVirtualItems()
  const first = virtualRows[0]?.index ?? 0
  const last = virtualRows[virtualRows.length - 1]?.index ?? 0
  useEffect(() => {
    ensure(first * cols, (last + 1) * cols - 1)
  }, [first, last, cols, ensure, total])

  return (
    <div className="virtual-scroll lib-scroll" ref={scrollRef} data-testid="library-grid">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }} role="list">
        {virtualRows.map((row) => (
          <div key={row.key} className="lib-row" style={{ transform: `translateY(${row.start}px)`, height: rowH - GAP, gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))`, gap: GAP }}>
            {Array.from({ length: cols }, (_, c) => {
              const index = row.index * cols + c
              if (index >= total) return <div key={c} />
              const item = items[index]
              return (
                <div key={item?.id ?? `s${index}`} role="listitem">
                  {item ? <LibraryCard item={item} now={now} index={index} selected={selected.has(item.id)} selecting={selected.size > 0} onSelect={onSelect} /> : <LibraryCardSkeleton />}
                </div>
              )
            })}
          </div>
        ))}
      </div>
    </div>
  )
}
