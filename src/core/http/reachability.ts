// Whether CometAPI is answering at all, for one banner instead of a note on every row. A request
// that got any answer from CometAPI itself (2xx, 4xx) says it is reachable; one that got no answer
// (connection refused, DNS, timeout, reset) or only a gateway's page in its place says it is not.
// One failure is a blip: it takes a few in a row, over a few seconds, before the person is told.
import type { Message } from '../../shared/messages'
import type { Clock } from '../ports'

/** What the front ends show while CometAPI cannot be reached. */
export interface Unreachable {
  since: number
  /** The latest failure, in the person's words. */
  message: Message
}

export interface ReachabilityOptions {
  /** Failures in a row before it counts (default 3)… */
  failures?: number
  /** …or fewer, when they span at least this long (ms, default 5 s) — but never one alone. */
  spanMs?: number
}

export class Reachability {
  private streak = 0
  private firstFailureAt: number | null = null
  private current: Unreachable | null = null
  private readonly failures: number
  private readonly spanMs: number

  constructor(
    private readonly clock: Clock,
    private readonly onChange: () => void,
    opts: ReachabilityOptions = {}
  ) {
    this.failures = opts.failures ?? 3
    this.spanMs = opts.spanMs ?? 5000
  }

  get(): Unreachable | null {
    return this.current
  }

  answered(): void {
    this.streak = 0
    this.firstFailureAt = null
    if (this.current) {
      this.current = null
      this.onChange()
    }
  }

  failed(message: Message): void {
    const now = this.clock.now()
    this.streak++
    this.firstFailureAt ??= now
    const counts = this.streak >= this.failures || (this.streak >= 2 && now - this.firstFailureAt >= this.spanMs)
    if (!counts) return
    const changed = !this.current || this.current.message.code !== message.code
    this.current = { since: this.current?.since ?? this.firstFailureAt, message }
    if (changed) this.onChange()
  }
}
