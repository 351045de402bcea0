// The model_durations table: how long each finished task took, so the learned durations survive restarts.
import type { Db } from '../db/database'

export class DurationStore {
  constructor(private readonly db: Db) {}

  /** Idempotent per job. */
  record(jobId: string, model: string, seconds: number, at: number): void {
    this.db.prepare('INSERT OR REPLACE INTO model_durations (job_id, model, seconds, at) VALUES (?, ?, ?, ?)').run(jobId, model, seconds, at)
  }

  /** The newest `limit` durations, oldest first (the order they are learned in). */
  recent(limit: number): { model: string; seconds: number }[] {
    const rows = this.db.prepare('SELECT model, seconds FROM model_durations ORDER BY at DESC LIMIT ?').all(Math.floor(limit)) as { model: string; seconds: number }[]
    return rows.reverse()
  }
}
