// Image slots for image-to-video: as many as the model takes, each a drop/pick target with a thumbnail.
import { useRef, useState, type ReactElement } from 'react'
import { errorMessage, mediaUrl } from '../../api'
import { Button, IconButton } from '../../components/Button'
import { Icon } from '../../components/Icon'
import { useT } from '../../i18n'
import { inspectPaths, pathsOf } from '../../lib/files'
import { formatSize } from '../../lib/format'
import { fixImage } from '../../lib/imageFix'
import { upscaleWarning } from '../../lib/upscale'
import type { FieldError, ImageCard, JobSpec, ModelRules } from '../../shared'
import { toastError } from '../../store/toasts'
import { Field } from '../common/Fields'

export function ImageSlots({ rules, model, spec, images, onChange, errors }: { rules: ModelRules; model: string | null; spec: JobSpec | null; images: ImageCard[]; onChange: (cards: ImageCard[]) => void; errors: FieldError[] }): ReactElement {
  const t = useT()
  const inputRef = useRef<HTMLInputElement>(null)
  const [busy, setBusy] = useState(false)
  const [fixing, setFixing] = useState<string | null>(null)
  const max = rules.images.max
  const slots = Math.max(1, Math.min(max, images.length + 1))

  const add = async (files: File[]): Promise<void> => {
    const paths = pathsOf(files)
    if (paths.length === 0) return
    setBusy(true)
    const reply = await inspectPaths(paths.slice(0, max - images.length), model)
    setBusy(false)
    if (!reply) return
    if (reply.rejected.length > 0) toastError(t('images.rejected', { name: reply.rejected[0].name, reason: reply.rejected[0].reason }))
    onChange([...images, ...reply.cards].slice(0, max))
  }

  const slotLabel = (i: number): string =>
    max === 2 ? (i === 0 ? t('images.firstFrame') : t('images.lastFrame')) : max > 2 ? t('images.nth', { n: i + 1 }) : t('images.image')

  return (
    <Field
      label={t('field.images')}
      errors={errors}
      aside={rules.images.min === rules.images.max ? t('images.exactly', { n: rules.images.max }) : t('images.upTo', { n: max })}
      hint={t('images.hint', { types: rules.images.types.map((x) => x.toUpperCase()).join(', ') })}
    >
      <div className="image-slots" data-testid="image-slots">
        {Array.from({ length: slots }, (_, i) => {
          const card = images[i]
          if (!card) {
            return (
              <button
                key={`empty-${i}`}
                type="button"
                className="image-slot image-slot-empty"
                data-testid="image-slot-add"
                disabled={busy}
                onClick={() => inputRef.current?.click()}
                onDragOver={(e) => e.preventDefault()}
              >
                {busy ? <span className="spinner" aria-hidden="true" /> : <Icon name="upload" size={18} />}
                <span className="image-slot-title">{slotLabel(i)}</span>
                <span className="image-slot-sub">{t('images.dropOrPick')}</span>
              </button>
            )
          }
          const problems = errors.filter((e) => e.field === `images[${i}]`)
          const upscale = spec ? upscaleWarning(card.info, spec, rules) : null
          return (
            <div key={card.path} className={`image-slot ${problems.length ? 'is-invalid' : ''}`} data-testid="image-slot">
              <img className="image-slot-thumb" src={mediaUrl('image', card.token)} alt="" draggable={false} />
              <div className="image-slot-info">
                <span className="image-slot-title" title={card.path}>
                  {slotLabel(i)} · {card.name}
                </span>
                <span className="image-slot-sub mono">
                  {formatSize(card.info.width, card.info.height)}
                </span>
                {upscale ? (
                  <span className="image-slot-warn" role="note" data-testid="image-upscale-warning">
                    {t('images.upscaleWarn', { from: formatSize(upscale.from.width, upscale.from.height), to: formatSize(upscale.to.width, upscale.to.height), factor: upscale.factor })}
                  </span>
                ) : null}
                {card.fix ? (
                  <Button
                    size="sm"
                    icon="crop"
                    busy={fixing === card.path}
                    data-testid="image-fix"
                    onClick={async () => {
                      setFixing(card.path)
                      try {
                        const fixed = await fixImage(card)
                        onChange(images.map((c) => (c.path === card.path ? fixed : c)))
                      } catch (e) {
                        toastError(errorMessage(e))
                      } finally {
                        setFixing(null)
                      }
                    }}
                  >
                    {t('batch.fix', { w: card.fix.width, h: card.fix.height })}
                  </Button>
                ) : null}
              </div>
              <IconButton icon="x" size="sm" label={t('images.remove', { name: card.name })} className="image-slot-remove" onClick={() => onChange(images.filter((c) => c.path !== card.path))} />
            </div>
          )
        })}
      </div>
      <input
        ref={inputRef}
        type="file"
        hidden
        accept="image/png,image/jpeg,image/webp"
        multiple={max - images.length > 1}
        data-testid="image-input"
        onChange={(e) => {
          const files = e.target.files ? [...e.target.files] : []
          e.target.value = ''
          void add(files)
        }}
      />
    </Field>
  )
}
