import { memo, useState, type ReactElement } from 'react'
import { errorMessage, mediaUrl } from '../../api'
import { Button, IconButton } from '../../components/Button'
import { Icon } from '../../components/Icon'
import { fieldErrorText, useLang, useT, type TFunction } from '../../i18n'
import type { CropPosition } from '../../lib/crop'
import { baseName, formatBytes, formatSize } from '../../lib/format'
import { fixImage } from '../../lib/imageFix'
import { upscaleWarning } from '../../lib/upscale'
import type { CatalogModel, FixTarget, ImageCard } from '../../shared'
import { useApp } from '../../store/app'
import { useBatch } from '../../store/batch'
import { batchSpec, checkCard, statusOf } from '../../store/batchModel'
import { toastError } from '../../store/toasts'
import { FixDialog } from './FixDialog'
import './batch.css'

export const BATCH_CARD_HEIGHT = 270

/** Resize/crop one card to `target` (the size this card is sent at) and put the fixed copy in its place. */
export async function fixBatchCard(card: ImageCard, target: FixTarget, position: CropPosition, t: TFunction): Promise<void> {
  useBatch.getState().setFixing(card.path, true)
  try {
    const fixed = await fixImage(card, target, position)
    useBatch.getState().replace(card.path, fixed)
  } catch (error) {
    toastError(t('batch.fixFailed', { name: card.name, message: errorMessage(error) }))
  } finally {
    useBatch.getState().setFixing(card.path, false)
  }
}

export const BatchCard = memo(function BatchCard({ card }: { card: ImageCard }): ReactElement {
  const t = useT()
  const lang = useLang((s) => s.lang)
  const prompt = useBatch((s) => s.prompts[card.path] ?? '')
  const shared = useBatch((s) => s.sharedPrompt)
  const modelId = useBatch((s) => s.model)
  const model: CatalogModel | undefined = useApp((s) => s.catalog.models.find((m) => m.id === modelId))
  const kept = useBatch((s) => s.keepDuplicates.has(card.path))
  const settings = useBatch((s) => s.settings)
  const createErrors = useBatch((s) => s.createErrors[card.path])
  const fixing = useBatch((s) => s.fixing.has(card.path))
  const [thumbFailed, setThumbFailed] = useState(false)
  const [preview, setPreview] = useState(false)
  // Only the fields the check reads; the prompt does not change an image's problems.
  const { problems, fix: target } = checkCard(card, { settings, createErrors: createErrors ? { [card.path]: createErrors } : {}, prompts: {}, sharedPrompt: '' }, model)
  const status = statusOf(card, problems, kept)
  const upscale = model ? upscaleWarning(card.info, batchSpec(card, { settings, prompts: {}, sharedPrompt: '' }, model), model.rules) : null
  const upscaleText = upscale ? t('images.upscaleWarn', { from: formatSize(upscale.from.width, upscale.from.height), to: formatSize(upscale.to.width, upscale.to.height), factor: upscale.factor }) : null

  return (
    <div className={`batch-card batch-card-${status} ${card.duplicateOf && kept ? 'is-kept' : ''}`} data-testid="batch-card" data-status={status}>
      <div className="batch-thumb">
        {thumbFailed ? (
          <span className="thumb-empty">
            <Icon name="image" size={20} />
          </span>
        ) : (
          <img src={mediaUrl('image', card.token)} alt="" loading="lazy" decoding="async" draggable={false} onError={() => setThumbFailed(true)} />
        )}
        <span className={`batch-status batch-status-${status}`}>{t(`batch.status.${status}`)}</span>
        <IconButton icon="x" size="sm" className="batch-remove" label={t('batch.remove', { name: card.name })} onClick={() => useBatch.getState().remove(card.path)} data-testid="batch-remove" />
      </div>
      <div className="batch-body">
        <div className="batch-name-row">
          <span className="batch-name" title={card.path}>
            {card.name}
          </span>
          <span className="batch-size mono">
            {formatSize(card.info.width, card.info.height)} · {formatBytes(card.info.bytes)}
          </span>
          {upscaleText ? (
            <span className={`batch-warn ${status === 'problem' ? 'is-short' : ''}`} role="note" title={upscaleText} data-testid="batch-upscale-warning">
              {upscaleText}
            </span>
          ) : null}
        </div>
        {status === 'problem' ? (
          <div className="batch-problem">
            <p className="batch-problem-text" title={problems.map((p) => fieldErrorText(lang, p)).join('\n')}>
              {problems[0] ? fieldErrorText(lang, problems[0]) : ''}
            </p>
            {target ? (
              <Button size="sm" icon="crop" busy={fixing} onClick={() => setPreview(true)} data-testid="batch-fix">
                {t('batch.fix', { w: target.width, h: target.height })}
              </Button>
            ) : null}
            {preview && target ? (
              <FixDialog
                card={card}
                target={target}
                onClose={() => setPreview(false)}
                onApply={(position) => {
                  setPreview(false)
                  void fixBatchCard(card, target, position, t)
                }}
              />
            ) : null}
          </div>
        ) : card.duplicateOf ? (
          <div className="batch-problem">
            <p className="batch-dup-text" title={card.duplicateOf}>
              {t('batch.sameAs', { name: baseName(card.duplicateOf) })}
            </p>
            <button type="button" className="link link-sm" aria-pressed={kept} onClick={() => useBatch.getState().toggleKeepDuplicate(card.path)} data-testid="batch-keep-duplicate">
              {kept ? t('batch.skipDuplicate') : t('batch.keepDuplicate')}
            </button>
          </div>
        ) : (
          <input
            className="input input-sm"
            value={prompt}
            placeholder={shared ? t('batch.ownPromptShared') : t('batch.ownPrompt')}
            title={t('batch.sharedHint')}
            aria-label={t('batch.ownPromptFor', { name: card.name })}
            data-testid="batch-card-prompt"
            onChange={(e) => useBatch.getState().setPrompt(card.path, e.target.value)}
          />
        )}
      </div>
    </div>
  )
})
