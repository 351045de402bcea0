// Estimated spend, recorded when a create succeeds (that is when the provider starts billing).
import { BILLING_UNKNOWN_STATES, MAY_BE_BILLED_STATES, SENDING_STATES, TERMINAL_STATES, isIn } from '../../shared/jobStates'
import type { KeySpend, SpendSummary } from '../../shared/spend'
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
  record(jobId: string, model: string, amount: number, at: number, keyId: string): void {
    this.db.prepare('INSERT OR IGNORE INTO spend (job_id, day, model, amount, at, key_id) VALUES (?, ?, ?, ?, ?, ?)').run(jobId, dayKey(at), model, amount, at, keyId)
  }

  /** What was recorded for one job (null: it was never billed). */
  forJob(jobId: string): { amount: number; at: number } | null {
    return (this.db.prepare('SELECT amount, at FROM spend WHERE job_id = ?').get(jobId) as { amount: number; at: number } | undefined) ?? null
  }

  /** Recorded spend on `day`, of one key's or of all. */
  totalForDay(day: string, keyId?: string): number {
    if (keyId !== undefined) return (this.db.prepare('SELECT IFNULL(SUM(amount), 0) AS t FROM spend WHERE day = ? AND key_id = ?').get(day, keyId) as { t: number }).t
    return (this.db.prepare('SELECT IFNULL(SUM(amount), 0) AS t FROM spend WHERE day = ?').get(day) as { t: number }).t
  }

  /** Estimated cost of jobs accepted but not yet sent (queued, or waiting to retry a create), of one key's or of all. */
  pendingEstimate(keyId?: string): number {
    return this.jobs.estimatedCostIn(SENDING_STATES, keyId)
  }

  /** Today's recorded spend per key (keys with none are left out). */
  todayByKey(now: number): { keyId: string; amount: number; jobs: number }[] {
    return this.db.prepare('SELECT key_id AS keyId, SUM(amount) AS amount, COUNT(*) AS jobs FROM spend WHERE day = ? GROUP BY key_id ORDER BY amount DESC').all(dayKey(now)) as {
      keyId: string
      amount: number
      jobs: number
    }[]
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

  summary(now: number, dailyBudget: number | null, keys: readonly { id: string; label: string; dailyCap: number | null }[] = []): SpendSummary {
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
      byKey: this.byKey(now, keys),
      ...this.unbilled(month)
    }
  }

  /** Every named key with today's spend, pending cost and cap, then any removed key that spent today. */
  private byKey(now: number, keys: readonly { id: string; label: string; dailyCap: number | null }[]): KeySpend[] {
    const today = new Map(this.todayByKey(now).map((r) => [r.keyId, r]))
    const round = (n: number): number => Math.round(n * 1e6) / 1e6
    const rows: KeySpend[] = keys.map((k) => ({
      keyId: k.id,
      label: k.label,
      todayAmount: round(today.get(k.id)?.amount ?? 0),
      todayJobs: today.get(k.id)?.jobs ?? 0,
      pending: round(this.pendingEstimate(k.id)),
      dailyCap: k.dailyCap
    }))
    for (const [keyId, r] of today) {
      if (!keys.some((k) => k.id === keyId)) rows.push({ keyId, label: null, todayAmount: round(r.amount), todayJobs: r.jobs, pending: 0, dailyCap: null })
    }
    return rows
  }
}
