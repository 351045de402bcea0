import { useEffect, useRef, useState, type ReactElement } from 'react'
import { mediaUrl } from '../../api'
import { jobsClient } from '../../clients/jobsClient'
import { Button, IconButton } from '../../components/Button'
import { EmptyState, ErrorPanel, Kbd, Loading } from '../../components/Feedback'
import { Icon } from '../../components/Icon'
import { useLang, useT } from '../../i18n'
import { dragVideoOut } from '../../lib/dragOut'
import { formatBytes, formatClock, formatDateTime, formatMoney, formatSize } from '../../lib/format'
import { isTyping } from '../../lib/isTyping'
import type { LibraryItem } from '../../shared'
import { modelById, navigate, useApp, type ScreenName } from '../../store/app'
import { useCompose } from '../../store/compose'
import { promptDialog } from '../../store/dialogs'
import { libraryItem, useMediaCache } from '../../store/mediaCache'
import { toastError, toastSuccess } from '../../store/toasts'
import { neighborId, useLibraryPosition } from '../../store/libraryNeighbors'
import { deleteItem, openLibraryFolder, saveCopy, setFavorite, showItemInFolder } from '../common/libraryActions'
import { SPEEDS, clampTime, commandFor, fasterSpeed } from './playerKeys'
import './player.css'
import { ModelName } from '../common/ModelName'

export function PlayerScreen({ itemId, back }: { itemId: string; back: ScreenName }): ReactElement {
  const t = useT()
  const cached = useMediaCache((s) => s.items[itemId])
  const [item, setItem] = useState<LibraryItem | null | undefined>(cached)
  useEffect(() => {
    let live = true
    void libraryItem(itemId).then((x) => live && setItem(x))
    return () => {
      live = false
    }
  }, [itemId, cached])
  const goBack = (): void => navigate({ name: back } as Parameters<typeof navigate>[0])
  const position = useLibraryPosition(itemId)
  const step = async (by: 1 | -1): Promise<void> => {
    const next = await neighborId(itemId, by)
    if (next) navigate({ name: 'player', itemId: next, back })
  }
  const inList = position.index >= 0
  return (
    <div className="screen screen-player" data-testid="player-screen">
      <header className="player-header">
        <Button variant="ghost" icon="back" onClick={goBack} data-testid="player-back">
          {t(back === 'queue' ? 'nav.queue' : back === 'compare' ? 'nav.compare' : 'nav.library')}
        </Button>
        {item ? <h1 className="player-title">{item.prompt || item.fileName}</h1> : null}
        {inList ? (
          <nav className="player-steps" aria-label={t('nav.library')}>
            <IconButton icon="chevronLeft" label={t('player.previous')} disabled={position.index === 0} onClick={() => void step(-1)} data-testid="player-previous" />
            <span className="player-position mono" data-testid="player-position">
              {t('player.position', { i: position.index + 1, n: position.total })}
            </span>
            <IconButton icon="chevronRight" label={t('player.next')} disabled={position.index >= position.total - 1} onClick={() => void step(1)} data-testid="player-next" />
          </nav>
        ) : null}
      </header>
      {item === undefined ? (
        <Loading />
      ) : item === null ? (
        <EmptyState icon="film" title={t('player.missing')} body={t('player.missingBody')}>
          <Button onClick={goBack}>{t('common.back')}</Button>
        </EmptyState>
      ) : (
        <Player key={item.id} item={item} onChange={setItem} onDeleted={goBack} onStep={(by) => void step(by)} />
      )}
    </div>
  )
}

function Player({ item, onChange, onDeleted, onStep }: { item: LibraryItem; onChange: (i: LibraryItem) => void; onDeleted: () => void; onStep: (by: 1 | -1) => void }): ReactElement {
  const t = useT()
  const videoRef = useRef<HTMLVideoElement>(null)
  const frameRef = useRef<HTMLDivElement>(null)
  const [loop, setLoop] = useState(true)
  const [rate, setRate] = useState(1)
  const [muted, setMuted] = useState(false)
  const [failed, setFailed] = useState(false)
  const lastL = useRef<number | null>(null)
  const stepRef = useRef(onStep)
  stepRef.current = onStep

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const v = videoRef.current
      if (!v || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target) || document.querySelector('dialog[open]')) return
      if (e.target instanceof HTMLButtonElement && (e.key === ' ' || e.key === 'Enter')) return
      const now = Date.now()
      const cmd = commandFor(e.key, now, lastL.current)
      if (!cmd) return
      e.preventDefault()
      switch (cmd.type) {
        case 'toggle':
          if (v.paused) void v.play().catch(() => undefined)
          else v.pause()
          break
        case 'pause':
          v.pause()
          v.playbackRate = 1
          setRate(1)
          break
        case 'seek':
          v.currentTime = clampTime(v.currentTime + cmd.by, v.duration)
          break
        case 'forward':
          v.currentTime = clampTime(v.currentTime + cmd.by, v.duration)
          if (cmd.faster) {
            v.playbackRate = fasterSpeed(v.playbackRate)
            setRate(v.playbackRate)
          }
          if (v.paused) void v.play().catch(() => undefined)
          lastL.current = now
          break
        case 'fullscreen':
          if (document.fullscreenElement) void document.exitFullscreen()
          else void frameRef.current?.requestFullscreen().catch(() => undefined)
          break
        case 'mute':
          v.muted = !v.muted
          setMuted(v.muted)
          break
        case 'step':
          stepRef.current(cmd.by)
          break
      }
      if (cmd.type !== 'forward') lastL.current = null
    }
    window.addEventListener('keydown', onKey, true)
    return () => window.removeEventListener('keydown', onKey, true)
  }, [])

  return (
    <div className="player-layout">
      <div className="player-main">
        <div className="player-frame" ref={frameRef}>
          {failed ? (
            <ErrorPanel message={t('player.cannotPlay')} />
          ) : (
            <video
              ref={videoRef}
              className="player-video"
              src={mediaUrl('library', item.fileName)}
              poster={item.poster ? `${mediaUrl('poster', item.id)}?v=${encodeURIComponent(item.poster)}` : undefined}
              controls
              autoPlay
              loop={loop}
              muted={muted}
              playsInline
              preload="auto"
              data-testid="player-video"
              onError={() => setFailed(true)}
              onVolumeChange={(e) => setMuted(e.currentTarget.muted)}
              onRateChange={(e) => setRate(e.currentTarget.playbackRate)}
            />
          )}
        </div>
        <div className="player-toolbar" role="toolbar" aria-label={t('player.controls')}>
          <button type="button" className={`chip ${loop ? 'is-on' : ''}`} aria-pressed={loop} onClick={() => setLoop((l) => !l)} data-testid="player-loop">
            <Icon name="loop" size={13} />
            {t('player.loop')}
          </button>
          <label className="sort-label">
            <span>{t('player.speed')}</span>
            <select
              className="select select-sm"
              value={rate}
              data-testid="player-speed"
              onChange={(e) => {
                const r = Number(e.target.value)
                setRate(r)
                if (videoRef.current) videoRef.current.playbackRate = r
              }}
            >
              {SPEEDS.map((s) => (
                <option key={s} value={s}>
                  {s}×
                </option>
              ))}
            </select>
          </label>
          <IconButton
            icon={muted ? 'volumeOff' : 'volume'}
            size="sm"
            label={muted ? t('player.unmute') : t('player.mute')}
            aria-pressed={muted}
            onClick={() => {
              const v = videoRef.current
              if (v) v.muted = !v.muted
              setMuted((m) => !m)
            }}
          />
          <IconButton icon="fullscreen" size="sm" label={t('player.fullscreen')} onClick={() => void frameRef.current?.requestFullscreen().catch(() => undefined)} />
          <span className="chip player-drag" draggable onDragStart={(e) => dragVideoOut(e, { itemId: item.id })} title={t('drag.hint')} data-testid="player-drag">
            <Icon name="grip" size={13} />
            {t('drag.handle')}
          </span>
          <span className="filter-spacer" />
          <span className="hint player-keys">
            <Kbd>Space</Kbd> <Kbd>J</Kbd> <Kbd>K</Kbd> <Kbd>L</Kbd> <Kbd>←</Kbd> <Kbd>→</Kbd> <Kbd>F</Kbd> <Kbd>M</Kbd>
          </span>
        </div>
      </div>
      <Details item={item} onChange={onChange} onDeleted={onDeleted} />
    </div>
  )
}

function Details({ item, onChange, onDeleted }: { item: LibraryItem; onChange: (i: LibraryItem) => void; onDeleted: () => void }): ReactElement {
  const t = useT()
  const lang = useLang((s) => s.lang)
  const models = useApp((s) => s.catalog.models)
  const model = models.find((m) => m.id === item.model)
  const canRemix = model?.rules.remix === true && item.remoteId !== null
  const p = item.params
  const params: [string, string][] = []
  if (p.seconds !== undefined) params.push([t('field.seconds'), t('field.secondsValue', { n: p.seconds })])
  if (p.size) params.push([t('field.size'), formatSize(p.size)])
  if (p.aspectRatio) params.push([t('field.aspectRatio'), p.aspectRatio])
  if (p.resolution) params.push([t('field.resolution'), p.resolution])
  if (p.seed !== undefined) params.push([t('field.seed'), String(p.seed)])
  for (const [k, v] of Object.entries(p.params ?? {})) params.push([k, String(v)])

  const again = (): void => {
    const m = modelById(item.model)
    const spec = { model: item.model, prompt: item.prompt, negativePrompt: item.negativePrompt ?? undefined, ...p }
    useCompose.getState().prefill(spec, m, item.sourceImages.length > 0 ? t('player.imagesNotKept', { names: item.sourceImages.join(', ') }) : null)
    navigate({ name: 'compose' })
  }
  const remix = async (): Promise<void> => {
    const prompt = await promptDialog({ title: t('player.remixTitle'), body: t('player.remixBody'), label: t('field.prompt'), initial: item.prompt, confirmLabel: t('player.remix'), multiline: true, testId: 'remix-dialog' })
    if (!prompt) return
    const reply = await jobsClient.remix(item.jobId, prompt)
    if (!reply) return
    if (reply.ok) toastSuccess(t('submit.queued', { count: reply.jobs.length }), { label: t('submit.viewQueue'), run: () => navigate({ name: 'queue' }) })
    else toastError(reply.errors.flatMap((e) => e.errors.map((x) => x.message)).join(' '))
  }

  return (
    <aside className="player-side" aria-label={t('player.details')}>
      <div className="player-actions">
        <Button variant="primary" icon="retry" onClick={again} data-testid="player-again">
          {t('player.again')}
        </Button>
        {canRemix ? (
          <Button icon="wand" onClick={() => void remix()} data-testid="player-remix">
            {t('player.remix')}
          </Button>
        ) : null}
        <div className="player-icon-actions">
          <IconButton
            icon="star"
            filled={item.favorite}
            className={item.favorite ? 'star-on' : ''}
            label={item.favorite ? t('library.unfavorite') : t('library.favorite')}
            aria-pressed={item.favorite}
            data-testid="player-favorite"
            onClick={async () => {
              const updated = await setFavorite(item, !item.favorite)
              if (updated) {
                onChange(updated)
                useMediaCache.setState((s) => ({ items: { ...s.items, [updated.id]: updated } }))
              }
            }}
          />
          <IconButton icon="folder" label={t('common.showInFolder')} onClick={() => showItemInFolder(item)} data-testid="player-show" />
          <IconButton icon="library" label={t('player.openLibraryFolder')} onClick={openLibraryFolder} data-testid="player-open-library" />
          <IconButton icon="download" label={t('player.saveCopy')} onClick={() => void saveCopy(item)} data-testid="player-save-copy" />
          <IconButton
            icon="trash"
            className="danger-hover"
            label={t('library.delete')}
            data-testid="player-delete"
            onClick={async () => {
              if (await deleteItem(item)) onDeleted()
            }}
          />
        </div>
      </div>
      <section className="detail-block">
        <div className="detail-head">
          <h2 className="section-label">{t('field.prompt')}</h2>
          <IconButton
            icon="copy"
            size="sm"
            label={t('player.copyPrompt')}
            onClick={() =>
              void navigator.clipboard
                .writeText(item.prompt)
                .then(() => toastSuccess(t('player.promptCopied')))
                .catch(() => undefined)
            }
          />
        </div>
        <p className="detail-prompt" data-testid="player-prompt">
          {item.prompt || <span className="muted">{t('queue.noPrompt')}</span>}
        </p>
        {item.negativePrompt ? (
          <>
            <h2 className="section-label">{t('field.negativePrompt')}</h2>
            <p className="detail-prompt muted">{item.negativePrompt}</p>
          </>
        ) : null}
      </section>
      <dl className="detail-list">
        <Row
          label={t('field.model')}
          value={
            <span>
              <ModelName id={item.model} /> <span className="mono muted">{item.model}</span>
            </span>
          }
        />
        {item.vendor ? <Row label={t('player.vendor')} value={item.vendor} /> : null}
        {params.map(([k, v]) => (
          <Row key={k} label={k} value={<span className="mono">{v}</span>} />
        ))}
        {item.width && item.height ? <Row label={t('player.dimensions')} value={<span className="mono">{formatSize(item.width, item.height)}</span>} /> : null}
        {item.durationS ? <Row label={t('player.duration')} value={formatClock(item.durationS * 1000)} /> : null}
        <Row label={t('player.created')} value={formatDateTime(item.createdAt, lang)} />
        <Row label={t('player.completed')} value={formatDateTime(item.completedAt, lang)} />
        <Row label={t('player.cost')} value={item.estimatedCost !== null ? `${formatMoney(item.estimatedCost, lang)} ${t('player.estimated')}` : t('price.unknown')} />
        <Row label={t('player.fileSize')} value={formatBytes(item.bytes)} />
        {item.sourceImages.length > 0 ? <Row label={t('player.sourceImages')} value={item.sourceImages.join(', ')} /> : null}
        {item.lineage ? <Row label={t('player.lineage')} value={t(`lineage.${item.lineage}`)} /> : null}
        {item.remoteId ? <Row label={t('player.taskId')} value={<span className="mono selectable">{item.remoteId}</span>} /> : null}
        <Row label={t('player.file')} value={<span className="mono selectable">{item.fileName}</span>} />
      </dl>
    </aside>
  )
}

function Row({ label, value }: { label: string; value: React.ReactNode }): ReactElement {
  return (
    <div className="detail-row">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  )
}
