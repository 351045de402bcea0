import { useRef, type ReactElement } from 'react'
import { useLang, useT } from '../../i18n'
import { formatMoney } from '../../lib/format'
import { useWidth } from '../../lib/useWidth'
import './spend.css'

export function niceMax(value: number): number {
  if (value <= 0) return 1
  const p = 10 ** Math.floor(Math.log10(value))
  const n = value / p
  const step = n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10
  return step * p
}

/** Last days as bars: plain SVG, today highlighted, the daily cap as a dashed line. */
export function SpendChart({ days, budget, today }: { days: { day: string; amount: number }[]; budget: number | null; today: string }): ReactElement {
  const t = useT()
  const lang = useLang((s) => s.lang)
  const wrapRef = useRef<HTMLDivElement>(null)
  const W = Math.max(320, useWidth(wrapRef))
  const H = 190
  const padL = 48
  const padB = 22
  const padT = 8
  const max = niceMax(Math.max(budget ?? 0, ...days.map((d) => d.amount)))
  const innerW = W - padL - 8
  const innerH = H - padB - padT
  const bw = days.length > 0 ? innerW / days.length : innerW
  const y = (v: number): number => padT + innerH - (v / max) * innerH
  const label = (day: string): string => {
    const [, m, d] = day.split('-')
    return `${Number(m)}/${Number(d)}`
  }
  return (
    <div ref={wrapRef} className="chart-wrap">
    <svg className="chart" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('spend.chartLabel')} data-testid="spend-chart">
      {[0, 0.5, 1].map((f) => (
        <g key={f}>
          <line x1={padL} x2={W - 8} y1={y(max * f)} y2={y(max * f)} className="chart-grid" />
          <text x={padL - 6} y={y(max * f) + 3} className="chart-axis" textAnchor="end">
            {formatMoney(max * f, lang)}
          </text>
        </g>
      ))}
      {days.map((d, i) => {
        const h = Math.max(d.amount > 0 ? 2 : 0, innerH - (y(d.amount) - padT))
        return (
          <g key={d.day}>
            <rect x={padL + i * bw + bw * 0.18} y={padT + innerH - h} width={bw * 0.64} height={h} rx={2} className={d.day === today ? 'chart-bar chart-bar-today' : 'chart-bar'}>
              <title>{`${d.day}: ${formatMoney(d.amount, lang)}`}</title>
            </rect>
            {i % 5 === 0 || i === days.length - 1 ? (
              <text x={padL + i * bw + bw / 2} y={H - 6} className="chart-axis" textAnchor="middle">
                {label(d.day)}
              </text>
            ) : null}
          </g>
        )
      })}
      {budget !== null && budget > 0 ? <line x1={padL} x2={W - 8} y1={y(budget)} y2={y(budget)} className="chart-budget" /> : null}
    </svg>
    </div>
  )
}
