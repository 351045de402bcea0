// A problem that stops all new work until the person acts: a rejected key, a wrong base URL, the
// database file gone. The stages ask isPaused(); the front ends read the pause through the status.
import type { EnginePause } from '../../shared/jobs'
import type { Message } from '../../shared/messages'
import type { Clock, Logger } from '../ports'

export class EnginePauses {
  private current: EnginePause | null = null

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
