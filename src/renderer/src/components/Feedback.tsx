// Small building blocks for states: empty, loading, error, progress, badges.
import type { ReactElement, ReactNode } from 'react'
import { useT, type MessageKey } from '../i18n'
import { ACTIVE_STATES, WAITING_FOR_PERSON_STATES, isIn, type JobState } from '../shared'
import { Icon, type IconName } from './Icon'

export function EmptyState({ icon, title, body, children, testId }: { icon: IconName; title: string; body?: ReactNode; children?: ReactNode; testId?: string }): ReactElement {
  return (
    <div className="empty" data-testid={testId}>
      <div className="empty-icon">
        <Icon name={icon} size={22} />
      </div>
      <h2 className="empty-title">{title}</h2>
      {body ? <p className="empty-body">{body}</p> : null}
      {children ? <div className="empty-actions">{children}</div> : null}
    </div>
  )
}

export function Loading({ label }: { label?: string }): ReactElement {
  const t = useT()
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      <span>{label ?? t('common.loading')}</span>
    </div>
  )
}

export function ErrorPanel({ message, onRetry }: { message: string; onRetry?: () => void }): ReactElement {
  const t = useT()
  return (
    <div className="error-panel" role="alert">
      <Icon name="alert" />
      <p>{message}</p>
      {onRetry ? (
        <button type="button" className="btn btn-secondary btn-sm" onClick={onRetry}>
          {t('common.retry')}
        </button>
      ) : null}
    </div>
  )
}

/** Determinate when value is a number (0–100), indeterminate otherwise. */
export function ProgressBar({ value, label, tone = 'accent', testId }: { value: number | null; label: string; tone?: 'accent' | 'ok' | 'warn'; testId?: string }): ReactElement {
  const pct = value === null ? null : Math.max(0, Math.min(100, value))
  return (
    <div
      className={`progress progress-${tone} ${pct === null ? 'progress-indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct ?? undefined}
      data-testid={testId}
    >
      <div className="progress-fill" style={pct === null ? undefined : { width: `${pct}%` }} />
    </div>
  )
}

/** The badge's colour says who acts next: the engine (accent), the person (warn), or nobody yet or any more (muted). */
function toneOf(state: JobState): 'ok' | 'danger' | 'warn' | 'accent' | 'muted' {
  if (state === 'completed') return 'ok'
  if (state === 'failed') return 'danger'
  if (isIn(WAITING_FOR_PERSON_STATES, state)) return 'warn'
  if (isIn(ACTIVE_STATES, state) && state !== 'queued') return 'accent'
  return 'muted'
}

export function StateBadge({ state }: { state: JobState }): ReactElement {
  const t = useT()
  return (
    <span className={`badge badge-${toneOf(state)}`} data-testid="job-state" data-state={state}>
      <span className="badge-dot" aria-hidden="true" />
      {t(`state.${state}` as MessageKey)}
    </span>
  )
}

export function Kbd({ children }: { children: ReactNode }): ReactElement {
  return <kbd className="kbd">{children}</kbd>
}

export function FieldErrors({ messages, id }: { messages: string[]; id?: string }): ReactElement | null {
  if (messages.length === 0) return null
  return (
    <div className="field-errors" id={id} role="alert">
      {messages.map((m, i) => (
        <p key={i} className="field-error">
          <Icon name="alert" size={13} />
          <span>{m}</span>
        </p>
      ))}
    </div>
  )
}
