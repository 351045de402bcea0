// Estimated spend, recorded when a create succeeds (that is when the provider starts billing).
import { BILLING_UNKNOWN_STATES, MAY_BE_BILLED_STATES, SENDING_STATES, TERMINAL_STATES, isIn } from '../../shared/jobStates'
import type { SpendSummary } from '../../shared/spend'
import type { Db } from '../db/database'
import type { JobStore } from './jobStore'

export function dayKey(ms: number): string {
  const d = new Date(ms)
  const p = (n: number): string => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

export class SpendLedger {
  constructor(
    private readonly db: Db,
    private readonly jobs: Pick<JobStore, 'estimatedCostIn' | 'unpricedSentInMonth' | 'withoutTaskInMonth'>
  ) {}

  /** Idempotent per job: a job is billed once however often its create is recorded. */
  record(jobId: string, model: string, amount: number, at: number): void {
    this.db.prepare('INSERT OR IGNORE INTO spend (job_id, day, model, amount, at) VALUES (?, ?, ?, ?, ?)').run(jobId, dayKey(at), model, amount, at)
  }

  /** What was recorded for one job (null: it was never billed). */
  forJob(jobId: string): { amount: number; at: number } | null {
    return (this.db.prepare('SELECT amount, at FROM spend WHERE job_id = ?').get(jobId) as { amount: number; at: number } | undefined) ?? null
  }

  totalForDay(day: string): number {
    return (this.db.prepare('SELECT IFNULL(SUM(amount), 0) AS t FROM spend WHERE day = ?').get(day) as { t: number }).t
  }

  /** Estimated cost of jobs accepted but not yet sent (queued, or waiting to retry a create). */
  pendingEstimate(): number {
    return this.jobs.estimatedCostIn(SENDING_STATES)
  }

  /**
   * Jobs with no task id, split by what is known of their bill. Not billed: ended before their
   * create left (canceled while queued or held), or failed (a create is failed only on a definite
   * refusal; an ambiguous answer goes to the person instead). Maybe billed: waiting for the
   * person's decision, or canceled after their create may have left (while sending, or undecided).
   */
  private unbilled(month: string): Pick<SpendSummary, 'notBilledThisMonth' | 'billingUnknownThisMonth'> {
    const notBilled = { jobs: 0, amount: 0 }
    const unknown = { jobs: 0, amount: 0 }
    for (const j of this.jobs.withoutTaskInMonth(month, [...TERMINAL_STATES, ...BILLING_UNKNOWN_STATES], MAY_BE_BILLED_STATES)) {
      const maybe = isIn(BILLING_UNKNOWN_STATES, j.state) || (j.state === 'canceled' && j.sent)
      const into = maybe ? unknown : notBilled
      into.jobs++
      into.amount += j.cost
    }
    const round = (n: number): number => Math.round(n * 1e6) / 1e6
    return { notBilledThisMonth: { ...notBilled, amount: round(notBilled.amount) }, billingUnknownThisMonth: { ...unknown, amount: round(unknown.amount) } }
  }

  summary(now: number, dailyBudget: number | null): SpendSummary {
    const today = dayKey(now)
    const month = today.slice(0, 7)
    const perModel = (where: string, arg: string): { model: string; amount: number; jobs: number }[] =>
      this.db
        .prepare(`SELECT model, SUM(amount) AS amount, COUNT(*) AS jobs FROM spend WHERE ${where} GROUP BY model ORDER BY amount DESC`)
        .all(arg) as { model: string; amount: number; jobs: number }[]
    const todayRows = perModel('day = ?', today)
    const monthRows = perModel("substr(day, 1, 7) = ?", month)
    const spent = new Map(
      (this.db.prepare('SELECT day, SUM(amount) AS amount FROM spend WHERE day >= ? GROUP BY day').all(dayKey(now - 30 * 86_400_000)) as { day: string; amount: number }[]).map(
        (r) => [r.day, r.amount]
      )
    )
    // Every one of the last 30 days, quiet days included, so a chart has no gaps.
    const days: { day: string; amount: number }[] = []
    for (let i = 29; i >= 0; i--) {
      const day = dayKey(now - i * 86_400_000)
      if (!days.some((d) => d.day === day)) days.push({ day, amount: spent.get(day) ?? 0 })
    }
    const sum = (rows: { amount: number }[]): number => rows.reduce((a, r) => a + r.amount, 0)
    const unpriced = this.jobs.unpricedSentInMonth(month)
    return {
      today,
      todayTotal: sum(todayRows),
      monthTotal: sum(monthRows),
      todayByModel: todayRows,
      monthByModel: monthRows,
      lastDays: days,
      pending: this.pendingEstimate(),
      dailyBudget,
      unpricedJobsThisMonth: unpriced,
      ...this.unbilled(month)
    }
  }
}
