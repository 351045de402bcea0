// The watched folders of a data folder: the list Settings keeps (each with its recipe, paused or
// not), plus folders a process watches for as long as it runs (`comet-video watch`). The desktop
// app starts them with its engine and stops them before it; the CLI runs one in the foreground.
import { realpath } from 'node:fs'
import { lstat, readdir, stat } from 'node:fs/promises'
import { promisify } from 'node:util'
import { isAbsolute, join } from 'node:path'
import type { CreateJobsReply } from '../../shared/jobs'
import { type Message, msg, SentenceError } from '../../shared/messages'
import type { CatalogModel, FieldError } from '../../shared/modelTypes'
import { validateSpec } from '../../shared/validation'
import type { WatchAddReply, WatchExisting, WatchFolderView, WatchInspection, WatchRecipe } from '../../shared/watch'
import { probeImage } from '../images/imageProbe'
import { type CreateJobsInput, normalizeSpec } from '../jobs/jobCreation'
import { newId } from '../jobs/stagePorts'
import { type Clock, type Logger, silentLogger, systemClock } from '../ports'
import { reasonOf } from './fileIntake'
import { DEFAULT_WATCH_TIMING, FolderWatch, type FolderWatchPorts, ignoredName, type WatchNotice, type WatchTiming } from './folderWatch'
import type { WatchStore } from './watchStore'

const realpathNative = promisify(realpath.native)

/** What the watchers need of the engine. */
export interface WatchEngine {
  createJobs(input: CreateJobsInput): Promise<CreateJobsReply>
  model(id: string): CatalogModel | null
  models(): CatalogModel[]
  refreshModels(opts?: { force?: boolean }): Promise<{ models: CatalogModel[]; problem: string | null }>
  readonly watchRecords: WatchStore
  /** The data folder: the copies of sent images are kept under it. */
  readonly dataDir: string
}

export interface WatchServiceOptions {
  engine: WatchEngine
  clock?: Clock
  logger?: Logger
  timing?: Partial<WatchTiming>
  /** How many files each folder's view lists. */
  recentFiles?: number
}

/** A folder that cannot be watched as asked, in a sentence for the person. */
export class WatchError extends SentenceError {
  constructor(
    sentence: Message,
    readonly code: 'folder_missing' | 'not_folder' | 'already_watched' | 'unknown_folder'
  ) {
    super(sentence)
    this.name = 'WatchError'
  }
}

const fieldError = (field: string, m: Message): FieldError => ({ field, code: m.code, message: m.text, params: m.params })

/** Cleans a recipe as a job's spec is cleaned (trimmed model, no empty optional fields). */
export function normalizeRecipe(r: WatchRecipe): WatchRecipe {
  const { images: _images, remixOf: _remixOf, ...recipe } = normalizeSpec({ ...r })
  return recipe
}

/**
 * What is wrong with a recipe before any image arrives: the model must be known and take images,
 * and the fields must suit it (the image checks wait for each image).
 */
export function recipeProblems(model: CatalogModel | null, recipe: WatchRecipe): FieldError[] {
  if (!model) return [fieldError('model', msg('watch.modelUnknown', { model: recipe.model }))]
  if (!model.modes.includes('image-to-video') || model.rules.images.max < 1) return [fieldError('model', msg('watch.modelNoImages', { model: model.id }))]
  return validateSpec({ ...recipe, images: undefined }, model.rules, []).filter((e) => !e.field.startsWith('images'))
}

/** The folder's real path (links resolved, the disk's own spelling), or why it cannot be watched. */
export async function realFolder(path: string): Promise<string> {
  if (!isAbsolute(path) || path.includes('\u0000')) throw new WatchError(msg('watch.folderMissing', { path }), 'folder_missing')
  let real: string
  try {
    real = await realpathNative(path)
  } catch {
    throw new WatchError(msg('watch.folderMissing', { path }), 'folder_missing')
  }
  if (!(await stat(real)).isDirectory()) throw new WatchError(msg('watch.notFolder', { path }), 'not_folder')
  return real
}

export class WatchService {
  private readonly clock: Clock
  private readonly logger: Logger
  private readonly ports: FolderWatchPorts
  /** Settings' folders by id. */
  private readonly watches = new Map<string, FolderWatch>()
  /** Folders this process watches without keeping them in the list. */
  private readonly passing = new Set<FolderWatch>()
  private readonly listeners = new Set<(n: WatchNotice) => void>()
  private running = false
  private readonly recentFiles: number

  constructor(private readonly o: WatchServiceOptions) {
    this.clock = o.clock ?? systemClock
    this.logger = o.logger ?? silentLogger
    this.recentFiles = o.recentFiles ?? 30
    const engine = o.engine
    this.ports = {
      clock: this.clock,
      logger: this.logger,
      store: engine.watchRecords,
      timing: { ...DEFAULT_WATCH_TIMING, ...o.timing },
      createJobs: (input) => engine.createJobs(input),
      model: (id) => engine.model(id),
      imageDir: join(engine.dataDir, 'watch-images'),
      ensureModels: async () => {
        if (engine.models().length) return true
        return (await engine.refreshModels()).models.length > 0
      }
    }
  }

  private get store(): WatchStore {
    return this.o.engine.watchRecords
  }

  on(fn: (n: WatchNotice) => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  private emit(n: WatchNotice): void {
    for (const fn of this.listeners) {
      try {
        fn(n)
      } catch (err) {
        this.logger.log('error', `watch listener failed: ${err instanceof Error ? err.message : String(err)}`)
      }
    }
  }

  /** Starts every folder of the list that is not paused. */
  start(): void {
    if (this.running) return
    this.running = true
    for (const row of this.store.folders()) {
      const w = this.watchFor(row.id, row.path, row.recipe)
      if (!row.paused) w.start()
    }
  }

  /** Stops every folder; a file being turned into a job finishes first. */
  async stop(): Promise<void> {
    this.running = false
    await Promise.all([...this.watches.values(), ...this.passing].map((w) => w.stop()))
  }

  private watchFor(id: string, path: string, recipe: WatchRecipe): FolderWatch {
    let w = this.watches.get(id)
    if (!w) {
      w = new FolderWatch(this.ports, { id, path, recipe }, (n) => this.emit(n))
      this.watches.set(id, w)
    }
    return w
  }

  /** Settings' folders, each with its recipe, state and latest files. */
  list(): WatchFolderView[] {
    return this.store.folders().map((row) => {
      const w = this.watches.get(row.id)
      const live = w?.liveFiles() ?? []
      const names = new Set(live.map((f) => f.name))
      const recorded = this.store
        .recent(row.path, this.recentFiles)
        .filter((f) => !names.has(f.name))
        .map((f) => ({ name: f.name, outcome: f.outcome, at: f.at, jobId: f.jobId, duplicateOf: f.duplicateOf, reason: f.reason, errors: f.errors }))
      return {
        id: row.id,
        path: row.path,
        recipe: row.recipe,
        paused: row.paused,
        state: row.paused ? 'paused' : (w?.state ?? 'paused'),
        problem: row.paused ? null : (w?.problem ?? null),
        createdAt: row.createdAt,
        counts: this.store.counts(row.path),
        files: [...live, ...recorded].slice(0, this.recentFiles)
      }
    })
  }

  checkRecipe(recipe: WatchRecipe): FieldError[] {
    return recipeProblems(this.o.engine.model(recipe.model.trim()), normalizeRecipe(recipe))
  }

  /** The files directly in a folder that are its own (regular files, not hidden or half-downloaded). */
  private async ownFiles(real: string): Promise<{ name: string; size: number; mtime: number }[]> {
    const out: { name: string; size: number; mtime: number }[] = []
    for (const e of await readdir(real, { withFileTypes: true })) {
      if (!e.isFile() || ignoredName(e.name)) continue
      try {
        const st = await lstat(`${real}/${e.name}`)
        if (st.isFile()) out.push({ name: e.name, size: st.size, mtime: Math.floor(st.mtimeMs) })
      } catch {
        // gone meanwhile
      }
    }
    return out
  }

  /** How many images are in a folder already (what adding it with `existing: 'include'` would send, at most). */
  async inspect(path: string): Promise<WatchInspection> {
    const real = await realFolder(path)
    let images = 0
    for (const f of await this.ownFiles(real)) {
      if (f.size === 0) continue
      const info = await probeImage(`${real}/${f.name}`).catch(() => null)
      if (info?.type) images++
    }
    return { path: real, images }
  }

  /**
   * Records the files in a folder now as skipped ("already there when the folder was added"):
   * they are shown, never sent; a file changed afterwards is new. Files recorded before (sent by
   * an earlier watch) keep their record. Returns how many were skipped.
   */
  private async skipExisting(real: string): Promise<number> {
    let n = 0
    for (const f of await this.ownFiles(real)) {
      const last = this.store.latestByName(real, f.name)
      if (last && last.size === f.size && last.mtime === f.mtime) continue
      this.store.record({
        folder: real,
        name: f.name,
        size: f.size,
        mtime: f.mtime,
        hash: null,
        outcome: 'skipped',
        jobId: null,
        duplicateOf: null,
        recipeKey: null,
        reason: reasonOf(msg('watch.skippedExisting')),
        errors: [],
        at: this.clock.now()
      })
      n++
    }
    return n
  }

  /**
   * Adds a folder to the list and starts watching it. The files already there are sent too only
   * with `existing: 'include'`; by default they are recorded as skipped.
   */
  async add(path: string, recipe: WatchRecipe, opts: { existing?: WatchExisting } = {}): Promise<WatchAddReply> {
    const clean = normalizeRecipe(recipe)
    if (!this.o.engine.model(clean.model)) await this.ports.ensureModels()
    const errors = this.checkRecipe(clean)
    if (errors.length) return { ok: false, errors }
    const real = await realFolder(path)
    const id = newId('w', this.clock.now())
    if (!this.store.addFolder({ id, path: real, recipe: clean, paused: false, createdAt: this.clock.now() })) {
      throw new WatchError(msg('watch.alreadyWatched', { path: real }), 'already_watched')
    }
    if ((opts.existing ?? 'skip') === 'skip') await this.skipExisting(real)
    const w = this.watchFor(id, real, clean)
    if (this.running) w.start()
    this.emit({ type: 'folder', folderId: id, folder: real })
    return { ok: true, folders: this.list() }
  }

  /** Stops watching a folder and takes it off the list (what it sent stays remembered). */
  async remove(id: string): Promise<WatchFolderView[]> {
    const row = this.store.folder(id)
    if (!row) throw new WatchError(msg('watch.unknownFolder'), 'unknown_folder')
    const w = this.watches.get(id)
    this.watches.delete(id)
    await w?.stop()
    this.store.removeFolder(id)
    this.emit({ type: 'folder', folderId: id, folder: row.path })
    return this.list()
  }

  /** Pauses (no new jobs) or resumes (files that arrived meanwhile are picked up) one folder. */
  async setPaused(id: string, paused: boolean): Promise<WatchFolderView[]> {
    const row = this.store.folder(id)
    if (!row) throw new WatchError(msg('watch.unknownFolder'), 'unknown_folder')
    this.store.setPaused(id, paused)
    const w = this.watchFor(id, row.path, row.recipe)
    if (paused) await w.stop()
    else if (this.running) w.start()
    this.emit({ type: 'folder', folderId: id, folder: row.path })
    return this.list()
  }

  /**
   * Watches a folder for as long as this process wants (the CLI), without adding it to the list.
   * Files are remembered under the folder like any other's: an image sent by the app from there is
   * not sent again, nor one sent by an earlier run.
   */
  async watchFolder(path: string, recipe: WatchRecipe, opts: { existing?: WatchExisting } = {}): Promise<{ path: string; skipped: number; stop: () => Promise<void> }> {
    const real = await realFolder(path)
    // "Skip what is already there" means the first time: a folder watched before (yesterday's run)
    // sends what arrived while nothing watched it, as the next run of a daily watch must.
    const skipped = opts.existing === 'skip' && !this.store.hasHistory(real) ? await this.skipExisting(real) : 0
    const w = new FolderWatch(this.ports, { id: null, path: real, recipe: normalizeRecipe(recipe) }, (n) => this.emit(n))
    this.passing.add(w)
    w.start()
    return {
      path: real,
      skipped,
      stop: async () => {
        await w.stop()
        this.passing.delete(w)
      }
    }
  }
}
