// "Resize/crop" for one card, with a preview: the image with the frame that will be kept, and a
// choice of which part to keep (left/centre/right or top/centre/bottom, whichever axis is trimmed).
import { useState, type ReactElement } from 'react'
import { mediaUrl } from '../../api'
import { Button } from '../../components/Button'
import { Modal } from '../../components/Modal'
import { useT } from '../../i18n'
import { CROP_POSITIONS, cropAxis, cropRect, type CropPosition } from '../../lib/crop'
import { formatSize } from '../../lib/format'
import type { FixTarget, ImageCard } from '../../shared'
import { useBatch } from '../../store/batch'
import { Chips, Field } from '../common/Fields'

export function FixDialog({ card, target, onApply, onClose }: { card: ImageCard; target: FixTarget; onApply: (position: CropPosition) => void; onClose: () => void }): ReactElement {
  const t = useT()
  const [position, setPosition] = useState<CropPosition>(() => useBatch.getState().cropPosition)
  const w = card.info.width ?? target.width
  const h = card.info.height ?? target.height
  const axis = cropAxis(w, h, target.width, target.height)
  const rect = cropRect(w, h, target.width, target.height, position)
  const from = formatSize(w, h)
  const to = formatSize(target.width, target.height)
  const frame = { left: `${(rect.sx / w) * 100}%`, top: `${(rect.sy / h) * 100}%`, width: `${(rect.sw / w) * 100}%`, height: `${(rect.sh / h) * 100}%` }
  return (
    <Modal
      title={t('batch.fixTitle', { name: card.name })}
      onClose={onClose}
      onSubmit={() => onApply(position)}
      testId="batch-fix-dialog"
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" variant="primary" icon="crop" autoFocus data-testid="batch-fix-apply">
            {t('batch.fix', { w: target.width, h: target.height })}
          </Button>
        </>
      }
    >
      <div className="fix-preview" style={{ aspectRatio: `${w} / ${h}`, width: `min(100%, calc(50vh * ${w / h}))` }} data-testid="batch-fix-preview">
        <img src={mediaUrl('image', card.token)} alt="" draggable={false} />
        <div className="fix-frame" style={frame} data-testid="batch-fix-frame" aria-hidden="true" />
      </div>
      <p className="hint">{axis ? t('batch.fixBody', { from, to }) : t('batch.fixScaleOnly', { from, to })}</p>
      {axis ? (
        <Field label={t('batch.cropKeep')}>
          <Chips
            label={t('batch.cropKeep')}
            values={CROP_POSITIONS}
            value={position}
            onChange={(v) => setPosition(v ?? 'center')}
            format={(v) => t(`batch.pos.${axis}.${v}`)}
            testId="batch-fix-position"
          />
        </Field>
      ) : null}
    </Modal>
  )
}
