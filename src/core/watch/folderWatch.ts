// One watched folder: chokidar tells us about files (new ones only once their size has stayed the
// same for a moment: awaitWriteFinish), the files already there are looked at on start (and on
// resume) once they too have stopped changing, and each settled file goes through fileIntake one
// at a time. What is happening to a file right now (settling, being read, waiting to be tried
// again) lives here; what became of it is recorded by the intake.
import { watch, type FSWatcher } from 'chokidar'
import { lstat, stat } from 'node:fs/promises'
import { basename, dirname, join, relative, resolve, sep } from 'node:path'
import { msg } from '../../shared/messages'
import type { FieldError } from '../../shared/modelTypes'
import type { WatchFileView, WatchFolderState, WatchOutcome, WatchReason, WatchRecipe } from '../../shared/watch'
import { type Logger, sleep, type TimerHandle } from '../ports'
import { type IntakePorts, intakeFile, type IntakeResult, reasonOf, recipeKeyOf } from './fileIntake'
import type { RecordedOutcome } from './watchStore'

export interface WatchTiming {
  /** How long a file's size must stay the same before it is read (chokidar's awaitWriteFinish). */
  settleMs: number
  /** How often a settling file is looked at. */
  pollMs: number
  /** How long before a file that could not be handled yet (offline, busy) is tried again. */
  retryMs: number
  /** How often a folder that cannot be found or read is looked for again. */
  folderRetryMs: number
}

export const DEFAULT_WATCH_TIMING: WatchTiming = { settleMs: 2000, pollMs: 250, retryMs: 30_000, folderRetryMs: 10_000 }

/** One file's news: an outcome reached now, or (`known`) one reached before. */
export interface WatchFileEvent {
  type: 'file'
  folderId: string | null
  folder: string
  name: string
  /** `known`: handled before (an earlier run, or another process); `was` says how. */
  outcome: WatchOutcome | 'known'
  was: RecordedOutcome | null
  jobId: string | null
  /** `queued`: the job was held at the daily cap. */
  held: boolean
  duplicateOf: string | null
  reason: WatchReason | null
  errors: FieldError[]
  /** Found by the look at the files already there when the watch started or resumed. */
  initial: boolean
  at: number
}

/** Something of a folder changed that has no outcome of its own (its state, a file gone). */
export interface WatchFolderEvent {
  type: 'folder'
  folderId: string | null
  folder: string
  /** Set when the folder's state changed (watching, not found…), with its problem if any. */
  state?: WatchFolderState
  problem?: WatchReason | null
}

export type WatchNotice = WatchFileEvent | WatchFolderEvent

export interface FolderWatchPorts extends IntakePorts {
  logger: Logger
  timing: WatchTiming
}

export interface WatchedFolder {
  /** The row in Settings' list; null for a folder watched only by this process (the CLI). */
  id: string | null
  /** The folder's real path. */
  path: string
  recipe: WatchRecipe
}

/** Names that are not finished files of their own: hidden files, the temporary files of downloads and copies, OS clutter. */
const NOT_A_FILE_YET = /^\.|^~|~$|\.(part|partial|crdownload|download|tmp|temp|swp)$/i
const OS_CLUTTER = new Set(['thumbs.db', 'desktop.ini'])

export function ignoredName(name: string): boolean {
  return NOT_A_FILE_YET.test(name) || OS_CLUTTER.has(name.toLowerCase())
}

/** The entry itself (a link is not followed; the intake refuses what is not a regular file). */
async function statFile(path: string): Promise<{ size: number; mtime: number } | null> {
  try {
    const st = await lstat(path)
    return st.isDirectory() ? null : { size: st.size, mtime: Math.floor(st.mtimeMs) }
  } catch {
    return null
  }
}

export class FolderWatch {
  private stateNow: WatchFolderState = 'paused'
  private problemNow: WatchReason | null = null
  private watcher: FSWatcher | null = null
  private readonly live = new Map<string, WatchFileView>()
  private queue: string[] = []
  private readonly queued = new Set<string>()
  /** Names found by the look at the files already there, until they are handled. */
  private readonly initial = new Set<string>()
  /** Changed again while being handled: handled once more afterwards. */
  private readonly again = new Set<string>()
  /** Names whose settle() loop is running. */
  private readonly settling = new Set<string>()
  private current: string | null = null
  private running: Promise<void> | null = null
  private readonly timers = new Set<TimerHandle>()
  private abort = new AbortController()
  private stopped = true
  /** Bumped by every start and stop: callbacks of an earlier run do nothing. */
  private generation = 0
  private readonly recipeKey: string

  constructor(
    private readonly p: FolderWatchPorts,
    readonly folder: WatchedFolder,
    private readonly notify: (n: WatchNotice) => void
  ) {
    this.recipeKey = recipeKeyOf(folder.recipe)
  }

  get state(): WatchFolderState {
    return this.stateNow
  }

  get problem(): WatchReason | null {
    return this.problemNow
  }

  /** What is happening to files right now, newest first. */
  liveFiles(): WatchFileView[] {
    return [...this.live.values()].sort((a, b) => b.at - a.at)
  }

  /** Starts watching; the files already there are looked at too (those handled before are skipped). */
  start(): void {
    if (!this.stopped) return
    this.stopped = false
    this.abort = new AbortController()
    const gen = ++this.generation
    this.setState('starting', null)
    void this.open(gen)
  }

  /** Stops watching. A file being turned into a job right now finishes first; nothing else is sent. */
  async stop(): Promise<void> {
    if (this.stopped) {
      await this.running
      return
    }
    this.stopped = true
    this.generation++
    this.abort.abort()
    for (const t of this.timers) this.p.clock.clearTimeout(t)
    this.timers.clear()
    this.queue = []
    this.queued.clear()
    this.initial.clear()
    this.again.clear()
    const w = this.watcher
    this.watcher = null
    await w?.close().catch(() => {})
    await this.running
    this.live.clear()
    this.setState('paused', null)
  }

  private async open(gen: number): Promise<void> {
    const root = this.folder.path
    let isDir = false
    try {
      isDir = (await stat(root)).isDirectory()
    } catch {
      isDir = false
    }
    if (gen !== this.generation) return
    if (!isDir) {
      this.setState('unavailable', reasonOf(msg('watch.folderMissing', { path: root })))
      this.later(this.p.timing.folderRetryMs, () => gen === this.generation && void this.open(gen))
      return
    }
    const { settleMs, pollMs } = this.p.timing
    const w = watch(root, {
      depth: 0,
      ignoreInitial: false,
      awaitWriteFinish: { stabilityThreshold: settleMs, pollInterval: pollMs },
      // A link in the folder is reported as itself (and refused by the intake), never followed.
      followSymlinks: false,
      ignored: (path: string) => resolve(path) !== root && ignoredName(basename(path)),
      alwaysStat: false
    })
    this.watcher = w
    let ready = false
    w.on('add', (path: string) => this.seen(gen, path, !ready))
    w.on('change', (path: string) => this.seen(gen, path, false))
    w.on('unlink', (path: string) => this.unlinked(gen, path))
    w.on('raw', (_event, evPath: string, details: unknown) => this.stirred(gen, (details as { watchedPath?: string } | undefined)?.watchedPath, evPath))
    w.on('unlinkDir', (path: string) => {
      if (resolve(path) === root) void this.lost(gen, reasonOf(msg('watch.folderMissing', { path: root })))
    })
    w.on('error', (err: unknown) => {
      const detail = err instanceof Error ? err.message : String(err)
      this.p.logger.log('warn', `watch: ${root}: ${detail}`)
      // A problem with one file inside (unreadable, gone meanwhile) is not the folder's loss.
      const about = (err as { path?: unknown } | null)?.path
      if (typeof about === 'string' && about && resolve(root, about) !== root) return
      void this.lost(gen, reasonOf(msg('watch.folderProblem', { path: root, detail })))
    })
    w.on('ready', () => {
      ready = true
      if (gen === this.generation) this.setState('watching', null)
    })
  }

  /** The folder went away or its watch broke: look for it again later. */
  private async lost(gen: number, problem: WatchReason): Promise<void> {
    if (gen !== this.generation || this.stopped) return
    const next = ++this.generation
    const w = this.watcher
    this.watcher = null
    await w?.close().catch(() => {})
    // Stopped (or started again) while the watch closed: stop() has said what the state is.
    if (this.stopped || next !== this.generation) return
    this.queue = []
    this.queued.clear()
    this.initial.clear()
    this.again.clear()
    this.live.clear()
    this.setState('unavailable', problem)
    this.later(this.p.timing.folderRetryMs, () => next === this.generation && void this.open(next))
  }

  private async checkFolder(gen: number): Promise<void> {
    let isDir = false
    try {
      isDir = (await stat(this.folder.path)).isDirectory()
    } catch {
      isDir = false
    }
    if (!isDir) await this.lost(gen, reasonOf(msg('watch.folderMissing', { path: this.folder.path })))
  }

  private nameOf(path: string): string | null {
    const rel = relative(this.folder.path, resolve(path))
    if (!rel || rel.startsWith('..') || rel.includes(sep) || ignoredName(rel)) return null
    return rel
  }

  private seen(gen: number, path: string, atStart: boolean): void {
    if (gen !== this.generation || this.stopped) return
    const name = this.nameOf(path)
    if (!name) return
    // chokidar's awaitWriteFinish compares sizes only, and not for the files there at start:
    // every file also waits here until its size and time stay the same.
    if (atStart) this.initial.add(name)
    void this.settle(gen, name)
  }

  /**
   * A raw change from the OS: a file may be being written. Shown as settling until chokidar says
   * it has (or the file turns out to be one handled already, or goes away).
   */
  private stirred(gen: number, watchedPath: string | undefined, evPath: string): void {
    if (gen !== this.generation || this.stopped || !watchedPath) return
    const watched = resolve(watchedPath)
    // The folder itself renamed or deleted: chokidar says nothing when it was empty.
    if (watched === this.folder.path && evPath === basename(this.folder.path)) {
      void this.checkFolder(gen)
      return
    }
    const name = watched === this.folder.path ? (evPath && !evPath.includes(sep) ? evPath : null) : dirname(watched) === this.folder.path ? basename(watched) : null
    if (!name || ignoredName(name) || name === this.current || this.queued.has(name) || this.live.has(name)) return
    void (async () => {
      const st = await statFile(join(this.folder.path, name))
      if (!st || gen !== this.generation || this.stopped || this.live.has(name) || this.queued.has(name) || name === this.current) return
      const last = this.p.store.latestByName(this.folder.path, name)
      if (last && last.size === st.size && last.mtime === st.mtime) return
      this.setLive(name, 'settling', null)
      // Nothing followed (only its attributes changed): stop saying so.
      this.later(this.p.timing.settleMs * 3 + 2000, () => {
        if (gen === this.generation && this.live.get(name)?.outcome === 'settling' && !this.initial.has(name) && !this.settling.has(name)) this.dropLive(name)
      })
    })()
  }

  private unlinked(gen: number, path: string): void {
    if (gen !== this.generation) return
    const name = this.nameOf(path)
    if (!name || name === this.current) return
    if (this.queued.delete(name)) this.queue = this.queue.filter((n) => n !== name)
    this.initial.delete(name)
    this.dropLive(name)
  }

  /**
   * Waits until a file has stopped changing (its size and time the same across a wait), then
   * hands it to the intake. `changedFrom`: it was not whole when read; first wait for it to change.
   */
  private async settle(gen: number, name: string, changedFrom?: { size: number; mtime: number }): Promise<void> {
    if (this.settling.has(name)) return
    this.settling.add(name)
    try {
      await this.settleNow(gen, name, changedFrom)
    } finally {
      this.settling.delete(name)
    }
  }

  private async settleNow(gen: number, name: string, changedFrom?: { size: number; mtime: number }): Promise<void> {
    const path = join(this.folder.path, name)
    let st = await statFile(path)
    if (!st || gen !== this.generation) return
    const { settleMs, pollMs } = this.p.timing
    if (changedFrom) {
      this.setLive(name, 'settling', reasonOf(msg('watch.incomplete')))
      while (st.size === changedFrom.size && st.mtime === changedFrom.mtime) {
        try {
          await sleep(this.p.clock, pollMs, this.abort.signal)
        } catch {
          return // stopped
        }
        if (gen !== this.generation) return
        const now = await statFile(path)
        if (!now) {
          this.initial.delete(name)
          this.dropLive(name)
          return
        }
        st = now
      }
    }
    const last = this.p.store.latestByName(this.folder.path, name)
    if (!changedFrom && last && last.size === st.size && last.mtime === st.mtime) {
      this.enqueue(name) // handled before: the intake says so without waiting
      return
    }
    if (!changedFrom) this.setLive(name, 'settling', null)
    for (;;) {
      const quiet = this.p.clock.now() - st.mtime >= settleMs
      try {
        await sleep(this.p.clock, quiet ? pollMs : settleMs, this.abort.signal)
      } catch {
        return // stopped
      }
      if (gen !== this.generation) return
      const now = await statFile(path)
      if (!now) {
        this.initial.delete(name)
        this.dropLive(name)
        return
      }
      if (now.size === st.size && now.mtime === st.mtime) break
      st = now
    }
    this.enqueue(name)
  }

  private enqueue(name: string): void {
    if (this.stopped) return
    if (this.current === name) {
      this.again.add(name)
      return
    }
    if (this.queued.has(name)) return
    this.queued.add(name)
    this.queue.push(name)
    this.setLive(name, 'checking', null)
    this.pump()
  }

  private pump(): void {
    if (this.running || this.stopped) return
    this.running = (async () => {
      while (!this.stopped && this.queue.length) {
        const name = this.queue.shift()!
        this.queued.delete(name)
        this.current = name
        const gen = this.generation
        try {
          await this.handle(gen, name)
        } catch (err) {
          // Not the file's fault (the database, the disk): try it again later.
          const detail = err instanceof Error ? err.message : String(err)
          this.p.logger.log('warn', `watch: ${name}: ${detail}`)
          if (gen === this.generation) this.retryLater(gen, name, reasonOf(msg('watch.waitingProblem', { detail })))
        } finally {
          this.current = null
        }
        if (this.again.delete(name) && !this.stopped) {
          this.queued.add(name)
          this.queue.push(name)
        }
      }
    })().finally(() => {
      this.running = null
      if (!this.stopped && this.queue.length) this.pump()
    })
  }

  private async handle(gen: number, name: string): Promise<void> {
    const folder = { path: this.folder.path, recipe: this.folder.recipe, recipeKey: this.recipeKey }
    const result = await intakeFile(this.p, folder, name)
    const initial = this.initial.has(name)
    if (result.kind !== 'unsettled' && result.kind !== 'waiting' && result.kind !== 'incomplete') this.initial.delete(name)
    if (gen !== this.generation) {
      // Stopped meanwhile: what was recorded stays recorded; say so, but start nothing new.
      if (result.kind === 'queued' || result.kind === 'duplicate' || result.kind === 'refused') this.report(name, result, initial)
      return
    }
    switch (result.kind) {
      case 'gone':
        this.dropLive(name)
        return
      case 'unsettled':
        void this.settle(gen, name)
        return
      case 'incomplete':
        // Never sent as it is: looked at again once it changes.
        void this.settle(gen, name, { size: result.size, mtime: result.mtime })
        return
      case 'waiting':
        this.retryLater(gen, name, result.reason)
        return
      default:
        this.live.delete(name)
        this.report(name, result, initial)
    }
  }

  private retryLater(gen: number, name: string, reason: WatchReason): void {
    this.setLive(name, 'waiting', reason)
    this.later(this.p.timing.retryMs, () => {
      if (gen === this.generation && this.live.get(name)?.outcome === 'waiting') this.enqueue(name)
    })
  }

  private report(name: string, result: Exclude<IntakeResult, { kind: 'gone' | 'unsettled' | 'incomplete' | 'waiting' }>, initial: boolean): void {
    const f = result.file
    this.notify({
      type: 'file',
      folderId: this.folder.id,
      folder: this.folder.path,
      name,
      outcome: result.kind,
      was: result.kind === 'known' ? result.file.outcome : null,
      jobId: f.jobId,
      held: result.kind === 'queued' && result.held,
      duplicateOf: f.duplicateOf,
      reason: f.reason,
      errors: f.errors,
      initial,
      at: result.kind === 'known' ? this.p.clock.now() : f.at
    })
  }

  private setLive(name: string, outcome: 'settling' | 'checking' | 'waiting', reason: WatchReason | null): void {
    const prev = this.live.get(name)
    if (prev && prev.outcome === outcome && prev.reason?.text === reason?.text) return
    const at = this.p.clock.now()
    this.live.set(name, { name, outcome, at, jobId: null, duplicateOf: null, reason, errors: [] })
    this.notify({ type: 'file', folderId: this.folder.id, folder: this.folder.path, name, outcome, was: null, jobId: null, held: false, duplicateOf: null, reason, errors: [], initial: this.initial.has(name), at })
  }

  private dropLive(name: string): void {
    if (this.live.delete(name)) this.notify({ type: 'folder', folderId: this.folder.id, folder: this.folder.path })
  }

  private setState(state: WatchFolderState, problem: WatchReason | null): void {
    if (this.stateNow === state && this.problemNow?.text === problem?.text) return
    this.stateNow = state
    this.problemNow = problem
    this.notify({ type: 'folder', folderId: this.folder.id, folder: this.folder.path, state, problem })
  }

  private later(ms: number, fn: () => void): void {
    const handle = this.p.clock.setTimeout(() => {
      this.timers.delete(handle)
      fn()
    }, ms)
    this.timers.add(handle)
  }
}
