// Engine events can come hundreds of times a second (a 1,000-job batch); the renderer gets at most
// a few batched pushes per second: the latest view of each changed job, removals, and one flag
// per other kind of change.
import type { EngineEvent, EngineStatus, JobView } from '../shared/jobs'
import type { EventChannel, EventOf } from '../shared/ipc/contract'
import { isIn, OUTCOME_STATES } from '../shared/jobStates'

export type Push = <E extends EventChannel>(event: E, payload: EventOf<E>) => void

export class EventCoalescer {
  private jobs = new Map<string, JobView>()
  private removed = new Set<string>()
  private libraryIds = new Set<string>()
  private library = false
  private catalog = false
  private spend = false
  private status: EngineStatus | null = null
  private timer: ReturnType<typeof setTimeout> | null = null
  private lastFlush = 0
  /** Pushes made, for tests and benchmarks. */
  pushes = 0

  constructor(
    private readonly push: Push,
    private readonly intervalMs = 250
  ) {}

  handle(e: EngineEvent): void {
    switch (e.type) {
      case 'job.created':
      case 'job.updated':
        this.jobs.set(e.job.id, e.job)
        this.removed.delete(e.job.id)
        if (isIn(OUTCOME_STATES, e.job.state)) this.spend = true
        break
      case 'job.removed':
        this.jobs.delete(e.id)
        this.removed.add(e.id)
        break
      case 'library.changed':
        this.library = true
        for (const id of e.itemIds) this.libraryIds.add(id)
        break
      case 'catalog.changed':
        this.catalog = true
        break
      case 'spend.changed':
        this.spend = true
        break
      case 'engine.status':
        this.status = e.status
        break
    }
    this.schedule()
  }

  private schedule(): void {
    if (this.timer) return
    const wait = Math.max(0, this.lastFlush + this.intervalMs - Date.now())
    this.timer = setTimeout(() => this.flush(), wait)
    this.timer.unref?.()
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.lastFlush = Date.now()
    if (this.jobs.size || this.removed.size) {
      this.push('jobs.changed', { jobs: [...this.jobs.values()], removed: [...this.removed] })
      this.pushes++
      this.jobs.clear()
      this.removed.clear()
    }
    if (this.status) {
      this.push('engine.status', this.status)
      this.pushes++
      this.status = null
    }
    if (this.library) {
      this.push('library.changed', { itemIds: [...this.libraryIds] })
      this.pushes++
      this.library = false
      this.libraryIds.clear()
    }
    if (this.catalog) {
      this.push('catalog.changed', null)
      this.pushes++
      this.catalog = false
    }
    if (this.spend) {
      this.push('spend.changed', null)
      this.pushes++
      this.spend = false
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }
}
