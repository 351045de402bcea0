import { useEffect, useId, useState, type ReactElement } from 'react'
import { settingsClient } from '../../clients/settingsClient'
import { Button } from '../../components/Button'
import { EmptyState, ErrorPanel, Loading, ProgressBar } from '../../components/Feedback'
import { Icon } from '../../components/Icon'
import { ScreenHeader } from '../../components/ScreenHeader'
import { useLang, useT } from '../../i18n'
import { formatMoney } from '../../lib/format'
import type { KeySpend, ModelSpend } from '../../shared'
import { navigate, useApp } from '../../store/app'
import { keyName } from '../../store/keys'
import { useSpend } from '../../store/spend'
import { toastSuccess } from '../../store/toasts'
import { SpendChart } from './SpendChart'
import './spend.css'
import { ModelName } from '../common/ModelName'

export function SpendScreen(): ReactElement {
  const t = useT()
  const lang = useLang((s) => s.lang)
  const { summary, loading, error, load } = useSpend()
  useEffect(() => {
    void load()
  }, [load])
  return (
    <div className="screen screen-spend" data-testid="spend-screen">
      <ScreenHeader title={t('spend.title')} subtitle={t('spend.estimateNote')}>
        <Button icon="retry" onClick={() => void load()} busy={loading && summary !== null}>
          {t('common.refresh')}
        </Button>
      </ScreenHeader>
      {!summary && error ? (
        <ErrorPanel message={error} onRetry={() => void load()} />
      ) : !summary ? (
        <Loading />
      ) : (
        <div className="spend-scroll">
          <div className="stat-row">
            <Stat label={t('spend.today')} value={formatMoney(summary.todayTotal, lang)} testId="spend-today">
              {summary.dailyBudget !== null ? (
                <>
                  <ProgressBar value={summary.dailyBudget > 0 ? (summary.todayTotal / summary.dailyBudget) * 100 : 100} label={t('spend.ofBudget')} tone={summary.todayTotal > summary.dailyBudget ? 'warn' : 'accent'} />
                  <span className="stat-sub">{t('spend.ofCap', { amount: formatMoney(summary.dailyBudget, lang) })}</span>
                </>
              ) : (
                <span className="stat-sub">{t('spend.noCap')}</span>
              )}
            </Stat>
            <Stat label={t('spend.month')} value={formatMoney(summary.monthTotal, lang)} testId="spend-month">
              <span className="stat-sub">{t('spend.monthJobs', { count: summary.monthByModel.reduce((n, m) => n + m.jobs, 0) })}</span>
            </Stat>
            <Stat label={t('spend.pending')} value={formatMoney(summary.pending, lang)} testId="spend-pending">
              <span className="stat-sub">{t('spend.pendingSub')}</span>
            </Stat>
            <BudgetEditor />
          </div>
          {summary.notBilledThisMonth.jobs > 0 || summary.billingUnknownThisMonth.jobs > 0 ? (
            <section className="card billing-split" data-testid="spend-billing">
              <h2 className="section-label">{t('spend.billingTitle')}</h2>
              <ul className="billing-list">
                <li>
                  <span className="billing-dot billing-billed" aria-hidden="true" />
                  {t('spend.billedLine', { count: summary.monthByModel.reduce((n, m) => n + m.jobs, 0), amount: formatMoney(summary.monthTotal, lang) })}
                </li>
                {summary.notBilledThisMonth.jobs > 0 ? (
                  <li data-testid="spend-not-billed">
                    <span className="billing-dot billing-not" aria-hidden="true" />
                    {t('spend.notBilledLine', { count: summary.notBilledThisMonth.jobs, amount: formatMoney(summary.notBilledThisMonth.amount, lang) })}
                  </li>
                ) : null}
                {summary.billingUnknownThisMonth.jobs > 0 ? (
                  <li data-testid="spend-billing-unknown">
                    <span className="billing-dot billing-unknown" aria-hidden="true" />
                    {t('spend.unknownLine', { count: summary.billingUnknownThisMonth.jobs, amount: formatMoney(summary.billingUnknownThisMonth.amount, lang) })}{' '}
                    <button type="button" className="link" onClick={() => navigate({ name: 'queue' })}>
                      {t('spend.decideInQueue')}
                    </button>
                  </li>
                ) : null}
              </ul>
            </section>
          ) : null}
          {summary.unpricedJobsThisMonth > 0 ? (
            <div className="notice notice-info" role="note">
              <Icon name="info" />
              <p className="notice-text">{t('spend.unpriced', { count: summary.unpricedJobsThisMonth })}</p>
            </div>
          ) : null}
          <section className="card">
            <div className="card-head">
              <h2 className="section-label">{t('spend.lastDays', { count: summary.lastDays.length })}</h2>
              {summary.dailyBudget !== null ? (
                <span className="legend">
                  <span className="legend-dash" /> {t('spend.dailyCap')}
                </span>
              ) : null}
            </div>
            {summary.lastDays.some((d) => d.amount > 0) ? <SpendChart days={summary.lastDays} budget={summary.dailyBudget} today={summary.today} /> : <p className="hint chart-empty">{t('spend.noSpendYet')}</p>}
          </section>
          {summary.byKey.length > 1 || summary.byKey.some((k) => k.label === null || k.dailyCap !== null) ? <KeyTable rows={summary.byKey} /> : null}
          <div className="two-col">
            <ModelTable title={t('spend.todayByModel')} rows={summary.todayByModel} testId="spend-today-table" />
            <ModelTable title={t('spend.monthByModel')} rows={summary.monthByModel} testId="spend-month-table" />
          </div>
        </div>
      )}
    </div>
  )
}

/** Today per named key: what each spent, what waits to be sent with it, and its own cap. */
function KeyTable({ rows }: { rows: KeySpend[] }): ReactElement {
  const t = useT()
  const lang = useLang((s) => s.lang)
  return (
    <section className="card" data-testid="spend-key-table">
      <h2 className="section-label">{t('spend.byKey')}</h2>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('spend.key')}</th>
            <th scope="col" className="num">
              {t('spend.jobs')}
            </th>
            <th scope="col" className="num">
              {t('spend.amount')}
            </th>
            <th scope="col" className="num">
              {t('spend.pending')}
            </th>
            <th scope="col" className="num">
              {t('spend.keyCap')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((k) => {
            const over = k.dailyCap !== null && k.todayAmount > k.dailyCap
            return (
              <tr key={k.keyId} data-testid={`spend-key-${k.label ?? k.keyId}`}>
                <td>{k.label !== null ? keyName({ keyId: k.keyId, label: k.label }) : <span className="muted">{t('spend.removedKey')}</span>}</td>
                <td className="num">{k.todayJobs}</td>
                <td className={`num ${over ? 'spend-over' : ''}`}>{formatMoney(k.todayAmount, lang)}</td>
                <td className="num">{formatMoney(k.pending, lang)}</td>
                <td className="num">{k.dailyCap !== null ? formatMoney(k.dailyCap, lang) : t('spend.noCapShort')}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </section>
  )
}

function Stat({ label, value, children, testId }: { label: string; value: string; children?: React.ReactNode; testId?: string }): ReactElement {
  return (
    <div className="card stat" data-testid={testId}>
      <span className="stat-label">{label}</span>
      <span className="stat-value">{value}</span>
      {children}
    </div>
  )
}

function ModelTable({ title, rows, testId }: { title: string; rows: ModelSpend[]; testId: string }): ReactElement {
  const t = useT()
  const lang = useLang((s) => s.lang)
  const max = Math.max(0, ...rows.map((r) => r.amount))
  return (
    <section className="card" data-testid={testId}>
      <h2 className="section-label">{title}</h2>
      {rows.length === 0 ? (
        <EmptyState icon="spend" title={t('spend.none')} />
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('field.model')}</th>
              <th scope="col" className="num">
                {t('spend.jobs')}
              </th>
              <th scope="col" className="num">
                {t('spend.amount')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.model}>
                <td>
                  <ModelName id={r.model} />
                  <span className="share-bar" style={{ width: `${max > 0 ? (r.amount / max) * 100 : 0}%` }} aria-hidden="true" />
                </td>
                <td className="num">{r.jobs}</td>
                <td className="num">{formatMoney(r.amount, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

function BudgetEditor(): ReactElement {
  const t = useT()
  const budget = useApp((s) => s.settings?.dailyBudget ?? null)
  const [value, setValue] = useState(budget === null ? '' : String(budget))
  const [busy, setBusy] = useState(false)
  const id = useId()
  useEffect(() => setValue(budget === null ? '' : String(budget)), [budget])
  const parsed = value.trim() === '' ? null : Number(value)
  const invalid = parsed !== null && (!Number.isFinite(parsed) || parsed < 0 || parsed > 1_000_000)
  const save = async (): Promise<void> => {
    if (invalid) return
    setBusy(true)
    const s = await settingsClient.update({ dailyBudget: parsed })
    setBusy(false)
    if (s) {
      useApp.setState({ settings: s })
      void useSpend.getState().load()
      toastSuccess(parsed === null ? t('spend.capRemoved') : t('spend.capSaved'))
    }
  }
  return (
    <form
      className="card stat budget-editor"
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
    >
      <label className="stat-label" htmlFor={id}>
        {t('spend.dailyCap')}
      </label>
      <div className="number-row">
        <span className="input-currency">$</span>
        <input id={id} className={`input input-number ${invalid ? 'is-invalid' : ''}`} inputMode="decimal" placeholder={t('spend.noCapShort')} value={value} onChange={(e) => setValue(e.target.value)} data-testid="budget-input" />
        <Button type="submit" size="sm" variant="primary" busy={busy} disabled={invalid || parsed === budget} data-testid="budget-save">
          {t('common.save')}
        </Button>
      </div>
      <span className="stat-sub">{invalid ? t('spend.capInvalid') : t('spend.capHint')}</span>
    </form>
  )
}
