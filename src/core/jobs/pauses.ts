// A problem that stops all new work until the person acts: a rejected key, a wrong base URL, the
// database file gone. The stages ask isPaused(); the front ends read the pause through the status.
// Apart from it, the person's own "Pause all" (heldByPerson): it holds new creates only, and
// neither clears nor is cleared by a problem's pause.
import type { EnginePause } from '../../shared/jobs'
import type { Message } from '../../shared/messages'
import type { Clock, Logger } from '../ports'

export class EnginePauses {
  private current: EnginePause | null = null
  private byPerson: { since: number } | null = null

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly onChange: () => void
  ) {}

  get(): EnginePause | null {
    return this.current
  }

  isPaused(): boolean {
    return this.current !== null
  }

  is(kind: EnginePause['kind']): boolean {
    return this.current?.kind === kind
  }

  pause(kind: EnginePause['kind'], message: Message): void {
    if (this.current?.kind === kind && this.current.code === message.code && this.current.message === message.text) return
    this.current = { kind, message: message.text, code: message.code, params: message.params ?? {}, since: this.clock.now() }
    this.logger.log('error', `engine paused: ${message.text}`)
    this.onChange()
  }

  /** New creates wait: for a problem to be fixed, or for the person to resume. */
  holdsCreates(): boolean {
    return this.current !== null || this.byPerson !== null
  }

  heldByPerson(): { since: number } | null {
    return this.byPerson
  }

  /** The person paused new work; false when it already was. */
  holdNewWork(): boolean {
    if (this.byPerson) return false
    this.byPerson = { since: this.clock.now() }
    this.logger.log('info', 'new work paused by the person')
    this.onChange()
    return true
  }

  /** The person resumed; false when nothing was paused by them. */
  releaseNewWork(): boolean {
    if (!this.byPerson) return false
    this.byPerson = null
    this.logger.log('info', 'new work resumed by the person')
    this.onChange()
    return true
  }

  /** Clears the pause (the key or base URL changed); false when only a restart can clear it. */
  resume(): boolean {
    if (this.current?.kind === 'database') return false
    if (this.current) {
      this.current = null
      this.onChange()
    }
    return true
  }
}
