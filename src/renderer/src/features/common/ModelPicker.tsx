// The model picker: search, vendor and feature filters, favourites pinned, prices shown, upcoming
// and unavailable models listed but disabled with their reason.
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactElement } from 'react'
import { settingsClient } from '../../clients/settingsClient'
import { Icon } from '../../components/Icon'
import { useLang, useT, type TFunction } from '../../i18n'
import { currencyCode, formatMoney, priceParts } from '../../lib/format'
import { isUsable, matchesModel, modelGroup, orderModels, recentModels, vendorsOf } from '../../lib/models'
import type { CatalogModel, GenerationMode } from '../../shared'
import { useApp } from '../../store/app'
import { useJobs } from '../../store/jobs'
import './modelPicker.css'

export function PriceTag({ model }: { model: CatalogModel }): ReactElement {
  const t = useT()
  const lang = useLang((s) => s.lang)
  const p = priceParts(model.pricing)
  if (!p) return <span className="price price-none">{t('price.none')}</span>
  const amount = formatMoney(p.amount, lang, currencyCode(model.pricing.currency))
  return <span className="price">{p.per === 'second' ? t('price.perSecond', { amount }) : t('price.perVideo', { amount })}</span>
}

export function unavailableText(model: CatalogModel, t: TFunction): string | null {
  if (model.upcoming) return t('model.upcoming')
  if (!model.available) return model.unavailableReason ?? t('model.unavailable')
  return null
}

export function toggleFavorite(id: string): void {
  const fav = useApp.getState().settings?.favoriteModels ?? []
  const next = fav.includes(id) ? fav.filter((x) => x !== id) : [...fav, id]
  void settingsClient.update({ favoriteModels: next }).then((s) => {
    if (s) useApp.setState({ settings: s })
  })
}

interface PickerProps {
  value: string | null
  onChange: (model: CatalogModel) => void
  /** Only models with this mode are offered (batch: image-to-video). */
  requireMode?: GenerationMode
  testId?: string
}

export function ModelPicker({ value, onChange, requireMode, testId = 'model-picker' }: PickerProps): ReactElement {
  const t = useT()
  const catalog = useApp((s) => s.catalog)
  const favorites = useApp((s) => s.settings?.favoriteModels)
  const [open, setOpen] = useState(false)
  const current = catalog.models.find((m) => m.id === value)
  const wrapRef = useRef<HTMLDivElement>(null)
  const buttonRef = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    if (!open) return
    const onDown = (e: MouseEvent): void => {
      if (wrapRef.current && !wrapRef.current.contains(e.target as Node)) setOpen(false)
    }
    document.addEventListener('mousedown', onDown)
    return () => document.removeEventListener('mousedown', onDown)
  }, [open])

  return (
    <div className="picker" ref={wrapRef}>
      <button
        ref={buttonRef}
        type="button"
        className="picker-trigger"
        aria-haspopup="listbox"
        aria-expanded={open}
        data-testid={testId}
        disabled={catalog.loading && catalog.models.length === 0}
        onClick={() => setOpen((o) => !o)}
      >
        {current ? (
          <>
            <span className="picker-vendor">{current.vendor}</span>
            <span className="picker-name">{current.name}</span>
            {favorites?.includes(current.id) ? <Icon name="star" size={12} filled className="star-on" /> : null}
            <PriceTag model={current} />
          </>
        ) : (
          <span className="picker-placeholder">{catalog.loading ? t('common.loading') : t('model.choose')}</span>
        )}
        <Icon name="chevronDown" className="picker-chevron" />
      </button>
      {open ? (
        <ModelList
          value={value}
          requireMode={requireMode}
          favorites={favorites ?? []}
          onPick={(m) => {
            onChange(m)
            setOpen(false)
            buttonRef.current?.focus()
          }}
          onClose={() => {
            setOpen(false)
            buttonRef.current?.focus()
          }}
        />
      ) : null}
    </div>
  )
}

const GROUP_TITLE = { fav: 'model.favorites', recent: 'model.recent', all: 'model.allModels', off: 'model.notAvailable' } as const

function ModelList({
  value,
  requireMode,
  favorites,
  onPick,
  onClose
}: {
  value: string | null
  requireMode?: GenerationMode
  favorites: string[]
  onPick: (m: CatalogModel) => void
  onClose: () => void
}): ReactElement {
  const t = useT()
  const models = useApp((s) => s.catalog.models)
  const problem = useApp((s) => s.catalog.problem)
  const [search, setSearch] = useState('')
  const [vendor, setVendor] = useState<string | null>(null)
  const [mode, setMode] = useState<GenerationMode | null>(requireMode ?? null)
  const listId = useId()
  const vendors = useMemo(() => vendorsOf(models), [models])
  // Read once when the list opens: the jobs of this session and before, newest first.
  const [recent] = useState(() => {
    const { order, byId } = useJobs.getState()
    return recentModels(order.slice(0, 200).map((id) => byId.get(id)?.model ?? ''))
  })
  const shown = useMemo(
    () => orderModels(models.filter((m) => matchesModel(m, { search, vendor, mode })), favorites, recent),
    [models, search, vendor, mode, favorites, recent]
  )
  const usable = shown.filter(isUsable)
  const [active, setActive] = useState(() => Math.max(0, usable.findIndex((m) => m.id === value)))
  const activeModel = usable[Math.min(active, usable.length - 1)]
  const listRef = useRef<HTMLUListElement>(null)

  useEffect(() => {
    if (!activeModel) return
    listRef.current?.querySelector(`[data-model-id="${CSS.escape(activeModel.id)}"]`)?.scrollIntoView({ block: 'nearest' })
  }, [activeModel])

  const onKey = (e: KeyboardEvent): void => {
    if (e.key === 'ArrowDown') {
      e.preventDefault()
      setActive((a) => Math.min(usable.length - 1, a + 1))
    } else if (e.key === 'ArrowUp') {
      e.preventDefault()
      setActive((a) => Math.max(0, a - 1))
    } else if (e.key === 'Enter') {
      e.preventDefault()
      if (activeModel) onPick(activeModel)
    } else if (e.key === 'Escape') {
      e.preventDefault()
      e.stopPropagation()
      onClose()
    }
  }

  const favSet = new Set(favorites)
  const recentSet = new Set(recent)
  let lastGroup = ''
  return (
    <div className="picker-pop" role="dialog" aria-label={t('model.choose')} onKeyDown={onKey}>
      <div className="picker-search">
        <Icon name="search" />
        <input
          className="picker-search-input"
          autoFocus
          placeholder={t('model.search')}
          value={search}
          role="combobox"
          aria-expanded="true"
          aria-controls={listId}
          aria-activedescendant={activeModel ? `${listId}-${activeModel.id}` : undefined}
          data-testid="model-search"
          onChange={(e) => {
            setSearch(e.target.value)
            setActive(0)
          }}
        />
      </div>
      <div className="picker-filters">
        <select className="select select-sm" aria-label={t('model.vendor')} value={vendor ?? ''} onChange={(e) => setVendor(e.target.value || null)} data-testid="model-vendor-filter">
          <option value="">{t('model.allVendors')}</option>
          {vendors.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
        {requireMode ? null : (
          <div className="segmented segmented-sm" role="group" aria-label={t('model.feature')}>
            {([null, 'text-to-video', 'image-to-video'] as const).map((m) => (
              <button key={m ?? 'all'} type="button" className={mode === m ? 'is-on' : ''} aria-pressed={mode === m} onClick={() => setMode(m)}>
                {m === null ? t('model.allFeatures') : t(m === 'text-to-video' ? 'mode.t2v' : 'mode.i2v')}
              </button>
            ))}
          </div>
        )}
      </div>
      {problem ? <p className="picker-problem">{t('model.offline', { problem })}</p> : null}
      <ul className="picker-list" role="listbox" id={listId} ref={listRef} aria-label={t('model.models')}>
        {shown.length === 0 ? <li className="picker-empty">{t('model.noMatch')}</li> : null}
        {shown.map((m) => {
          const reason = unavailableText(m, t)
          const group = reason ? 'off' : modelGroup(m, favSet, recentSet)
          const header = group !== lastGroup ? group : null
          lastGroup = group
          const selected = m.id === value
          const isActive = activeModel?.id === m.id
          return [
            header ? (
              <li key={`h-${header}`} className="picker-group" role="presentation">
                {t(GROUP_TITLE[header])}
              </li>
            ) : null,
            <li
              key={m.id}
              id={`${listId}-${m.id}`}
              role="option"
              aria-selected={selected}
              aria-disabled={reason ? true : undefined}
              data-model-id={m.id}
              data-testid={`model-option-${m.id}`}
              className={`picker-option ${isActive ? 'is-active' : ''} ${reason ? 'is-disabled' : ''}`}
              onMouseEnter={() => {
                const i = usable.indexOf(m)
                if (i >= 0) setActive(i)
              }}
              onClick={() => {
                if (!reason) onPick(m)
              }}
            >
              <button
                type="button"
                tabIndex={-1}
                className={`star-btn ${favSet.has(m.id) ? 'is-on' : ''}`}
                aria-label={favSet.has(m.id) ? t('model.unfavorite') : t('model.favorite')}
                title={favSet.has(m.id) ? t('model.unfavorite') : t('model.favorite')}
                onClick={(e) => {
                  e.stopPropagation()
                  toggleFavorite(m.id)
                }}
              >
                <Icon name="star" size={13} filled={favSet.has(m.id)} />
              </button>
              <span className="picker-option-main">
                <span className="picker-option-name">
                  {m.name}
                  {selected ? <Icon name="check" size={13} className="picker-check" /> : null}
                </span>
                <span className="picker-option-meta">
                  {m.vendor} · <span className="mono">{m.id}</span>
                  {reason ? <span className="picker-reason"> · {reason}</span> : null}
                </span>
              </span>
              <span className="picker-option-side">
                <span className="mode-tags">
                  {m.modes.includes('text-to-video') ? <span className="tag">{t('mode.t2vShort')}</span> : null}
                  {m.modes.includes('image-to-video') ? <span className="tag">{t('mode.i2vShort')}</span> : null}
                </span>
                <PriceTag model={m} />
              </span>
            </li>
          ]
        })}
      </ul>
    </div>
  )
}
