// A full-window drop target. Images or whole folders dropped anywhere become batch cards; on
// Compose in image-to-video mode the overlay also offers "use as this prompt's image".
import { useEffect, useRef, useState, type DragEvent, type ReactElement } from 'react'
import { Icon } from '../../components/Icon'
import { useT } from '../../i18n'
import { isOutgoingDrag } from '../../lib/dragOut'
import { inspectPaths, pathsOf } from '../../lib/files'
import { useApp } from '../../store/app'
import { useCompose } from '../../store/compose'
import { toastError } from '../../store/toasts'
import { addFilesToBatch } from './batchActions'
import './dropOverlay.css'

/** Files dragged in from outside (not one of our own videos on its way out). */
function hasFiles(e: globalThis.DragEvent): boolean {
  return !isOutgoingDrag() && Array.from(e.dataTransfer?.types ?? []).includes('Files')
}

export function DropOverlay(): ReactElement | null {
  const t = useT()
  const [active, setActive] = useState(false)
  const depth = useRef(0)
  const routeName = useApp((s) => s.route.name)
  const composeImages = useCompose((s) => s.draft.mode === 'image-to-video')
  const composeModel = useApp((s) => s.catalog.models.find((m) => m.id === useCompose.getState().draft.model))
  const offerCompose = routeName === 'compose' && composeImages && (composeModel?.rules.images.max ?? 0) > 0

  useEffect(() => {
    const enter = (e: globalThis.DragEvent): void => {
      if (!hasFiles(e)) return
      e.preventDefault()
      depth.current++
      setActive(true)
    }
    const over = (e: globalThis.DragEvent): void => {
      if (!hasFiles(e)) return
      e.preventDefault()
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy'
    }
    const leave = (e: globalThis.DragEvent): void => {
      if (!hasFiles(e)) return
      depth.current = Math.max(0, depth.current - 1)
      if (depth.current === 0) setActive(false)
    }
    const drop = (e: globalThis.DragEvent): void => {
      // Anything not caught by a zone: never let the browser navigate to the file.
      e.preventDefault()
      depth.current = 0
      setActive(false)
    }
    window.addEventListener('dragenter', enter)
    window.addEventListener('dragover', over)
    window.addEventListener('dragleave', leave)
    window.addEventListener('drop', drop)
    return () => {
      window.removeEventListener('dragenter', enter)
      window.removeEventListener('dragover', over)
      window.removeEventListener('dragleave', leave)
      window.removeEventListener('drop', drop)
    }
  }, [])

  if (!active) return null

  const finish = (e: DragEvent): File[] => {
    e.preventDefault()
    e.stopPropagation()
    depth.current = 0
    setActive(false)
    return Array.from(e.dataTransfer.files)
  }
  const toBatch = (e: DragEvent): void => {
    void addFilesToBatch(finish(e))
  }
  const toCompose = async (e: DragEvent): Promise<void> => {
    const files = finish(e)
    const { draft, setImages } = useCompose.getState()
    const max = composeModel?.rules.images.max ?? 1
    const reply = await inspectPaths(pathsOf(files).slice(0, Math.max(0, max - draft.images.length)), draft.model)
    if (!reply) return
    if (reply.rejected[0]) toastError(t('images.rejected', { name: reply.rejected[0].name, reason: reply.rejected[0].reason }))
    setImages([...useCompose.getState().draft.images, ...reply.cards].slice(0, max))
  }

  return (
    <div className="drop-overlay" data-testid="drop-overlay" onDragOver={(e) => e.preventDefault()} onDrop={toBatch}>
      <div className={`drop-zones ${offerCompose ? 'two' : ''}`}>
        {offerCompose ? (
          <div className="drop-zone" onDragOver={(e) => e.preventDefault()} onDrop={(e) => void toCompose(e)} data-testid="drop-compose">
            <Icon name="image" size={28} />
            <p className="drop-title">{t('drop.compose')}</p>
            <p className="drop-sub">{t('drop.composeSub')}</p>
          </div>
        ) : null}
        <div className="drop-zone" onDragOver={(e) => e.preventDefault()} onDrop={toBatch} data-testid="drop-batch">
          <Icon name="batch" size={28} />
          <p className="drop-title">{t('drop.batch')}</p>
          <p className="drop-sub">{t('drop.batchSub')}</p>
        </div>
      </div>
    </div>
  )
}
