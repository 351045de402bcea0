// Estimated spend as the Spend screen and `comet-video` show it.

export interface ModelSpend {
  model: string
  amount: number
  jobs: number
}

export interface SpendSummary {
  /** Local date, YYYY-MM-DD. */
  today: string
  todayTotal: number
  monthTotal: number
  todayByModel: ModelSpend[]
  monthByModel: ModelSpend[]
  lastDays: { day: string; amount: number }[]
  /** Estimated cost of jobs accepted but not yet sent. */
  pending: number
  dailyBudget: number | null
  /** Jobs sent this month whose model has no price in the catalog. */
  unpricedJobsThisMonth: number
  /** Jobs of this month that ended before CometAPI took them (canceled, refused): not billed. */
  notBilledThisMonth: { jobs: number; amount: number }
  /** Jobs of this month whose create may have reached CometAPI (waiting for the person): maybe billed. */
  billingUnknownThisMonth: { jobs: number; amount: number }
  /** Today per named key: what it spent, what waits to be sent with it, and its own cap. */
  byKey: KeySpend[]
}

export interface KeySpend {
  keyId: string
  /** null: the key was removed (its spend stays on record). */
  label: string | null
  todayAmount: number
  todayJobs: number
  /** Estimated cost of its jobs accepted but not sent yet. */
  pending: number
  dailyCap: number | null
}
