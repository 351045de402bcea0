// "Watch a folder": the folder (from main's own folder dialog: the page never names a path) and
// its recipe — the model, the prompt and the fields the model has, as the Batch screen asks them.
import { useId, useMemo, useState, type ReactElement } from 'react'
import { settingsClient } from '../../clients/settingsClient'
import { watchClient } from '../../clients/watchClient'
import { Button } from '../../components/Button'
import { FieldErrors } from '../../components/Feedback'
import { Modal } from '../../components/Modal'
import { engineText, fieldErrorText, useLang, useT } from '../../i18n'
import { currencyCode, formatMoney, formatNumber, formatSize } from '../../lib/format'
import { applyDefaults, estimateCost, FILE_PLACEHOLDER, validateSpec, type CatalogModel, type FieldError, type WatchRecipe } from '../../shared'
import { useApp } from '../../store/app'
import { sizePerImage } from '../../store/batchModel'
import { toastSuccess } from '../../store/toasts'
import { defaultBatchModel } from '../common/defaultModels'
import { ChoiceField, Field, SecondsField } from '../common/Fields'
import { ModelPicker } from '../common/ModelPicker'

interface Draft {
  seconds: number | null
  size: string
  aspectRatio: string
  resolution: string
}

const EMPTY: Draft = { seconds: null, size: '', aspectRatio: '', resolution: '' }

/** The recipe as the engine receives it: only the fields this model has, empty ones left out. */
export function recipeFor(model: CatalogModel, prompt: string, d: Draft): WatchRecipe {
  const r = model.rules
  const recipe: WatchRecipe = { model: model.id, prompt }
  if (r.seconds && d.seconds !== null) recipe.seconds = d.seconds
  if (r.size && d.size) recipe.size = d.size
  if (r.aspectRatio && d.aspectRatio) recipe.aspectRatio = d.aspectRatio
  if (r.resolution && d.resolution) recipe.resolution = d.resolution
  return recipe
}

/** Problems with the recipe itself (the image checks wait for each image). */
function recipeIssues(model: CatalogModel, recipe: WatchRecipe): FieldError[] {
  return validateSpec({ ...recipe, images: undefined }, model.rules, []).filter((e) => !e.field.startsWith('images'))
}

export function WatchFolderDialog({ onClose }: { onClose: () => void }): ReactElement {
  const t = useT()
  const lang = useLang((s) => s.lang)
  const models = useApp((s) => s.catalog.models)
  const [folder, setFolder] = useState<string | null>(null)
  const [modelId, setModelId] = useState<string | null>(() => defaultBatchModel())
  const [prompt, setPrompt] = useState('')
  const [draft, setDraft] = useState<Draft>(EMPTY)
  const [busy, setBusy] = useState(false)
  const [refused, setRefused] = useState<FieldError[]>([])
  /** How many images the chosen folder holds already (null: not counted yet); sent only when ticked. */
  const [already, setAlready] = useState<number | null>(null)
  const [includeExisting, setIncludeExisting] = useState(false)
  const promptId = useId()
  const model = models.find((m) => m.id === modelId) ?? null
  const rules = model?.rules
  const recipe = useMemo(() => (model ? recipeFor(model, prompt, draft) : null), [model, prompt, draft])
  const issues = useMemo(() => (model && recipe && prompt.trim() ? recipeIssues(model, recipe) : []), [model, recipe, prompt])
  const perImage = model && recipe ? estimateCost(model.pricing, model.rules, applyDefaults(recipe, model.rules)) : null
  const change = (patch: Partial<Draft>): void => {
    setDraft((d) => ({ ...d, ...patch }))
    setRefused([])
  }

  const choose = async (): Promise<void> => {
    const picked = await settingsClient.chooseFolder()
    if (!picked) return
    setFolder(picked)
    setAlready(null)
    setIncludeExisting(false)
    const seen = await watchClient.inspect(picked)
    setAlready(seen ? seen.images : 0)
  }

  const start = async (): Promise<void> => {
    if (!folder || !recipe) return
    setBusy(true)
    try {
      const reply = await watchClient.add(folder, recipe, includeExisting && already ? 'include' : 'skip')
      if (!reply) return
      if (!reply.ok) {
        setRefused(reply.errors)
        return
      }
      toastSuccess(t('watch.added', { path: folder }))
      onClose()
    } finally {
      setBusy(false)
    }
  }

  const errorText = (e: FieldError): string => (e.code.startsWith('watch.') ? engineText(lang, e.message, e.code, e.params) : fieldErrorText(lang, e))
  return (
    <Modal
      title={t('watch.dialogTitle')}
      onClose={onClose}
      onSubmit={() => void start()}
      testId="watch-dialog"
      wide
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" variant="primary" icon="play" busy={busy} disabled={!folder || already === null || !recipe || !prompt.trim() || issues.length > 0} data-testid="watch-start">
            {t('watch.start')}
          </Button>
        </>
      }
    >
      <div className="watch-form">
        <Field label={t('watch.folder')}>
          <div className="watch-folder-pick">
            <Button icon="folder" onClick={() => void choose()} data-testid="watch-choose-folder">
              {t('watch.chooseFolder')}
            </Button>
            <span className={`mono path-text ${folder ? '' : 'muted'}`} data-testid="watch-folder-path">
              {folder ?? t('watch.noFolder')}
            </span>
          </div>
        </Field>
        <Field label={t('field.model')}>
          <ModelPicker
            value={modelId}
            requireMode="image-to-video"
            onChange={(m) => {
              setModelId(m.id)
              setDraft(EMPTY)
              setRefused([])
            }}
            testId="watch-model-picker"
          />
        </Field>
        <Field label={t('watch.prompt')} htmlFor={promptId} hint={t('watch.promptHint', { placeholder: FILE_PLACEHOLDER })} errors={issues}>
          <textarea
            id={promptId}
            className="textarea"
            rows={3}
            value={prompt}
            placeholder={t('compose.promptPlaceholder')}
            onChange={(e) => {
              setPrompt(e.target.value)
              setRefused([])
            }}
            data-testid="watch-prompt"
          />
        </Field>
        {rules?.seconds ? <SecondsField rule={rules.seconds} value={draft.seconds} onChange={(v) => change({ seconds: v })} errors={[]} /> : null}
        {rules?.size && model ? (
          <ChoiceField
            label={t('field.size')}
            rule={rules.size}
            value={draft.size}
            onChange={(v) => change({ size: v })}
            errors={[]}
            testId="watch-size"
            formatValue={formatSize}
            emptyLabel={sizePerImage(model) ? t('batch.sizePerImage') : undefined}
            hint={sizePerImage(model) ? t('batch.sizePerImageHint') : undefined}
          />
        ) : null}
        {rules?.aspectRatio ? <ChoiceField label={t('field.aspectRatio')} rule={rules.aspectRatio} value={draft.aspectRatio} onChange={(v) => change({ aspectRatio: v })} errors={[]} testId="watch-aspect" /> : null}
        {rules?.resolution ? <ChoiceField label={t('field.resolution')} rule={rules.resolution} value={draft.resolution} onChange={(v) => change({ resolution: v })} errors={[]} testId="watch-resolution" /> : null}
        <FieldErrors messages={refused.map(errorText)} />
        <div className="watch-money" data-testid="watch-money">
          {model ? <p className="watch-estimate">{perImage !== null ? t('watch.perImage', { amount: formatMoney(perImage, lang, currencyCode(model.pricing.currency)) }) : t('watch.perImageUnknown')}</p> : null}
          <p className="hint">{t('watch.moneyNote')}</p>
          {folder ? (
            already === null ? (
              <p className="hint" data-testid="watch-existing-counting">
                {t('watch.existingCounting')}
              </p>
            ) : already === 0 ? (
              <p className="hint" data-testid="watch-existing-none">
                {t('watch.existingNone')}
              </p>
            ) : (
              <div className="watch-existing">
                <label className="watch-existing-check">
                  <input type="checkbox" checked={includeExisting} onChange={(e) => setIncludeExisting(e.target.checked)} data-testid="watch-existing" />
                  <span data-testid="watch-existing-label">
                    {model && perImage !== null
                      ? t('watch.existingInclude', { count: formatNumber(already, lang), amount: formatMoney(perImage * already, lang, currencyCode(model.pricing.currency)) })
                      : t('watch.existingIncludeUnpriced', { count: formatNumber(already, lang) })}
                  </span>
                </label>
                <p className="hint">{t('watch.existingHint')}</p>
              </div>
            )
          ) : null}
        </div>
      </div>
    </Modal>
  )
}
