// One engine runs jobs at a time per data folder (the app, or a CLI when the app is closed);
// another process watches. Two engines submitting the same queued job would pay twice.
import { hostname } from 'node:os'
import type { SettingsStore } from '../settings/settingsStore'

interface Owner {
  pid: number
  host: string
  instance: string
  heartbeat: number
}

const KEY = 'engine.owner'

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export class EngineLock {
  private readonly host = hostname()

  constructor(
    private readonly settings: SettingsStore,
    readonly instance: string,
    private readonly now: () => number,
    /** A heartbeat older than this means the owner is gone (other host, or pid not checkable). */
    private readonly staleMs = 30_000
  ) {}

  private read(): Owner | null {
    const o = this.settings.getValue<Partial<Owner>>(KEY)
    return o && typeof o === 'object' && typeof o.instance === 'string' && typeof o.pid === 'number' ? (o as Owner) : null
  }

  private isStale(o: Owner): boolean {
    if (o.instance === this.instance) return false
    if (o.host === this.host) {
      // Same pid but another instance: that owner was this pid's previous life (killed and restarted).
      if (o.pid === process.pid) return true
      return !alive(o.pid)
    }
    return this.now() - o.heartbeat > this.staleMs
  }

  /** Takes ownership when free or stale. Returns true when this instance owns the engine. */
  tryAcquire(): boolean {
    return this.settings.exclusively(() => {
      const cur = this.read()
      if (cur && cur.instance !== this.instance && !this.isStale(cur)) return false
      const me: Owner = { pid: process.pid, host: this.host, instance: this.instance, heartbeat: this.now() }
      this.settings.setValue(KEY, me)
      return true
    })
  }

  heartbeat(): boolean {
    return this.tryAcquire()
  }

  release(): void {
    this.settings.exclusively(() => {
      if (this.read()?.instance === this.instance) this.settings.deleteValue(KEY)
    })
  }

}
