import { useEffect, useId, useMemo, useRef, useState, type ReactElement } from 'react'
import { mediaUrl } from '../../api'
import { Button, IconButton } from '../../components/Button'
import { EmptyState, ProgressBar, StateBadge } from '../../components/Feedback'
import { Icon } from '../../components/Icon'
import { ScreenHeader } from '../../components/ScreenHeader'
import { engineText, fieldErrorText, useLang, useT } from '../../i18n'
import { inspectPaths, pathsOf } from '../../lib/files'
import { currencyCode, formatAgo, formatMoney, formatSize } from '../../lib/format'
import { isUsable, orderModels } from '../../lib/models'
import { GENERATING_STATES, applyDefaults, estimateCost, isIn, validateSpec } from '../../shared'
import type { CatalogModel, ImageCard, JobSpec } from '../../shared'
import { selectFavoriteModels, useApp } from '../../store/app'
import { useJobs } from '../../store/jobs'
import { compareRuns, runsSignature } from '../../store/compareModel'
import { libraryItem, useMediaCache } from '../../store/mediaCache'
import { toastError } from '../../store/toasts'
import { useSubmitShortcut } from '../../lib/useSubmitShortcut'
import { Field } from '../common/Fields'
import { HeldNotice, heldFrom, type HeldInfo } from '../common/HeldNotice'
import { openJob } from '../common/jobActions'
import { PriceTag } from '../common/ModelPicker'
import { createJobs } from '../common/submit'
import './compare.css'
import { ModelName } from '../common/ModelName'
import { KeyPicker } from '../common/KeyPicker'

function specFor(model: CatalogModel, prompt: string, image: ImageCard | null): JobSpec {
  const spec: JobSpec = { model: model.id, prompt }
  if (image) spec.images = [image.path]
  return applyDefaults(spec, model.rules)
}

export function CompareScreen(): ReactElement {
  const t = useT()
  const lang = useLang((s) => s.lang)
  const models = useApp((s) => s.catalog.models)
  const favorites = useApp(selectFavoriteModels)
  const [prompt, setPrompt] = useState('')
  const [image, setImage] = useState<ImageCard | null>(null)
  // Start from the favourites: the models someone compares are usually the ones they use.
  const [chosen, setChosen] = useState<string[]>(() => favorites.slice(0, 3))
  const [busy, setBusy] = useState(false)
  const [held, setHeld] = useState<HeldInfo | null>(null)
  const [attempted, setAttempted] = useState(false)
  const fileRef = useRef<HTMLInputElement>(null)
  const promptId = useId()
  const mode = image ? 'image-to-video' : 'text-to-video'
  const candidates = useMemo(() => orderModels(models.filter((m) => isUsable(m) && m.modes.includes(mode) && (mode === 'text-to-video' || m.rules.images.max > 0)), favorites), [models, mode, favorites])
  const selected = candidates.filter((m) => chosen.includes(m.id))
  const problems = useMemo(() => {
    const out = new Map<string, string[]>()
    for (const m of selected) {
      const errs = validateSpec(specFor(m, prompt, image), m.rules, image ? [image.info] : []).filter((e) => attempted || e.code !== 'prompt.empty')
      if (errs.length) out.set(m.id, errs.map((e) => fieldErrorText(lang, e)))
    }
    return out
  }, [selected, prompt, image, attempted, lang])
  const total = selected.reduce((sum, m) => sum + (estimateCost(m.pricing, m.rules, specFor(m, prompt, image)) ?? 0), 0)

  const submit = async (): Promise<void> => {
    setAttempted(true)
    if (selected.length < 2 || prompt.trim() === '') return
    const blocking = selected.some((m) => validateSpec(specFor(m, prompt, image), m.rules, image ? [image.info] : []).length > 0)
    if (blocking) return
    setBusy(true)
    const reply = await createJobs(
      selected.map((m) => specFor(m, prompt, image)),
      'compare'
    )
    setBusy(false)
    if (!reply) return
    if (!reply.ok) {
      toastError(reply.errors.map((e) => `${selected[e.index]?.name ?? ''}: ${e.errors.map((x) => fieldErrorText(lang, x)).join(' ')}`).join('\n'))
      return
    }
    setAttempted(false)
    setHeld(heldFrom(reply))
  }

  useSubmitShortcut(submit)

  return (
    <div className="screen screen-compare" data-testid="compare-screen">
      <ScreenHeader title={t('compare.title')} subtitle={t('compare.subtitle')} />
      <div className="compare-layout">
        <aside className="compare-side">
          <Field label={t('field.prompt')} htmlFor={promptId} errors={attempted && prompt.trim() === '' ? [{ field: 'prompt', code: 'prompt.empty', message: t('compare.promptNeeded') }] : []}>
            <textarea id={promptId} className="textarea" rows={5} value={prompt} placeholder={t('compose.promptPlaceholder')} onChange={(e) => setPrompt(e.target.value)} data-testid="compare-prompt" />
          </Field>
          <Field label={t('compare.image')} hint={t('compare.imageHint')}>
            {image ? (
              <div className="image-slot" data-testid="compare-image">
                <img className="image-slot-thumb" src={mediaUrl('image', image.token)} alt="" />
                <div className="image-slot-info">
                  <span className="image-slot-title">{image.name}</span>
                  <span className="image-slot-sub mono">
                    {formatSize(image.info.width, image.info.height)}
                  </span>
                </div>
                <IconButton icon="x" size="sm" label={t('images.remove', { name: image.name })} onClick={() => setImage(null)} />
              </div>
            ) : (
              <button type="button" className="image-slot image-slot-empty image-slot-wide" onClick={() => fileRef.current?.click()} data-testid="compare-add-image">
                <Icon name="upload" size={16} />
                <span className="image-slot-title">{t('compare.addImage')}</span>
              </button>
            )}
            <input
              ref={fileRef}
              type="file"
              hidden
              accept="image/png,image/jpeg,image/webp"
              onChange={async (e) => {
                const files = e.target.files ? [...e.target.files] : []
                e.target.value = ''
                const reply = await inspectPaths(pathsOf(files).slice(0, 1), null)
                if (reply?.cards[0]) setImage(reply.cards[0])
                else if (reply?.rejected[0]) toastError(reply.rejected[0].reason)
              }}
            />
          </Field>
          <Field label={t('compare.models', { count: selected.length })} errors={attempted && selected.length < 2 ? [{ field: 'model', code: 'compare.fewModels', message: t('compare.pickTwo') }] : []}>
            <ul className="model-checklist" data-testid="compare-models">
              {candidates.map((m) => {
                const on = chosen.includes(m.id)
                const errs = problems.get(m.id)
                return (
                  <li key={m.id}>
                    <label className={`check-row ${on ? 'is-on' : ''}`}>
                      <input type="checkbox" checked={on} onChange={() => setChosen((c) => (on ? c.filter((x) => x !== m.id) : [...c, m.id]))} data-testid={`compare-model-${m.id}`} />
                      <span className="check-main">
                        <span className="check-name">{m.name}</span>
                        <span className="check-meta">{m.vendor}</span>
                      </span>
                      <PriceTag model={m} />
                    </label>
                    {on && errs ? <p className="field-error check-error">{errs[0]}</p> : null}
                  </li>
                )
              })}
            </ul>
          </Field>
          {held ? (
            <HeldNotice held={held} onDone={() => setHeld(null)} />
          ) : null}
          <div className="side-footer">
            <div className="estimate">
              <span className="estimate-label">{t('compose.estimate')}</span>
              <span className="estimate-value" data-testid="compare-total">
                {formatMoney(total, lang, currencyCode(selected[0]?.pricing.currency))}
              </span>
            </div>
            <KeyPicker />
            <Button variant="primary" className="btn-block" icon="compare" busy={busy} onClick={() => void submit()} data-testid="compare-submit">
              {t('compare.run', { count: selected.length })}
            </Button>
          </div>
        </aside>
        <CompareResults />
      </div>
    </div>
  )
}

function CompareResults(): ReactElement {
  const t = useT()
  const lang = useLang((s) => s.lang)
  const signature = useJobs((s) => runsSignature(s))
  const runs = useMemo(() => compareRuns(useJobs.getState()), [signature]) // eslint-disable-line react-hooks/exhaustive-deps
  const [index, setIndex] = useState(0)
  const run = runs[Math.min(index, runs.length - 1)]
  if (!run) {
    return (
      <div className="compare-results">
        <EmptyState icon="compare" title={t('compare.emptyTitle')} body={t('compare.emptyBody')} testId="compare-empty" />
      </div>
    )
  }
  return (
    <section className="compare-results" aria-label={t('compare.results')}>
      <div className="compare-run-head">
        <div className="compare-run-title">
          <p className="compare-run-prompt" title={run.prompt}>
            {run.prompt}
          </p>
          <span className="hint">{formatAgo(run.createdAt, Date.now(), lang)}</span>
        </div>
        {runs.length > 1 ? (
          <div className="pager">
            <IconButton icon="chevronLeft" size="sm" label={t('compare.newer')} disabled={index === 0} onClick={() => setIndex((i) => Math.max(0, i - 1))} />
            <span className="hint mono">
              {index + 1}/{runs.length}
            </span>
            <IconButton icon="chevronRight" size="sm" label={t('compare.older')} disabled={index >= runs.length - 1} onClick={() => setIndex((i) => Math.min(runs.length - 1, i + 1))} />
          </div>
        ) : null}
      </div>
      <div className={`compare-grid cols-${Math.min(run.jobIds.length, 3)}`} data-testid="compare-grid">
        {run.jobIds.map((id) => (
          <CompareTile key={id} id={id} />
        ))}
      </div>
    </section>
  )
}

function CompareTile({ id }: { id: string }): ReactElement | null {
  const t = useT()
  const lang = useLang((s) => s.lang)
  const job = useJobs((s) => s.byId.get(id))
  const itemId = job?.libraryItemId ?? null
  const item = useMediaCache((s) => (itemId ? s.items[itemId] : undefined))
  // A library change (its poster was made) forgets the cached item: ask again.
  useEffect(() => {
    if (itemId && item === undefined) void libraryItem(itemId)
  }, [itemId, item])
  if (!job) return null
  const running = isIn(GENERATING_STATES, job.state)
  const downloading = job.state === 'downloading'
  return (
    <div className="compare-tile" data-testid="compare-tile" data-state={job.state}>
      <div className="compare-media">
        {job.state === 'completed' && item ? (
          <video src={mediaUrl('library', item.fileName)} poster={item.poster ? `${mediaUrl('poster', item.id)}?v=${encodeURIComponent(item.poster)}` : undefined} autoPlay muted loop playsInline controls preload="metadata" />
        ) : (
          <div className="compare-placeholder">
            {job.state === 'failed' ? <Icon name="alert" size={22} /> : running || downloading ? <span className="spinner spinner-lg" aria-hidden="true" /> : <Icon name="clock" size={22} />}
            {job.error ? <p className="compare-error">{engineText(lang, job.error.message, job.error.code, job.error.params)}</p> : null}
          </div>
        )}
      </div>
      <div className="compare-tile-meta">
        <div className="compare-tile-head">
          <ModelName id={job.model} className="compare-model" />
          <StateBadge state={job.state} />
        </div>
        {running ? <ProgressBar value={job.state === 'running' ? job.progress : null} label={t('queue.generation')} /> : null}
        {downloading ? <ProgressBar value={job.downloadTotal ? (job.downloadedBytes / job.downloadTotal) * 100 : null} label={t('queue.download')} tone="ok" /> : null}
        <div className="compare-tile-foot">
          <span className="hint">{job.estimatedCost !== null ? formatMoney(job.estimatedCost, lang) : ''}</span>
          {job.state === 'completed' ? (
            <button type="button" className="link link-sm" onClick={() => openJob(job, 'compare')}>
              {t('compare.openPlayer')}
            </button>
          ) : null}
        </div>
      </div>
    </div>
  )
}
