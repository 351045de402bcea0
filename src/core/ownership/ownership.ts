// Who runs jobs for a data folder: one engine at a time (the app, or a CLI while the app is
// closed); any other watches. Holds the run lock with a heartbeat, takes over when the owner is
// gone, and emits (through the hub) the changes another process writes to the database.
import type { EngineStatus } from '../../shared/jobs'
import type { JobHub } from '../jobs/jobHub'
import type { JobRecord, JobStore } from '../jobs/jobStore'
import { newId } from '../jobs/stagePorts'
import type { Timing } from '../jobs/timing'
import { type Clock, every, type Logger } from '../ports'
import type { SettingsStore } from '../settings/settingsStore'
import { EngineLock } from './engineLock'

export interface OwnershipHooks {
  /** This process now runs jobs: start the stages and resume unfinished work. */
  becameOwner(): void
  /** Another process took over: stop the stages (their jobs stay as stored). */
  lostOwnership(): void
  /** A job another process changed, when this process runs jobs (e.g. a queued or canceled job). */
  foreignChange(rec: JobRecord): void
  /** Every heartbeat, whatever the role (database guard, catalog refresh). */
  tick(): void
  /** Every heartbeat while owner (stuck creates). */
  ownerTick(): void
  /** The role changed. */
  roleChanged(): void
}

export interface OwnershipOptions {
  settings: SettingsStore
  jobs: Pick<JobStore, 'changedSince' | 'maxRev'>
  hub: JobHub
  clock: Clock
  logger: Logger
  timing: Timing
  /** Never run jobs (a CLI watching the app). */
  observerOnly: boolean
  hooks: OwnershipHooks
}

const HEARTBEAT_MS = 2000

export class Ownership {
  private current: EngineStatus['role'] = 'stopped'
  private readonly lock: EngineLock
  private lastRev = 0
  private stopTimers: (() => void)[] = []

  constructor(private readonly o: OwnershipOptions) {
    this.lock = new EngineLock(o.settings, newId('e', o.clock.now()), () => o.clock.now())
  }

  get role(): EngineStatus['role'] {
    return this.current
  }

  get isOwner(): boolean {
    return this.current === 'owner'
  }

  start(): void {
    if (this.current !== 'stopped') return
    this.lastRev = this.o.jobs.maxRev()
    if (!this.o.observerOnly && this.lock.tryAcquire()) this.become('owner')
    else this.current = 'observer'
    this.stopTimers = [every(this.o.clock, this.o.timing.watchIntervalMs, () => this.watch()), every(this.o.clock, HEARTBEAT_MS, () => this.heartbeat())]
  }

  /** Stops the timers; returns whether this process was the owner (the caller releases after its stages stop). */
  stop(): boolean {
    const wasOwner = this.current === 'owner'
    this.current = 'stopped'
    for (const stop of this.stopTimers) stop()
    this.stopTimers = []
    return wasOwner
  }

  release(): void {
    this.lock.release()
  }

  private become(role: 'owner' | 'observer'): void {
    this.current = role
    if (role === 'owner') {
      this.o.logger.log('info', 'engine: running jobs in this process')
      this.o.hooks.becameOwner()
    } else {
      this.o.hooks.lostOwnership()
    }
  }

  private heartbeat(): void {
    this.o.hooks.tick()
    if (this.o.observerOnly) return
    try {
      if (this.current === 'owner') {
        if (!this.lock.heartbeat()) {
          this.o.logger.log('warn', 'engine: another process took over running jobs')
          this.become('observer')
          this.o.hooks.roleChanged()
        } else {
          this.o.hooks.ownerTick()
        }
      } else if (this.current === 'observer' && this.lock.tryAcquire()) {
        this.become('owner')
        this.o.hooks.roleChanged()
      }
    } catch (err) {
      this.o.logger.log('warn', `engine heartbeat failed: ${err instanceof Error ? err.message : String(err)}`)
    }
  }

  /** Emits changes another process made to the database, and reacts to them when running jobs. */
  private watch(): void {
    try {
      for (const rec of this.o.jobs.changedSince(this.lastRev)) {
        this.lastRev = Math.max(this.lastRev, rec.rev)
        const seen = this.o.hub.seen(rec.view.id)
        if (rec.rev <= seen) continue
        this.o.hub.emitForeign(rec, seen === 0 && rec.view.state !== 'completed')
        if (this.current === 'owner') this.o.hooks.foreignChange(rec)
      }
    } catch (err) {
      this.o.logger.log('warn', `engine watch failed: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
}
