// One engine runs jobs at a time per data folder (the app, or a CLI when the app is closed);
// another process watches. Two engines submitting the same queued job would pay twice.
import { hostname } from 'node:os'
import type { Db } from '../db/database'

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
    private readonly db: Db,
    readonly instance: string,
    private readonly now: () => number,
    /** A heartbeat older than this means the owner is gone (other host, or pid not checkable). */
    private readonly staleMs = 30_000
  ) {}

  private read(): Owner | null {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(KEY) as { value: string } | undefined
    if (!row) return null
    try {
      return JSON.parse(row.value) as Owner
    } catch {
      return null
    }
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
    return this.db
      .transaction(() => {
        const cur = this.read()
        if (cur && cur.instance !== this.instance && !this.isStale(cur)) return false
        const me: Owner = { pid: process.pid, host: this.host, instance: this.instance, heartbeat: this.now() }
        this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(KEY, JSON.stringify(me))
        return true
      })
      .immediate()
  }

  heartbeat(): boolean {
    return this.tryAcquire()
  }

  release(): void {
    this.db
      .transaction(() => {
        const cur = this.read()
        if (cur?.instance === this.instance) this.db.prepare('DELETE FROM settings WHERE key = ?').run(KEY)
      })
      .immediate()
  }

  owner(): Owner | null {
    return this.read()
  }
}
