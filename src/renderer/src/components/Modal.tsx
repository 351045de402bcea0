// Native <dialog> in modal mode: focus is trapped, Escape closes, the page behind is inert.
import { useEffect, useId, useRef, useState, type ReactElement, type ReactNode } from 'react'
import { useT } from '../i18n'
import { useDialogs } from '../store/dialogs'
import { Button, IconButton } from './Button'

interface ModalProps {
  title: string
  onClose: () => void
  children: ReactNode
  footer?: ReactNode
  wide?: boolean
  testId?: string
  /** Submitting the form (Enter in a field) runs this. */
  onSubmit?: () => void
}

export function Modal({ title, onClose, children, footer, wide, testId, onSubmit }: ModalProps): ReactElement {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const t = useT()
  const closeRef = useRef(onClose)
  closeRef.current = onClose
  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    const previous = document.activeElement as HTMLElement | null
    if (!dialog.open) dialog.showModal()
    const onCancel = (e: Event): void => {
      e.preventDefault()
      closeRef.current()
    }
    dialog.addEventListener('cancel', onCancel)
    return () => {
      dialog.removeEventListener('cancel', onCancel)
      if (dialog.open) dialog.close()
      previous?.focus?.()
    }
  }, [])
  return (
    <dialog ref={ref} className={`modal ${wide ? 'modal-wide' : ''}`} aria-labelledby={titleId} data-testid={testId}>
      <form
        method="dialog"
        className="modal-form"
        onSubmit={(e) => {
          e.preventDefault()
          onSubmit?.()
        }}
      >
        <header className="modal-header">
          <h2 id={titleId}>{title}</h2>
          <IconButton icon="x" label={t('common.close')} size="sm" onClick={onClose} />
        </header>
        <div className="modal-body">{children}</div>
        {footer ? <footer className="modal-footer">{footer}</footer> : null}
      </form>
    </dialog>
  )
}

/** Renders the confirm / prompt request at the head of the dialog queue. */
export function DialogHost(): ReactElement | null {
  const current = useDialogs((s) => s.current)
  if (!current) return null
  return current.kind === 'confirm' ? <ConfirmBox key={current.id} /> : <PromptBox key={current.id} />
}

function ConfirmBox(): ReactElement | null {
  const req = useDialogs((s) => s.current)
  const close = useDialogs((s) => s.close)
  const t = useT()
  if (!req || req.kind !== 'confirm') return null
  const finish = (ok: boolean): void => {
    close()
    req.resolve(ok)
  }
  return (
    <Modal
      title={req.title}
      onClose={() => finish(false)}
      onSubmit={() => finish(true)}
      testId={req.testId ?? 'confirm-dialog'}
      footer={
        <>
          <Button onClick={() => finish(false)} data-testid="confirm-cancel">
            {req.cancelLabel ?? t('common.cancel')}
          </Button>
          <Button type="submit" variant={req.danger ? 'danger' : 'primary'} autoFocus data-testid="confirm-ok">
            {req.confirmLabel}
          </Button>
        </>
      }
    >
      {req.body ? <p className="modal-text">{req.body}</p> : null}
    </Modal>
  )
}

function PromptBox(): ReactElement | null {
  const req = useDialogs((s) => s.current)
  const close = useDialogs((s) => s.close)
  const t = useT()
  const [value, setValue] = useState(req?.kind === 'prompt' ? (req.initial ?? '') : '')
  const inputId = useId()
  if (!req || req.kind !== 'prompt') return null
  const finish = (result: string | null): void => {
    close()
    req.resolve(result)
  }
  const ok = value.trim() !== ''
  return (
    <Modal
      title={req.title}
      onClose={() => finish(null)}
      onSubmit={() => ok && finish(value)}
      testId={req.testId ?? 'prompt-dialog'}
      footer={
        <>
          <Button onClick={() => finish(null)}>{t('common.cancel')}</Button>
          <Button type="submit" variant="primary" disabled={!ok} data-testid="prompt-ok">
            {req.confirmLabel}
          </Button>
        </>
      }
    >
      {req.body ? <p className="modal-text">{req.body}</p> : null}
      <label className="label" htmlFor={inputId}>
        {req.label}
      </label>
      {req.multiline ? (
        <textarea
          id={inputId}
          className="textarea"
          rows={5}
          autoFocus
          value={value}
          data-testid="prompt-input"
          onChange={(e) => setValue(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.metaKey || e.ctrlKey) && ok) {
              e.preventDefault()
              finish(value)
            }
          }}
        />
      ) : (
        <input id={inputId} className="input" autoFocus value={value} data-testid="prompt-input" onChange={(e) => setValue(e.target.value)} />
      )}
    </Modal>
  )
}
