import { useCallback, useEffect, useId, useMemo, useRef, useState, type ReactElement } from 'react'
import { errorMessage } from '../../api'
import { jobsClient } from '../../clients/jobsClient'
import { Button, IconButton } from '../../components/Button'
import { EmptyState, ErrorPanel, Kbd, Loading, StateBadge } from '../../components/Feedback'
import { Icon } from '../../components/Icon'
import { ScreenHeader } from '../../components/ScreenHeader'
import { useLang, useT } from '../../i18n'
import { currencyCode, formatMoney, formatNumber, formatSize, priceParts } from '../../lib/format'
import { initialModel } from '../../lib/models'
import { MOD_KEY } from '../../lib/platform'
import { useSubmitShortcut } from '../../lib/useSubmitShortcut'
import { estimateCost, promptRequired } from '../../shared'
import type { CatalogModel, GenerationMode } from '../../shared'
import { loadCatalog } from '../../boot'
import { navigate, selectFavoriteModels, useApp } from '../../store/app'
import { useCompose } from '../../store/compose'
import { draftErrors, errorsFor, finalSpec, promptLength, rememberedFor, visibleErrors } from '../../store/composeModel'
import { useJobs } from '../../store/jobs'
import { toastError } from '../../store/toasts'
import { ChoiceField, Field, SecondsField } from '../common/Fields'
import { HeldNotice, heldFrom, type HeldInfo } from '../common/HeldNotice'
import { ModelPicker, toggleFavorite, unavailableText } from '../common/ModelPicker'
import { createJobs } from '../common/submit'
import { ImageSlots } from './ImageSlots'
import './compose.css'
import { KeyPicker } from '../common/KeyPicker'

export function ComposeScreen(): ReactElement {
  const t = useT()
  const catalog = useApp((s) => s.catalog)
  const settings = useApp((s) => s.settings)
  const draft = useCompose((s) => s.draft)
  const setModel = useCompose((s) => s.setModel)
  const model = catalog.models.find((m) => m.id === draft.model)

  // Open with the last model used, and the fields it was last sent with (or a sensible first one),
  // once the catalog and the settings are here.
  useEffect(() => {
    if (draft.model || catalog.models.length === 0 || !settings) return
    const first = initialModel(catalog.models, settings.lastModel, settings.favoriteModels)
    if (first) setModel(first, rememberedFor(settings.lastFields, first.id))
  }, [draft.model, catalog.models, settings, setModel])

  // A prefilled model id may arrive before its catalog entry: adapt once it is known.
  useEffect(() => {
    if (model && draft.model === model.id && !model.rules.modes.includes(draft.mode) && model.rules.modes.length > 0) setModel(model)
  }, [model, draft.model, draft.mode, setModel])

  if (catalog.models.length === 0) {
    return (
      <div className="screen">
        <ScreenHeader title={t('compose.title')} />
        {catalog.loading ? (
          <Loading label={t('catalog.loading')} />
        ) : catalog.error ? (
          <ErrorPanel message={t('catalog.error', { message: catalog.error })} onRetry={() => void loadCatalog(true)} />
        ) : (
          <EmptyState icon="film" title={t('catalog.empty')} body={t('catalog.emptyBody')}>
            <Button onClick={() => void loadCatalog(true)} icon="retry">
              {t('catalog.refresh')}
            </Button>
          </EmptyState>
        )}
      </div>
    )
  }
  return <ComposeForm model={model} />
}

function ComposeForm({ model }: { model: CatalogModel | undefined }): ReactElement {
  const t = useT()
  const lang = useLang((s) => s.lang)
  const { draft, serverErrors, attempted, notice, focusNonce, update, setModel, setServerErrors, setAttempted, setImages } = useCompose()
  const favorites = useApp(selectFavoriteModels)
  const lastFields = useApp((s) => s.settings?.lastFields)
  const [busy, setBusy] = useState(false)
  const [held, setHeld] = useState<HeldInfo | null>(null)
  const promptRef = useRef<HTMLTextAreaElement>(null)
  const promptId = useId()
  const negId = useId()
  const seedId = useId()
  const rules = model?.rules

  useEffect(() => {
    if (focusNonce > 0) promptRef.current?.focus()
  }, [focusNonce])

  const liveErrors = useMemo(() => (rules ? draftErrors(draft, rules) : []), [draft, rules])
  const shown = [...visibleErrors(liveErrors, attempted), ...serverErrors.filter((se) => !liveErrors.some((le) => le.field === se.field && le.code === se.code))]
  const spec = rules ? finalSpec(draft, rules) : null
  const estimate = model && rules && spec ? estimateCost(model.pricing, rules, spec) : null
  const reason = model ? unavailableText(model, t) : null

  const submit = useCallback(async () => {
    if (!model || !rules || busy) return
    setAttempted(true)
    const errors = draftErrors(draft, rules)
    if (errors.length > 0 || unavailableText(model, t)) {
      focusFirstError()
      return
    }
    setBusy(true)
    setHeld(null)
    try {
      const s = finalSpec(draft, rules)
      const check = await jobsClient.validate(s)
      if (check.errors.length > 0) {
        setServerErrors(check.errors)
        focusFirstError()
        return
      }
      const reply = await createJobs([s], undefined, { rememberFields: true })
      if (!reply) return
      if (!reply.ok) {
        setServerErrors(reply.errors.flatMap((e) => e.errors))
        focusFirstError()
        return
      }
      setAttempted(false)
      const held = heldFrom(reply)
      if (held) setHeld(held)
    } catch (error) {
      toastError(errorMessage(error))
    } finally {
      setBusy(false)
    }
  }, [model, rules, busy, draft, setAttempted, setServerErrors, t])

  useSubmitShortcut(submit)

  const promptErrors = errorsFor(shown, 'prompt')
  const len = promptLength(draft.prompt)
  const max = rules?.prompt.max ?? 0
  const modes: readonly GenerationMode[] = rules?.modes ?? []

  return (
    <div className="screen screen-compose" data-testid="compose-screen">
      <ScreenHeader title={t('compose.title')} subtitle={t('compose.subtitle')} />
      <div className="compose-layout">
        <form
          className="compose-form"
          aria-label={t('compose.title')}
          noValidate
          onSubmit={(e) => {
            e.preventDefault()
            void submit()
          }}
        >
          {notice ? (
            <div className="notice notice-info" role="status">
              <Icon name="info" />
              <p className="notice-text">{notice}</p>
              <IconButton icon="x" size="sm" label={t('common.dismiss')} onClick={() => useCompose.setState({ notice: null })} />
            </div>
          ) : null}
          <Field label={t('field.model')} errors={errorsFor(shown, 'model')}>
            <div className="model-row">
              <ModelPicker value={draft.model} onChange={(m) => setModel(m, rememberedFor(lastFields, m.id))} />
              {model ? (
                <IconButton
                  icon="star"
                  filled={favorites.includes(model.id)}
                  className={favorites.includes(model.id) ? 'star-on' : ''}
                  label={favorites.includes(model.id) ? t('model.unfavorite') : t('model.favorite')}
                  onClick={() => toggleFavorite(model.id)}
                  data-testid="model-favorite"
                />
              ) : null}
            </div>
            {reason ? <p className="field-error">{reason}</p> : null}
          </Field>

          {rules && modes.length > 1 ? (
            <Field label={t('field.mode')}>
              <div className="segmented" role="radiogroup" aria-label={t('field.mode')} data-testid="mode-switch">
                {modes.map((m) => (
                  <button
                    key={m}
                    type="button"
                    role="radio"
                    aria-checked={draft.mode === m}
                    className={draft.mode === m ? 'is-on' : ''}
                    data-testid={`mode-${m}`}
                    onClick={() => update({ mode: m })}
                  >
                    <Icon name={m === 'text-to-video' ? 'compose' : 'image'} size={14} />
                    {t(m === 'text-to-video' ? 'mode.t2v' : 'mode.i2v')}
                  </button>
                ))}
              </div>
            </Field>
          ) : null}

          {rules && draft.mode === 'image-to-video' && rules.images.max > 0 ? (
            <ImageSlots rules={rules} model={draft.model} spec={spec} images={draft.images} onChange={setImages} errors={errorsFor(shown, 'images')} />
          ) : null}

          <Field
            label={rules && !promptRequired(rules, draft.mode === 'image-to-video' ? draft.images.length : 0) ? t('field.promptOptional') : t('field.prompt')}
            htmlFor={promptId}
            errors={promptErrors}
            aside={
              <span className={`counter ${len > max ? 'is-over' : len > max * 0.9 ? 'is-near' : ''}`} data-testid="prompt-counter" aria-live="polite">
                {formatNumber(len, lang)} / {formatNumber(max, lang)}
              </span>
            }
          >
            <textarea
              id={promptId}
              ref={promptRef}
              className={`textarea textarea-prompt ${promptErrors.length ? 'is-invalid' : ''}`}
              rows={6}
              placeholder={t('compose.promptPlaceholder')}
              value={draft.prompt}
              aria-invalid={promptErrors.length > 0 || undefined}
              data-testid="prompt"
              data-field="prompt"
              onChange={(e) => update({ prompt: e.target.value })}
            />
          </Field>

          {rules?.negativePrompt ? (
            <Field
              label={t('field.negativePrompt')}
              htmlFor={negId}
              errors={errorsFor(shown, 'negativePrompt')}
              aside={
                <span className="counter">
                  {formatNumber(promptLength(draft.negativePrompt), lang)} / {formatNumber(rules.negativePrompt.max, lang)}
                </span>
              }
            >
              <textarea
                id={negId}
                className="textarea"
                rows={2}
                placeholder={t('compose.negativePlaceholder')}
                value={draft.negativePrompt}
                data-testid="negative-prompt"
                data-field="negativePrompt"
                onChange={(e) => update({ negativePrompt: e.target.value })}
              />
            </Field>
          ) : null}

          {rules ? (
            <div className="param-grid">
              {rules.seconds ? <SecondsField rule={rules.seconds} value={draft.seconds} onChange={(v) => update({ seconds: v })} errors={errorsFor(shown, 'seconds')} /> : null}
              {rules.size ? <ChoiceField label={t('field.size')} rule={rules.size} value={draft.size} onChange={(v) => update({ size: v })} errors={errorsFor(shown, 'size')} testId="field-size" formatValue={formatSize} /> : null}
              {rules.aspectRatio ? (
                <ChoiceField label={t('field.aspectRatio')} rule={rules.aspectRatio} value={draft.aspectRatio} onChange={(v) => update({ aspectRatio: v })} errors={errorsFor(shown, 'aspectRatio')} testId="field-aspect" />
              ) : null}
              {rules.resolution ? (
                <ChoiceField label={t('field.resolution')} rule={rules.resolution} value={draft.resolution} onChange={(v) => update({ resolution: v })} errors={errorsFor(shown, 'resolution')} testId="field-resolution" />
              ) : null}
              {rules.seed ? (
                <Field label={t('field.seed')} htmlFor={seedId} errors={errorsFor(shown, 'seed')}>
                  <div className="number-row">
                    <input
                      id={seedId}
                      className="input input-number mono"
                      inputMode="numeric"
                      value={draft.seed}
                      placeholder={t('field.seedRandom')}
                      data-testid="field-seed"
                      data-field="seed"
                      onChange={(e) => update({ seed: e.target.value.replace(/[^\d]/g, '') })}
                    />
                    <Button size="sm" variant="ghost" onClick={() => update({ seed: String(Math.floor(Math.random() * (rules.seed?.max ?? 999999))) })}>
                      {t('field.seedPick')}
                    </Button>
                  </div>
                </Field>
              ) : null}
            </div>
          ) : null}
        </form>

        <aside className="compose-side" aria-label={t('compose.summary')}>
          <div className="card summary-card">
            <h2 className="section-label">{t('compose.summary')}</h2>
            {model ? (
              <dl className="summary-list">
                <div>
                  <dt>{t('field.model')}</dt>
                  <dd>{model.name}</dd>
                </div>
                <div>
                  <dt>{t('field.mode')}</dt>
                  <dd>{t(draft.mode === 'text-to-video' ? 'mode.t2v' : 'mode.i2v')}</dd>
                </div>
                {spec?.seconds !== undefined ? (
                  <div>
                    <dt>{t('field.seconds')}</dt>
                    <dd>{t('field.secondsValue', { n: spec.seconds })}</dd>
                  </div>
                ) : null}
                {spec?.size || spec?.aspectRatio || spec?.resolution ? (
                  <div>
                    <dt>{t('compose.format')}</dt>
                    <dd className="mono">{[spec?.size ? formatSize(spec.size) : '', spec?.aspectRatio, spec?.resolution].filter(Boolean).join(' · ')}</dd>
                  </div>
                ) : null}
              </dl>
            ) : null}
            <div className="estimate" data-testid="cost-estimate">
              <span className="estimate-label">{t('compose.estimate')}</span>
              <span className="estimate-value">{estimate === null ? t('price.unknown') : formatMoney(estimate, lang, currencyCode(model?.pricing.currency))}</span>
              {model && estimate !== null ? <EstimateDetail model={model} seconds={spec?.seconds} /> : null}
            </div>
            {held ? (
              <HeldNotice held={held} onDone={() => setHeld(null)} />
            ) : null}
            <KeyPicker />
            <Button variant="primary" className="btn-block" icon="send" busy={busy} disabled={!model || reason !== null} onClick={() => void submit()} data-testid="submit">
              {t('compose.generate')}
            </Button>
            <p className="hint center">
              <Kbd>{MOD_KEY}</Kbd> <Kbd>Enter</Kbd> {t('compose.toGenerate')}
            </p>
          </div>
          <RecentJobs />
        </aside>
      </div>
    </div>
  )
}

function EstimateDetail({ model, seconds }: { model: CatalogModel; seconds: number | undefined }): ReactElement | null {
  const t = useT()
  const lang = useLang((s) => s.lang)
  const p = priceParts(model.pricing)
  if (!p) return null
  const amount = formatMoney(p.amount, lang, currencyCode(model.pricing.currency))
  return <span className="estimate-detail">{p.per === 'second' && seconds !== undefined ? t('compose.estimatePerSecond', { seconds, amount }) : t('compose.estimatePerVideo', { amount })}</span>
}

function focusFirstError(): void {
  window.requestAnimationFrame(() => {
    const el = document.querySelector<HTMLElement>('.compose-form .is-invalid, .compose-form [aria-invalid="true"]')
    el?.focus()
  })
}

function RecentJobs(): ReactElement | null {
  const t = useT()
  const ids = useJobs((s) => s.order.slice(0, 5).join('|'))
  if (!ids) return null
  return (
    <div className="card recent-card">
      <div className="card-head">
        <h2 className="section-label">{t('compose.recent')}</h2>
        <button type="button" className="link link-sm" onClick={() => navigate({ name: 'queue' })}>
          {t('compose.allJobs')}
        </button>
      </div>
      <ul className="recent-list">
        {ids.split('|').map((id) => (
          <RecentRow key={id} id={id} />
        ))}
      </ul>
    </div>
  )
}

function RecentRow({ id }: { id: string }): ReactElement | null {
  const job = useJobs((s) => s.byId.get(id))
  if (!job) return null
  return (
    <li>
      <button type="button" className="recent-row" onClick={() => navigate({ name: 'queue', focusId: id, nonce: Date.now() })}>
        <span className="recent-prompt">{job.spec.prompt || job.model}</span>
        <StateBadge state={job.state} />
      </button>
    </li>
  )
}
