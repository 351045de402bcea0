// The parameter fields a model has, and only those: chips for short fixed lists, a select for
// long ones, free text with suggestions for open rules, a number input for ranges.
import { useId, type ReactElement, type ReactNode } from 'react'
import { FieldErrors } from '../../components/Feedback'
import { useLang, useT, fieldErrorText } from '../../i18n'
import type { ChoiceRule, FieldError, RangeRule } from '../../shared'

export function Field({ label, hint, htmlFor, errors, children, aside }: { label: string; hint?: ReactNode; htmlFor?: string; errors?: FieldError[]; children: ReactNode; aside?: ReactNode }): ReactElement {
  const lang = useLang((s) => s.lang)
  return (
    <div className={`field ${errors && errors.length > 0 ? 'has-error' : ''}`}>
      <div className="field-head">
        {htmlFor ? (
          <label className="label" htmlFor={htmlFor}>
            {label}
          </label>
        ) : (
          <span className="label">{label}</span>
        )}
        {aside ? <span className="field-aside">{aside}</span> : null}
      </div>
      {children}
      {hint ? <p className="hint">{hint}</p> : null}
      <FieldErrors messages={(errors ?? []).map((e) => fieldErrorText(lang, e))} />
    </div>
  )
}

interface ChipsProps<T extends string | number> {
  label: string
  values: readonly T[]
  value: T | null
  onChange: (v: T | null) => void
  /** Shown as the first chip meaning "let the model decide" (value null). */
  autoLabel?: string
  format?: (v: T) => string
  testId?: string
  invalid?: boolean
}

export function Chips<T extends string | number>({ label, values, value, onChange, autoLabel, format, testId, invalid }: ChipsProps<T>): ReactElement {
  return (
    <div className={`chips ${invalid ? 'is-invalid' : ''}`} role="radiogroup" aria-label={label} data-testid={testId}>
      {autoLabel !== undefined ? (
        <button type="button" role="radio" aria-checked={value === null} className={`chip ${value === null ? 'is-on' : ''}`} onClick={() => onChange(null)}>
          {autoLabel}
        </button>
      ) : null}
      {values.map((v) => (
        <button
          key={String(v)}
          type="button"
          role="radio"
          aria-checked={value === v}
          className={`chip ${value === v ? 'is-on' : ''}`}
          data-value={v}
          onClick={() => onChange(v)}
        >
          {format ? format(v) : String(v)}
        </button>
      ))}
    </div>
  )
}

export function ChoiceField({
  label,
  rule,
  value,
  onChange,
  errors,
  testId,
  formatValue,
  emptyLabel,
  hint
}: {
  label: string
  rule: ChoiceRule<string>
  value: string
  onChange: (v: string) => void
  errors: FieldError[]
  testId: string
  formatValue?: (v: string) => string
  /** What an empty value means when it is not simply the model's default (offered as the first choice). */
  emptyLabel?: string
  hint?: string
}): ReactElement {
  const t = useT()
  const id = useId()
  const listId = useId()
  const invalid = errors.length > 0
  const effective = value !== '' ? value : emptyLabel !== undefined ? null : (rule.default ?? null)
  const autoLabel = emptyLabel ?? (rule.default === undefined ? t('field.auto') : undefined)
  if (rule.open) {
    return (
      <Field label={label} htmlFor={id} errors={errors} hint={hint ?? t('field.openHint')}>
        <input
          id={id}
          className={`input ${invalid ? 'is-invalid' : ''}`}
          list={listId}
          value={value}
          placeholder={emptyLabel ?? rule.default ?? t('field.auto')}
          aria-invalid={invalid || undefined}
          data-testid={testId}
          onChange={(e) => onChange(e.target.value)}
        />
        <datalist id={listId}>
          {rule.allowed.map((v) => (
            <option key={v} value={v} />
          ))}
        </datalist>
      </Field>
    )
  }
  if (rule.allowed.length > 6) {
    return (
      <Field label={label} htmlFor={id} errors={errors} hint={hint}>
        <select id={id} className={`select ${invalid ? 'is-invalid' : ''}`} value={effective ?? ''} data-testid={testId} onChange={(e) => onChange(e.target.value)}>
          {autoLabel !== undefined ? <option value="">{autoLabel}</option> : null}
          {rule.allowed.map((v) => (
            <option key={v} value={v}>
              {formatValue ? formatValue(v) : v}
              {v === rule.default ? ` · ${t('field.default')}` : ''}
            </option>
          ))}
        </select>
      </Field>
    )
  }
  return (
    <Field label={label} errors={errors} hint={hint}>
      <Chips
        label={label}
        values={rule.allowed}
        value={effective}
        autoLabel={autoLabel}
        onChange={(v) => onChange(v ?? '')}
        format={formatValue}
        testId={testId}
        invalid={invalid}
      />
    </Field>
  )
}

export function SecondsField({ rule, value, onChange, errors }: { rule: RangeRule; value: number | null; onChange: (v: number | null) => void; errors: FieldError[] }): ReactElement {
  const t = useT()
  const id = useId()
  const label = t('field.seconds')
  const effective = value ?? rule.default ?? null
  if (rule.allowed && rule.allowed.length <= 8) {
    return (
      <Field label={label} errors={errors}>
        <Chips
          label={label}
          values={rule.allowed}
          value={effective}
          autoLabel={rule.default === undefined ? t('field.auto') : undefined}
          onChange={onChange}
          format={(v) => t('field.secondsValue', { n: v })}
          testId="field-seconds"
          invalid={errors.length > 0}
        />
      </Field>
    )
  }
  return (
    <Field label={label} htmlFor={id} errors={errors} aside={t('field.range', { min: rule.min, max: rule.max })}>
      <div className="number-row">
        <input
          id={id}
          className={`input input-number ${errors.length > 0 ? 'is-invalid' : ''}`}
          type="number"
          min={rule.min}
          max={rule.max}
          step={rule.integer ? 1 : 0.5}
          value={value ?? ''}
          placeholder={rule.default !== undefined ? String(rule.default) : t('field.auto')}
          aria-invalid={errors.length > 0 || undefined}
          data-testid="field-seconds"
          onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))}
        />
        <input
          type="range"
          className="range"
          min={rule.min}
          max={rule.max}
          step={rule.integer ? 1 : 0.5}
          value={effective ?? rule.min}
          aria-label={label}
          tabIndex={-1}
          onChange={(e) => onChange(Number(e.target.value))}
        />
        <span className="number-unit">{t('field.secondsUnit')}</span>
      </div>
    </Field>
  )
}
