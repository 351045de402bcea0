import type { ButtonHTMLAttributes, ReactElement, ReactNode } from 'react'
import { Icon, type IconName } from './Icon'

type Variant = 'primary' | 'secondary' | 'ghost' | 'danger'

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant
  size?: 'sm' | 'md'
  icon?: IconName
  busy?: boolean
  children?: ReactNode
}

export function Button({ variant = 'secondary', size = 'md', icon, busy, children, className, type = 'button', disabled, ...rest }: ButtonProps): ReactElement {
  const cls = ['btn', `btn-${variant}`, size === 'sm' ? 'btn-sm' : '', children ? '' : 'btn-icon-only', className ?? ''].filter(Boolean).join(' ')
  return (
    <button type={type} className={cls} disabled={disabled || busy} aria-busy={busy || undefined} {...rest}>
      {busy ? <span className="spinner" aria-hidden="true" /> : icon ? <Icon name={icon} size={size === 'sm' ? 14 : 16} /> : null}
      {children ? <span className="btn-label">{children}</span> : null}
    </button>
  )
}

/** A square icon button; `label` is its accessible name and tooltip. */
export function IconButton({ icon, label, size = 'md', variant = 'ghost', filled, className, ...rest }: Omit<ButtonProps, 'children' | 'icon'> & { icon: IconName; label: string; filled?: boolean }): ReactElement {
  return (
    <button type="button" className={['btn', `btn-${variant}`, 'btn-icon-only', size === 'sm' ? 'btn-sm' : '', className ?? ''].filter(Boolean).join(' ')} aria-label={label} title={label} {...rest}>
      <Icon name={icon} size={size === 'sm' ? 14 : 16} filled={filled} />
    </button>
  )
}
