// What the stages (submitter, poller, downloads) are given: ports, stores and services, each a
// module of its own. A stage changes a job only through the hub; it never calls the engine.
import { randomBytes } from 'node:crypto'
import type { JobError } from '../../shared/jobs'
import type { Message } from '../../shared/messages'
import type { Settings } from '../../shared/settings'
import type { Catalog } from '../catalog/catalog'
import type { CometClient } from '../http/cometClient'
import type { Library } from '../library/library'
import { type Clock, type Logger, sharedAbortController } from '../ports'
import type { JobHub } from './jobHub'
import type { JobRecord, JobStore } from './jobStore'
import type { EnginePauses } from './pauses'
import type { Timing } from './timing'

/** The store's reading side: stages read jobs here and write them through the hub. */
export type JobReader = Pick<JobStore, 'get' | 'query' | 'count' | 'idsBySoonestExpiry' | 'event' | 'retriesOf' | 'markRetried'>

/** Signals that end the engine's work: `stopping` at stop(), `creates` only when creates in flight outlive the grace period. */
export class Lifetime {
  private stop = sharedAbortController()
  private create = sharedAbortController()

  get stopping(): AbortSignal {
    return this.stop.signal
  }

  get creates(): AbortSignal {
    return this.create.signal
  }

  /** A new run: fresh signals. */
  renew(): void {
    this.stop = sharedAbortController()
    this.create = sharedAbortController()
  }

  /** Ends polls, downloads and lookups (creates in flight go on). */
  endWork(): void {
    this.stop.abort(new Error('engine stopping'))
  }

  /** Abandons creates still in flight: their outcome becomes unknown. */
  abandonCreates(): void {
    this.create.abort(new Error('engine stopping'))
  }
}

export interface StagePorts {
  clock: Clock
  logger: Logger
  timing: Timing
  jobs: JobReader
  hub: JobHub
  client: CometClient
  catalog: Catalog
  library: Library
  pauses: EnginePauses
  /** The settings in force now (they change while the engine runs). */
  settings: { readonly current: Settings }
  lifetime: Lifetime
}

/** Time-sortable, unguessable ids: prefix + base36 ms + 10 random hex. */
export function newId(prefix: string, now: number): string {
  return `${prefix}${now.toString(36)}${randomBytes(5).toString('hex')}`
}

export function errorOf(kind: JobError['kind'], message: Message, retryable: boolean, extra: Partial<JobError> = {}): JobError {
  return { kind, message: message.text, code: message.code, params: message.params, retryable, ...extra }
}

export function vendorName(rec: JobRecord): string {
  return rec.view.vendor ?? rec.view.model
}
