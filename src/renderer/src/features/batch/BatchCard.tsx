import { memo, useState, type ReactElement } from 'react'
import { errorMessage, mediaUrl } from '../../api'
import { Button, IconButton } from '../../components/Button'
import { Icon } from '../../components/Icon'
import { fieldErrorText, useLang, useT, type TFunction } from '../../i18n'
import { baseName, formatBytes } from '../../lib/format'
import { fixImage } from '../../lib/imageFix'
import type { ImageCard } from '../../shared'
import { useBatch } from '../../store/batch'
import { cardStatus } from '../../store/batchModel'
import { toastError } from '../../store/toasts'
import './batch.css'

export const BATCH_CARD_HEIGHT = 270

/** Resize/crop one card and put the fixed copy in its place. */
export async function fixBatchCard(card: ImageCard, t: TFunction): Promise<void> {
  useBatch.getState().setFixing(card.path, true)
  try {
    const fixed = await fixImage(card)
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
  const status = useBatch((s) => cardStatus(card, s))
  const kept = useBatch((s) => s.keepDuplicates.has(card.path))
  const createErrors = useBatch((s) => s.createErrors[card.path])
  const fixing = useBatch((s) => s.fixing.has(card.path))
  const [thumbFailed, setThumbFailed] = useState(false)
  const problems = [...card.problems, ...(createErrors ?? [])]

  const fix = (): Promise<void> => fixBatchCard(card, t)

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
            {card.info.width ?? '?'}×{card.info.height ?? '?'} · {formatBytes(card.info.bytes)}
          </span>
        </div>
        {status === 'problem' ? (
          <div className="batch-problem">
            <p className="batch-problem-text" title={problems.map((p) => fieldErrorText(lang, p)).join('\n')}>
              {problems[0] ? fieldErrorText(lang, problems[0]) : ''}
            </p>
            {card.fix ? (
              <Button size="sm" icon="crop" busy={fixing} onClick={() => void fix()} data-testid="batch-fix">
                {t('batch.fix', { w: card.fix.width, h: card.fix.height })}
              </Button>
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
