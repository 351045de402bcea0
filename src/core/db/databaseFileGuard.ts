// SQLite keeps working on a database file deleted under it, so nothing fails — until the next
// start finds an empty database. Notice it, write the open copy back, and hold new work until the
// person restarts (a file put there by someone else is never overwritten).
import { randomBytes } from 'node:crypto'
import { renameSync, rmSync, statSync } from 'node:fs'
import { msg } from '../../shared/messages'
import type { EnginePauses } from '../jobs/pauses'
import type { Logger } from '../ports'
import type { Db } from './database'

/** Which file a path is right now (device and inode), or null when there is none. */
function fileIdentity(path: string): string | null {
  try {
    const st = statSync(path)
    return `${st.dev}:${st.ino}`
  } catch {
    return null
  }
}

export class DatabaseFileGuard {
  private readonly identity: string | null
  /** The database file was deleted while open: keep writing the open copy back to its place. */
  private orphaned = false
  private mirroring: Promise<void> | null = null

  constructor(
    private readonly db: Db,
    private readonly file: string,
    private readonly pauses: EnginePauses,
    private readonly logger: Logger
  ) {
    this.identity = fileIdentity(file)
  }

  /** Looks at the file once (the engine's heartbeat calls this). */
  check(): void {
    if (this.orphaned) {
      void this.mirror()
      return
    }
    const now = fileIdentity(this.file)
    if (!this.identity || now === this.identity || this.pauses.is('database')) return
    this.logger.log('error', `engine: the database file ${this.file} was ${now === null ? 'deleted' : 'replaced by another file'} while open`)
    if (now === null) {
      this.orphaned = true
      void this.mirror()
    }
    this.pauses.pause('database', msg(now === null ? 'pause.databaseDeleted' : 'pause.databaseReplaced'))
  }

  /** Before the database closes: a last copy back when the file was deleted. */
  async beforeClose(): Promise<void> {
    if (this.orphaned) await this.mirror()
  }

  /** Writes the open database to its file again (checkpointed first, so no old log is replayed over it). */
  private mirror(): Promise<void> {
    this.mirroring ??= (async () => {
      // Another process with the database open (a CLI) may be writing its own copy back too.
      const tmp = `${this.file}.restoring-${process.pid}-${randomBytes(5).toString('hex')}`
      try {
        this.db.pragma('wal_checkpoint(TRUNCATE)')
        await this.db.backup(tmp)
        renameSync(tmp, this.file)
      } catch (err) {
        this.logger.log('error', `engine: could not write the database back: ${err instanceof Error ? err.message : String(err)}`)
        rmSync(tmp, { force: true })
      } finally {
        this.mirroring = null
      }
    })()
    return this.mirroring
  }
}
