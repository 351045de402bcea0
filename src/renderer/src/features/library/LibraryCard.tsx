import { memo, useEffect, useRef, useState, type ReactElement } from 'react'
import { mediaUrl } from '../../api'
import { IconButton } from '../../components/Button'
import { Icon } from '../../components/Icon'
import { useLang, useT } from '../../i18n'
import { dragVideoOut } from '../../lib/dragOut'
import { formatAgo, formatBytes, formatClock } from '../../lib/format'
import { posterQueue } from '../../lib/posterMaker'
import type { LibraryItem } from '../../shared'
import { navigate } from '../../store/app'
import { deleteItem, setFavorite, showItemInFolder } from '../common/libraryActions'
import './library.css'
import { ModelName } from '../common/ModelName'

/** Multi-select, as plain props so the memo skips cards whose state did not change. */
export interface CardSelection {
  /** This card's place in the current list (for shift-click ranges). */
  index: number
  selected: boolean
  /** Some card is selected: a plain click then selects instead of playing. */
  selecting: boolean
  /** Stable (module-level): a new function would re-render every card. */
  onSelect(id: string, index: number, range: boolean): void
}

export const LibraryCard = memo(function LibraryCard({ item, now, ...select }: { item: LibraryItem; now: number } & Partial<CardSelection>): ReactElement {
  const selection = select.onSelect && select.index !== undefined ? { index: select.index, selected: select.selected ?? false, selecting: select.selecting ?? false, onSelect: select.onSelect } : undefined
  const t = useT()
  const lang = useLang((s) => s.lang)
  const ref = useRef<HTMLDivElement>(null)
  // Cards are rendered a little beyond the screen for smooth scrolling; their posters load only
  // once they are really in view (lazy loading alone would fetch the overscan too).
  const [seen, setSeen] = useState(false)

  useEffect(() => {
    if (!ref.current) return
    const el = ref.current
    const id = item.id
    const observer = new IntersectionObserver((entries) => {
      for (const e of entries) {
        if (e.isIntersecting) setSeen(true)
        // A card without a poster asks for one only while it is actually visible.
        if (item.poster) continue
        if (e.isIntersecting) posterQueue.show(id)
        else posterQueue.hide(id)
      }
    })
    observer.observe(el)
    return () => {
      observer.disconnect()
      if (!item.poster) posterQueue.hide(id)
    }
  }, [item.id, item.poster])

  const open = (e: React.MouseEvent): void => {
    if (selection && (e.shiftKey || e.ctrlKey || e.metaKey || selection.selecting)) {
      e.preventDefault()
      selection.onSelect(item.id, selection.index, e.shiftKey)
      return
    }
    navigate({ name: 'player', itemId: item.id, back: 'library' })
  }
  const selected = selection?.selected ?? false
  return (
    <div className={`lib-card ${selected ? 'is-selected' : ''} ${selection?.selecting ? 'is-selecting' : ''}`} ref={ref} data-testid="library-card" data-item-id={item.id} data-selected={selected}>
      {selection ? (
        <label className="lib-select" title={t('library.select', { prompt: item.prompt || item.fileName })}>
          <input
            type="checkbox"
            checked={selected}
            aria-label={t('library.select', { prompt: item.prompt || item.fileName })}
            data-testid="library-select"
            onClick={(e) => {
              e.preventDefault()
              selection.onSelect(item.id, selection.index, e.shiftKey)
            }}
            onChange={() => undefined}
          />
        </label>
      ) : null}
      <button
        type="button"
        className="lib-poster"
        onClick={open}
        aria-label={t('library.play', { prompt: item.prompt || item.fileName })}
        title={t('drag.hint')}
        draggable
        onDragStart={(e) => dragVideoOut(e, { itemId: item.id })}
        data-testid="library-poster"
      >
        {item.poster && seen ? (
          <img src={`${mediaUrl('poster', item.id)}?v=${encodeURIComponent(item.poster)}`} alt="" draggable={false} />
        ) : (
          <span className="lib-poster-empty" aria-hidden="true">
            <Icon name="film" size={22} />
          </span>
        )}
        <span className="lib-play" aria-hidden="true">
          <Icon name="play" size={18} filled />
        </span>
        {item.durationS ? <span className="lib-duration mono">{formatClock(item.durationS * 1000)}</span> : null}
      </button>
      <div className="lib-overlay-actions">
        <IconButton
          icon="star"
          size="sm"
          filled={item.favorite}
          className={`lib-fav ${item.favorite ? 'is-on' : ''}`}
          label={item.favorite ? t('library.unfavorite') : t('library.favorite')}
          aria-pressed={item.favorite}
          data-testid="library-favorite"
          onClick={() => void setFavorite(item, !item.favorite)}
        />
      </div>
      <div className="lib-meta">
        <p className="lib-prompt" title={item.prompt}>
          {item.prompt || <span className="muted">{t('queue.noPrompt')}</span>}
        </p>
        <div className="lib-sub">
          <ModelName id={item.model} className="lib-model" />
          <span className="lib-dot">·</span>
          <span>{formatAgo(item.completedAt, now, lang)}</span>
          <span className="lib-dot">·</span>
          <span>{formatBytes(item.bytes)}</span>
          <span className="lib-card-actions">
            <IconButton icon="folder" size="sm" label={t('common.showInFolder')} onClick={() => showItemInFolder(item)} />
            <IconButton icon="trash" size="sm" className="danger-hover" label={t('library.delete')} onClick={() => void deleteItem(item)} data-testid="library-delete" />
          </span>
        </div>
      </div>
    </div>
  )
})

export function LibraryCardSkeleton(): ReactElement {
  return (
    <div className="lib-card lib-card-skeleton" aria-hidden="true">
      <div className="lib-poster skeleton" />
      <div className="lib-meta">
        <div className="skeleton skeleton-line" />
        <div className="skeleton skeleton-line short" />
      </div>
    </div>
  )
}
