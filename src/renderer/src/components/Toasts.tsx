import { useEffect, type ReactElement } from 'react'
import { useT } from '../i18n'
import { toastLifetime, useToasts, type Toast } from '../store/toasts'
import { IconButton } from './Button'
import { Icon } from './Icon'

export function Toasts(): ReactElement {
  const toasts = useToasts((s) => s.toasts)
  return (
    <div className="toasts" aria-live="polite" aria-relevant="additions">
      {toasts.map((toast) => (
        <ToastView key={toast.id} toast={toast} />
      ))}
    </div>
  )
}

function ToastView({ toast }: { toast: Toast }): ReactElement {
  const dismiss = useToasts((s) => s.dismiss)
  const t = useT()
  useEffect(() => {
    const timer = window.setTimeout(() => dismiss(toast.id), toastLifetime(toast.kind))
    return () => window.clearTimeout(timer)
  }, [toast.id, toast.kind, dismiss])
  return (
    <div className={`toast toast-${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'} data-testid={`toast-${toast.kind}`}>
      <Icon name={toast.kind === 'error' ? 'alert' : toast.kind === 'success' ? 'check' : 'info'} className="toast-icon" />
      <div className="toast-text">
        <p>{toast.message}</p>
        {toast.detail ? <p className="toast-detail">{toast.detail}</p> : null}
      </div>
      {toast.action ? (
        <button
          type="button"
          className="btn btn-ghost btn-sm toast-action"
          onClick={() => {
            toast.action?.run()
            dismiss(toast.id)
          }}
        >
          {toast.action.label}
        </button>
      ) : null}
      <IconButton icon="x" label={t('common.dismiss')} size="sm" onClick={() => dismiss(toast.id)} />
    </div>
  )
}
