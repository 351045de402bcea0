// How the app quits, in plain Node: src/main feeds it Electron's before-quit and the update
// restart, and carries out what it says.
//
// - The first quit stops the engine cleanly (creates in flight get their answers, the database
//   closes, the data folder's ownership is released), then the app exits.
// - Every further quit while that stop runs (a second Cmd+Q, the tray's Quit, the OS asking) is
//   held too: letting it through would end the process with the database still open.
// - A second launch while quitting is not let in (it would bring back a window that is going away).
// - The update restart stops the engine the same way before the installer is started, releases
//   the single-instance lock (so the new version can start while this one exits), and only then
//   hands over to the updater, whose own quit is let through.
export type QuitReason = 'quit' | 'update'

export interface QuitSequenceDeps {
  /** Stops the studio (engine, database, ownership). */
  stop(): Promise<void>
  /** Ends the process once stopped (Electron's app.exit(0)). */
  exit(): void
  /** The quit begins: windows close for real, the quit notice (none for an update). */
  onQuitting(reason: QuitReason): void
  /** Before the installer starts: lets the new version take the single-instance lock. */
  releaseInstanceLock(): void
  /** The stop threw (logged; the quit goes on). */
  onStopFailed?(err: unknown): void
}

export class QuitSequence {
  private reason: QuitReason | null = null
  private stopping: Promise<void> | null = null
  private done = false

  constructor(private readonly deps: QuitSequenceDeps) {}

  /** A quit has begun (the window must not hide to the tray, a second launch is not let in). */
  get quitting(): boolean {
    return this.reason !== null
  }

  /** The engine has stopped: quits go through now. */
  get stopped(): boolean {
    return this.done
  }

  /**
   * Electron's before-quit. True: prevent this quit (the engine is not stopped yet). `ready` is
   * false before the studio exists, when there is nothing to stop.
   */
  beforeQuit(ready: boolean): boolean {
    if (!ready || this.done) return false
    if (this.reason) return true
    this.begin('quit')
    void this.stopOnce().finally(() => this.deps.exit())
    return true
  }

  /** A second launch asks for the window: not while quitting. */
  acceptsSecondInstance(): boolean {
    return this.reason === null
  }

  /**
   * The update restart: stop first, then release the lock, then start the installer (whose quit
   * before-quit lets through). False when a quit was already under way: that quit goes on (and a
   * downloaded update installs as the app quits). quitAndInstall's own error is the caller's.
   */
  async forUpdate(quitAndInstall: () => void): Promise<boolean> {
    // Restart tried again after the installer failed: the engine is stopped already.
    if (this.reason === 'update' && this.done) {
      quitAndInstall()
      return true
    }
    if (this.reason) return false
    this.begin('update')
    await this.stopOnce()
    this.deps.releaseInstanceLock()
    quitAndInstall()
    return true
  }

  private begin(reason: QuitReason): void {
    this.reason = reason
    this.deps.onQuitting(reason)
  }

  /** Stops once, whoever asks; settles either way (a stop that failed still ends in the quit). */
  private stopOnce(): Promise<void> {
    this.stopping ??= this.deps
      .stop()
      .catch((err: unknown) => this.deps.onStopFailed?.(err))
      .finally(() => {
        this.done = true
      })
    return this.stopping
  }
}
